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
# The user interface's typeface, DejaVu Sans (Debian fonts-dejavu-core): read
# from its installed path on the desktop, embedded into the module on the web
# (a file in Emscripten's in-memory file system). Without it ImGui's own
# bitmap font is used.
find_file(CNN_UI_FONT_FILE DejaVuSans.ttf PATHS /usr/share/fonts/truetype/dejavu NO_DEFAULT_PATH
  NO_CMAKE_FIND_ROOT_PATH)  # a file of the build machine, also when cross-compiling
if(CNN_UI_FONT_FILE)
  if(CNN_WASM)
    target_compile_definitions(cnn_platform PRIVATE CNN_UI_FONT="/fonts/DejaVuSans.ttf")
    target_link_options(cnn_platform INTERFACE "SHELL:--embed-file ${CNN_UI_FONT_FILE}@/fonts/DejaVuSans.ttf")
  else()
    target_compile_definitions(cnn_platform PRIVATE CNN_UI_FONT="${CNN_UI_FONT_FILE}")
  endif()
else()
  message(WARNING "DejaVuSans.ttf is missing (fonts-dejavu-core): the playground uses ImGui's bitmap font")
endif()
