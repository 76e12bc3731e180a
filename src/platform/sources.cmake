# The platform layer of the playground (platform.h): shared GLFW + Dear ImGui
# code, and the one implementation file for this toolchain. Included by
# src/app/sources.cmake once cnn_imgui exists.
add_library(cnn_platform STATIC ${CMAKE_CURRENT_LIST_DIR}/glfw_imgui.cpp
  ${CMAKE_CURRENT_LIST_DIR}/colormap_renderer.cpp ${CMAKE_CURRENT_LIST_DIR}/gl_api.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ui_renderer.cpp)
if(CNN_WASM)
  target_sources(cnn_platform PRIVATE ${CMAKE_CURRENT_LIST_DIR}/web/platform_web.cpp)
else()
  target_sources(cnn_platform PRIVATE ${CMAKE_CURRENT_LIST_DIR}/native/platform_native.cpp)
endif()
target_link_libraries(cnn_platform PUBLIC cnn_engine cnn_imgui cnn_shaders PRIVATE cnn_warnings)
