#include "platform/gl_api.h"

#include "core/error.h"
#include "platform/shader_source.h"

namespace cnn::platform {

const char* dialect_name() {
  return native_dialect() == GlslDialect::kWebGL2 ? "WebGL2" : "OpenGL 3.3";
}

namespace {

GLuint compile(GlApi& gl, GLenum kind, const std::string& name, const std::string& source,
               std::string& error) {
  const GLuint s = gl.CreateShader(kind);
  const char* text = source.c_str();
  gl.ShaderSource(s, 1, &text, nullptr);
  gl.CompileShader(s);
  GLint ok = 0;
  gl.GetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (ok) return s;
  char log[2048] = "";
  gl.GetShaderInfoLog(s, sizeof log, nullptr, log);
  gl.DeleteShader(s);
  error = "shaders/" + name + ".glsl does not compile (" + dialect_name() + "): " + log;
  return 0;
}

}  // namespace

GLuint build_program(GlApi& gl, const std::string& vertex_name, const std::string& fragment_name,
                     const std::string& what, std::string& error,
                     const std::string& fragment_extra) {
  std::string vertex, fragment;
  try {
    vertex = shader_source(vertex_name, native_dialect());
    fragment = shader_source(fragment_name, native_dialect()) + fragment_extra;
  } catch (const Error& e) {
    error = e.what();
    return 0;
  }
  const GLuint vs = compile(gl, GL_VERTEX_SHADER, vertex_name, vertex, error);
  if (!vs) return 0;
  const GLuint fs = compile(gl, GL_FRAGMENT_SHADER, fragment_name, fragment, error);
  if (!fs) {
    gl.DeleteShader(vs);
    return 0;
  }
  GLuint program = gl.CreateProgram();
  gl.AttachShader(program, vs);
  gl.AttachShader(program, fs);
  gl.LinkProgram(program);
  gl.DeleteShader(vs);
  gl.DeleteShader(fs);
  GLint ok = 0;
  gl.GetProgramiv(program, GL_LINK_STATUS, &ok);
  if (ok) return program;
  char log[2048] = "";
  gl.GetProgramInfoLog(program, sizeof log, nullptr, log);
  error = "the " + what + " shaders do not link (" + dialect_name() + "): " + log;
  gl.DeleteProgram(program);
  return 0;
}

}  // namespace cnn::platform
