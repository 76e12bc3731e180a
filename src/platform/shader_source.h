// The GLSL sources of shaders/, built into the program at build time
// (shaders/embed_shaders.cmake), so neither the page nor the desktop app
// looks for files at run time. One source serves both GPUs: it has no
// #version line, and shader_source() puts the dialect's header in front.
#pragma once
#include <string>
#include <vector>

namespace cnn::platform {

enum class GlslDialect {
  kWebGL2,   // OpenGL ES 3.0: "#version 300 es" + default float precision
  kDesktop,  // OpenGL 3.3 core: "#version 330 core"
};

// The dialect of this build's GL context (WebGL2 under Emscripten).
GlslDialect native_dialect();

// The header shader_source() puts in front, ending with a #line directive so
// compiler messages count lines as in the .glsl file.
std::string glsl_header(GlslDialect dialect);

// The source of shaders/<name>.glsl (e.g. "colormap.frag") for `dialect`.
// Throws cnn::Error naming the shader and the ones there are.
std::string shader_source(const std::string& name, GlslDialect dialect);

// The embedded shaders' names, in file-name order.
std::vector<std::string> shader_names();

}  // namespace cnn::platform
