# What the UI thread may do while it waits for a lock (platform/main_thread.h):
# no window, no GL, no ImGui, so the lab library and its tests can link it.
add_library(cnn_platform_threads STATIC ${CMAKE_CURRENT_LIST_DIR}/main_thread.cpp)
target_include_directories(cnn_platform_threads PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(cnn_platform_threads PRIVATE cnn_warnings)
if(NOT CNN_WASM)
  target_link_libraries(cnn_platform_threads PUBLIC Threads::Threads)
endif()
