// The GL side of colormap_renderer.h: one shader program, one float texture
// for the values and one empty vertex array shared by every canvas (created
// at the first draw), and per canvas an RGBA texture with its framebuffer.
// The GL state that drawing changes is restored afterwards, so Dear ImGui's
// renderer finds what it left.
#include "platform/colormap_renderer.h"

#include <cmath>
#include <cstdint>
#include <unordered_set>

#include "core/error.h"
#include "platform/gl_api.h"
#include "platform/shader_source.h"

namespace cnn::platform {

namespace {

// Everything canvases share; `tried` once the first draw set it up (or failed to).
struct Shared {
  GlApi gl;
  bool tried = false, broken_for_test = false;
  // GL errors are looked for on the first draw only: in a browser every
  // glGetError, framebuffer check or read-back waits for the GPU process
  // (about 10 ms each in headless Chromium), and a refresh of the
  // Inside-the-network panel draws about ten canvases.
  bool checked = false;
  std::string error;
  GLuint program = 0, vertex_array = 0, values = 0;
  GLint u_source = -1, u_map = -1, u_range = -1, u_values = -1;
};
Shared& shared() {
  static Shared s;
  return s;
}

// Compiles and links the program; sets shared().error on failure.
void set_up() {
  Shared& s = shared();
  s.tried = true;
  if (std::string missing = s.gl.load(); !missing.empty()) {
    s.error = "this OpenGL context lacks " + missing + " (OpenGL 3.3 or WebGL2 needed)";
    return;
  }
  const char* broken = "\nthis line is not GLSL (break_colormap_shaders_for_testing)\n";
  s.program = build_program(s.gl, "map.vert", "colormap.frag", "colour-map", s.error,
                            s.broken_for_test ? broken : "");
  if (!s.program) return;
  s.u_source = s.gl.GetUniformLocation(s.program, "u_source");
  s.u_map = s.gl.GetUniformLocation(s.program, "u_map");
  s.u_range = s.gl.GetUniformLocation(s.program, "u_range");
  s.u_values = s.gl.GetUniformLocation(s.program, "u_values");
  s.gl.GenVertexArrays(1, &s.vertex_array);
  glGenTextures(1, &s.values);
}

// After a canvas is drawn, on scope exit: the default framebuffer and no
// program, vertex array or texture bound, blending and scissor off. A canvas
// is drawn while the UI is built; the ImGui renderer that runs afterwards sets
// every state it needs, and the frame's clear before it needs scissor off.
// Querying the state to restore it exactly (SavedState) is what cost: each
// glGet waits for the GPU process in a browser, 6 ms per canvas on average
// and up to 31 ms in headless Chromium.
class NeutralStateOnExit {
 public:
  explicit NeutralStateOnExit(GlApi& gl) : gl_(gl) {}
  ~NeutralStateOnExit() {
    gl_.BindFramebuffer(GL_FRAMEBUFFER, 0);
    gl_.UseProgram(0);
    gl_.BindVertexArray(0);
    gl_.ActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, 0);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
  }
  NeutralStateOnExit(const NeutralStateOnExit&) = delete;
  NeutralStateOnExit& operator=(const NeutralStateOnExit&) = delete;

 private:
  GlApi& gl_;
};

// The GL state a read-back touches, queried and restored on scope exit
// (only for the tests' distinct_colours(), where the cost does not matter).
class SavedState {
 public:
  explicit SavedState(GlApi& gl) : gl_(gl) {
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &framebuffer_);
    glGetIntegerv(GL_VIEWPORT, viewport_);
    glGetIntegerv(GL_CURRENT_PROGRAM, &program_);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vertex_array_);
    glGetIntegerv(GL_ACTIVE_TEXTURE, &active_texture_);
    gl_.ActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture_);
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &unpack_alignment_);
    glGetIntegerv(GL_PACK_ALIGNMENT, &pack_alignment_);
    glGetIntegerv(GL_BLEND_SRC_RGB, &blend_[0]);
    glGetIntegerv(GL_BLEND_DST_RGB, &blend_[1]);
    glGetIntegerv(GL_BLEND_SRC_ALPHA, &blend_[2]);
    glGetIntegerv(GL_BLEND_DST_ALPHA, &blend_[3]);
    glGetIntegerv(GL_BLEND_EQUATION_RGB, &blend_equation_);
    glGetFloatv(GL_COLOR_CLEAR_VALUE, clear_colour_);
    blend_on_ = glIsEnabled(GL_BLEND);
    scissor_on_ = glIsEnabled(GL_SCISSOR_TEST);
    depth_on_ = glIsEnabled(GL_DEPTH_TEST);
    cull_on_ = glIsEnabled(GL_CULL_FACE);
  }
  ~SavedState() {
    gl_.BindFramebuffer(GL_FRAMEBUFFER, GLuint(framebuffer_));
    glViewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
    gl_.UseProgram(GLuint(program_));
    gl_.BindVertexArray(GLuint(vertex_array_));
    glBindTexture(GL_TEXTURE_2D, GLuint(texture_));
    gl_.ActiveTexture(GLenum(active_texture_));
    glPixelStorei(GL_UNPACK_ALIGNMENT, unpack_alignment_);
    glPixelStorei(GL_PACK_ALIGNMENT, pack_alignment_);
    gl_.BlendFuncSeparate(GLenum(blend_[0]), GLenum(blend_[1]), GLenum(blend_[2]),
                          GLenum(blend_[3]));
    gl_.BlendEquation(GLenum(blend_equation_));
    glClearColor(clear_colour_[0], clear_colour_[1], clear_colour_[2], clear_colour_[3]);
    set(GL_BLEND, blend_on_);
    set(GL_SCISSOR_TEST, scissor_on_);
    set(GL_DEPTH_TEST, depth_on_);
    set(GL_CULL_FACE, cull_on_);
  }

 private:
  static void set(GLenum cap, GLboolean on) { on ? glEnable(cap) : glDisable(cap); }
  GlApi& gl_;
  GLint framebuffer_ = 0, viewport_[4] = {}, program_ = 0, vertex_array_ = 0, active_texture_ = 0,
        texture_ = 0, unpack_alignment_ = 4, pack_alignment_ = 4, blend_[4] = {},
        blend_equation_ = 0;
  GLfloat clear_colour_[4] = {};
  GLboolean blend_on_ = 0, scissor_on_ = 0, depth_on_ = 0, cull_on_ = 0;
};

void drain_gl_errors() {
  for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; ++i) {
  }
}

}  // namespace

ColormapCanvas::~ColormapCanvas() {
  if (framebuffer_) shared().gl.DeleteFramebuffers(1, &framebuffer_);
  if (texture_) glDeleteTextures(1, &texture_);
}

void* ColormapCanvas::texture() const {
  return texture_ ? reinterpret_cast<void*>(static_cast<intptr_t>(texture_)) : nullptr;
}

bool ColormapCanvas::draw(const FloatImage& image, const std::vector<MapTile>& tiles, Colormap map,
                          bool clear) {
  Shared& s = shared();
  if (!s.tried) set_up();
  if (!s.error.empty()) return false;
  if (image.width <= 0 || image.height <= 0 || (image.channels != 1 && image.channels != 3) ||
      image.values.size() != size_t(image.width) * image.height * image.channels)
    return false;
  GlApi& gl = s.gl;
  NeutralStateOnExit neutral(gl);
  if (!s.checked) drain_gl_errors();

  // The values, as floats, sampled exactly (nearest: float textures need an
  // extension to be filtered in WebGL2).
  gl.ActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, s.values);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  const bool rgb = image.channels == 3;
  glTexImage2D(GL_TEXTURE_2D, 0, rgb ? GL_RGB32F : GL_R32F, image.width, image.height, 0,
               rgb ? GL_RGB : GL_RED, GL_FLOAT, image.values.data());
  if (!s.checked && glGetError() != GL_NO_ERROR) {
    s.error = std::string("this GPU cannot hold float textures (") + dialect_name() + ")";
    return false;
  }

  // The canvas: an RGBA8 texture behind a framebuffer, nearest-filtered so
  // magnified maps show their pixels.
  const bool resized = image.width != width_ || image.height != height_;
  const bool fresh = !texture_ || resized;
  if (!texture_) {
    glGenTextures(1, &texture_);
    gl.GenFramebuffers(1, &framebuffer_);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  glBindTexture(GL_TEXTURE_2D, texture_);
  if (resized) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image.width, image.height, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, nullptr);
    width_ = image.width;
    height_ = image.height;
  }
  gl.BindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  gl.FramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_, 0);
  if (fresh && gl.CheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    s.error =
        std::string("cannot draw into a texture (incomplete framebuffer, ") + dialect_name() + ")";
    return false;
  }
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  if (clear || resized) {
    glViewport(0, 0, width_, height_);
    glClearColor(0.16f, 0.17f, 0.20f, 1.f);  // the gaps between tiles
    glClear(GL_COLOR_BUFFER_BIT);
  }
  if (clear) {
    glDisable(GL_BLEND);
  } else {
    // Blend colour by the map's alpha but keep the canvas opaque.
    glEnable(GL_BLEND);
    gl.BlendEquation(GL_FUNC_ADD);
    gl.BlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
  }
  // Sample the values (the canvas's own texture, bound above to set it up,
  // must not stay bound: reading the texture being drawn is undefined).
  glBindTexture(GL_TEXTURE_2D, s.values);
  gl.UseProgram(s.program);
  gl.BindVertexArray(s.vertex_array);
  gl.Uniform1i(s.u_values, 0);
  gl.Uniform1i(s.u_map, int(map));
  // Row 0 of the image is the texture's first row (t = 0) and goes to the
  // canvas's first row; ImGui::Image shows t = 0 at the top, so nothing flips.
  const float iw = float(image.width), ih = float(image.height);
  for (const MapTile& t : tiles) {
    if (t.w <= 0 || t.h <= 0) continue;
    glViewport(t.x, t.y, t.w, t.h);
    gl.Uniform4f(s.u_source, float(t.x) / iw, float(t.y) / ih, float(t.x + t.w) / iw,
                 float(t.y + t.h) / ih);
    const float lo = std::isfinite(t.lo) ? t.lo : 0.f;
    const float hi = std::isfinite(t.hi) && t.hi > lo ? t.hi : lo + 1.f;
    gl.Uniform2f(s.u_range, lo, hi);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  }

  colours_stale_ = true;
  if (!s.checked) {
    if (GLenum e = glGetError(); e != GL_NO_ERROR) {
      s.error = "drawing a colour map failed with GL error " + std::to_string(e);
      return false;
    }
    s.checked = true;
  }
  return true;
}

namespace {
bool& readback_on() {
  static bool on = true;
  return on;
}
}  // namespace

void set_colour_readback(bool on) {
  readback_on() = on;
}

int ColormapCanvas::distinct_colours() const {
  if (!readback_on()) return -1;
  // Read back only when asked (the tests' state hook), not on every draw.
  if (!colours_stale_ || !texture_) return distinct_colours_;
  Shared& s = shared();
  SavedState saved(s.gl);
  s.gl.BindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  std::vector<uint32_t> pixels(size_t(width_) * height_);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  distinct_colours_ = int(std::unordered_set<uint32_t>(pixels.begin(), pixels.end()).size());
  colours_stale_ = false;
  return distinct_colours_;
}

const std::string& colormap_error() {
  return shared().error;
}

void break_colormap_shaders_for_testing() {
  shared().broken_for_test = true;
}

}  // namespace cnn::platform
