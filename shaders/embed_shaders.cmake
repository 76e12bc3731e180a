# Writes the GLSL sources of shaders/ into one C++ header of string literals,
# so the desktop app and the page carry their shaders inside the binary and
# need no file at run time (platform/shader_source.h reads the header).
# Run at build time by shaders/shaders.cmake:
#   cmake -DOUT=<header> -DSOURCES="<a.glsl;b.glsl>" -P embed_shaders.cmake
# Each source must be plain GLSL without a #version line: the loader puts the
# dialect's header in front (WebGL2 or OpenGL 3.3).
set(text "// Generated from shaders/*.glsl by shaders/embed_shaders.cmake: do not edit.\n")
string(APPEND text "#pragma once\n\nnamespace cnn::shaders {\n\n")
string(APPEND text "struct EmbeddedShader {\n  const char* name;  // file name without .glsl\n  const char* text;\n};\n\n")
string(APPEND text "inline constexpr EmbeddedShader kEmbedded[] = {\n")
foreach(source ${SOURCES})
  get_filename_component(file ${source} NAME)
  string(REGEX REPLACE "\\.glsl$" "" name ${file})
  file(READ ${source} body)
  if(body MATCHES "#version")
    message(FATAL_ERROR "${source}: has a #version line; the loader adds the dialect's header")
  endif()
  if(body MATCHES "\\)glsl\"")
    message(FATAL_ERROR "${source}: contains )glsl\", which ends the raw string it is embedded in")
  endif()
  string(APPEND text "    {\"${name}\", R\"glsl(${body})glsl\"},\n")
endforeach()
string(APPEND text "};\n\n}  // namespace cnn::shaders\n")
# Only touch the header when it changes, so unchanged shaders rebuild nothing.
if(EXISTS ${OUT})
  file(READ ${OUT} old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT} "${text}")
endif()
