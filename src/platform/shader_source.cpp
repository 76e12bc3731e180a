#include "platform/shader_source.h"

#include "core/error.h"
#include "shaders/embedded_shaders.h"

namespace cnn::platform {

GlslDialect native_dialect() {
#ifdef __EMSCRIPTEN__
  return GlslDialect::kWebGL2;
#else
  return GlslDialect::kDesktop;
#endif
}

std::string glsl_header(GlslDialect dialect) {
  // ES has no default float precision in fragment shaders; desktop GLSL
  // accepts and ignores precision qualifiers, so sources may use them.
  if (dialect == GlslDialect::kWebGL2) return "#version 300 es\nprecision highp float;\n#line 1\n";
  return "#version 330 core\n#line 1\n";
}

std::string shader_source(const std::string& name, GlslDialect dialect) {
  for (const shaders::EmbeddedShader& s : shaders::kEmbedded)
    if (name == s.name) return glsl_header(dialect) + s.text;
  std::string known;
  for (const std::string& n : shader_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error("shader \"" + name + "\" is not among the built-in shaders (" + known +
              "): is shaders/" + name + ".glsl listed in shaders/shaders.cmake?");
}

std::vector<std::string> shader_names() {
  std::vector<std::string> names;
  for (const shaders::EmbeddedShader& s : shaders::kEmbedded) names.push_back(s.name);
  return names;
}

}  // namespace cnn::platform
