# The playground's GLSL shaders, built into the programs: a header of string
# literals generated from shaders/*.glsl at build time (embed_shaders.cmake)
# and the loader that puts the WebGL2 or OpenGL 3.3 header in front
# (src/platform/shader_source.{h,cpp}). No GL here: the tests link it too.
set(CNN_SHADER_FILES
  ${CMAKE_CURRENT_LIST_DIR}/colormap.frag.glsl
  ${CMAKE_CURRENT_LIST_DIR}/map.vert.glsl
  ${CMAKE_CURRENT_LIST_DIR}/ui.frag.glsl
  ${CMAKE_CURRENT_LIST_DIR}/ui.vert.glsl
)
set(CNN_SHADER_HEADER ${CMAKE_BINARY_DIR}/generated/shaders/embedded_shaders.h)
add_custom_command(
  OUTPUT ${CNN_SHADER_HEADER}
  COMMAND ${CMAKE_COMMAND} "-DOUT=${CNN_SHADER_HEADER}" "-DSOURCES=${CNN_SHADER_FILES}"
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_shaders.cmake
  DEPENDS ${CNN_SHADER_FILES} ${CMAKE_CURRENT_LIST_DIR}/embed_shaders.cmake
  COMMENT "Embedding shaders/*.glsl"
  VERBATIM)
add_library(cnn_shaders STATIC
  ${CMAKE_SOURCE_DIR}/src/platform/shader_source.cpp
  ${CNN_SHADER_HEADER})
target_include_directories(cnn_shaders PRIVATE ${CMAKE_BINARY_DIR}/generated)
target_link_libraries(cnn_shaders PUBLIC cnn_engine PRIVATE cnn_warnings)
