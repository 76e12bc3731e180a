// The OpenGL 3.3 / WebGL2 entry points the platform's renderers use (the
// colour maps, Dear ImGui's draw lists), beyond OpenGL 1.x. WebGL2 links them
// directly; desktop libGL need only export OpenGL 1.x, so they are looked up
// from the context (GLFW) once, as any GL 3 program must. Internal to
// src/platform.
#pragma once
#include <string>

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GL/glext.h>
#include <GLFW/glfw3.h>
#endif

namespace cnn::platform {

// clang-format off
#define CNN_GL_FUNCTIONS(X)                                                              \
  X(PFNGLACTIVETEXTUREPROC, ActiveTexture) X(PFNGLATTACHSHADERPROC, AttachShader)        \
  X(PFNGLBINDBUFFERPROC, BindBuffer) X(PFNGLBINDFRAMEBUFFERPROC, BindFramebuffer)        \
  X(PFNGLBINDVERTEXARRAYPROC, BindVertexArray) X(PFNGLBLENDEQUATIONPROC, BlendEquation)  \
  X(PFNGLBLENDFUNCSEPARATEPROC, BlendFuncSeparate) X(PFNGLBUFFERDATAPROC, BufferData)    \
  X(PFNGLCHECKFRAMEBUFFERSTATUSPROC, CheckFramebufferStatus)                             \
  X(PFNGLCOMPILESHADERPROC, CompileShader) X(PFNGLCREATEPROGRAMPROC, CreateProgram)      \
  X(PFNGLCREATESHADERPROC, CreateShader) X(PFNGLDELETEBUFFERSPROC, DeleteBuffers)        \
  X(PFNGLDELETEFRAMEBUFFERSPROC, DeleteFramebuffers)                                     \
  X(PFNGLDELETEPROGRAMPROC, DeleteProgram) X(PFNGLDELETESHADERPROC, DeleteShader)        \
  X(PFNGLDELETEVERTEXARRAYSPROC, DeleteVertexArrays)                                     \
  X(PFNGLENABLEVERTEXATTRIBARRAYPROC, EnableVertexAttribArray)                           \
  X(PFNGLFRAMEBUFFERTEXTURE2DPROC, FramebufferTexture2D) X(PFNGLGENBUFFERSPROC, GenBuffers) \
  X(PFNGLGENFRAMEBUFFERSPROC, GenFramebuffers) X(PFNGLGENVERTEXARRAYSPROC, GenVertexArrays) \
  X(PFNGLGETPROGRAMINFOLOGPROC, GetProgramInfoLog) X(PFNGLGETPROGRAMIVPROC, GetProgramiv) \
  X(PFNGLGETSHADERINFOLOGPROC, GetShaderInfoLog) X(PFNGLGETSHADERIVPROC, GetShaderiv)    \
  X(PFNGLGETUNIFORMLOCATIONPROC, GetUniformLocation) X(PFNGLLINKPROGRAMPROC, LinkProgram) \
  X(PFNGLSHADERSOURCEPROC, ShaderSource) X(PFNGLUNIFORM1IPROC, Uniform1i)                \
  X(PFNGLUNIFORM2FPROC, Uniform2f) X(PFNGLUNIFORM4FPROC, Uniform4f)                      \
  X(PFNGLUNIFORMMATRIX4FVPROC, UniformMatrix4fv) X(PFNGLUSEPROGRAMPROC, UseProgram)      \
  X(PFNGLVERTEXATTRIBPOINTERPROC, VertexAttribPointer)
// clang-format on

struct GlApi {
#ifdef __EMSCRIPTEN__
#define CNN_GL_MEMBER(type, name) decltype(&::gl##name) name = &::gl##name;
#else
#define CNN_GL_MEMBER(type, name) type name = nullptr;
#endif
  CNN_GL_FUNCTIONS(CNN_GL_MEMBER)
#undef CNN_GL_MEMBER
  // The name of the first entry point the context lacks, "" when all are there.
  std::string load() {
#ifndef __EMSCRIPTEN__
#define CNN_GL_LOAD(type, name)                                  \
  name = reinterpret_cast<type>(glfwGetProcAddress("gl" #name)); \
  if (!name) return "gl" #name;
    CNN_GL_FUNCTIONS(CNN_GL_LOAD)
#undef CNN_GL_LOAD
#endif
    return "";
  }
};

// "WebGL2" or "OpenGL 3.3", for messages.
const char* dialect_name();

// Compiles shaders/<vertex_name>.glsl and shaders/<fragment_name>.glsl (with
// `fragment_extra` appended: tests break a shader on purpose) for this
// context's dialect and links them. Returns the program, or 0 with `error`
// naming the file or the program ("the <what> shaders do not link ...") and
// the compiler's message.
GLuint build_program(GlApi& gl, const std::string& vertex_name, const std::string& fragment_name,
                     const std::string& what, std::string& error,
                     const std::string& fragment_extra = "");

}  // namespace cnn::platform
