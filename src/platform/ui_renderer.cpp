#include "platform/ui_renderer.h"

#include <imgui.h>

#include <cstddef>
#include <cstdint>

#include "platform/gl_api.h"

namespace cnn::platform::detail {

namespace {

struct Renderer {
  GlApi gl;
  GLuint program = 0, vertex_array = 0, vertices = 0, indices = 0, font = 0;
  GLint u_projection = -1, u_texture = -1;
};
Renderer& renderer() {
  static Renderer r;
  return r;
}

GLuint texture_of(const ImDrawCmd& cmd) {
  return GLuint(reinterpret_cast<intptr_t>(cmd.GetTexID()));
}

// The state every draw list needs; set, never queried.
void set_state(Renderer& r, const ImDrawData& d, int fb_width, int fb_height) {
  glEnable(GL_BLEND);
  r.gl.BlendEquation(GL_FUNC_ADD);
  r.gl.BlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glViewport(0, 0, fb_width, fb_height);
  // Pixels (y down) to clip space (y up), column-major.
  const float l = d.DisplayPos.x, r_ = d.DisplayPos.x + d.DisplaySize.x;
  const float t = d.DisplayPos.y, b = d.DisplayPos.y + d.DisplaySize.y;
  const float projection[16] = {2.f / (r_ - l), 0, 0, 0, 0, 2.f / (t - b), 0, 0, 0, 0, -1.f, 0,
                                (r_ + l) / (l - r_), (t + b) / (b - t), 0, 1.f};
  r.gl.UseProgram(r.program);
  r.gl.Uniform1i(r.u_texture, 0);
  r.gl.UniformMatrix4fv(r.u_projection, 1, GL_FALSE, projection);
  r.gl.BindVertexArray(r.vertex_array);
  r.gl.BindBuffer(GL_ARRAY_BUFFER, r.vertices);
  r.gl.BindBuffer(GL_ELEMENT_ARRAY_BUFFER, r.indices);
  r.gl.ActiveTexture(GL_TEXTURE0);
}

}  // namespace

void ui_renderer_upload_font() {
  Renderer& r = renderer();
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  if (!r.font) glGenTextures(1, &r.font);
  glBindTexture(GL_TEXTURE_2D, r.font);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  glBindTexture(GL_TEXTURE_2D, 0);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(r.font)));
}

std::string ui_renderer_init() {
  Renderer& r = renderer();
  if (std::string missing = r.gl.load(); !missing.empty())
    return "this OpenGL context lacks " + missing + " (OpenGL 3.3 or WebGL2 needed)";
  std::string error;
  r.program = build_program(r.gl, "ui.vert", "ui.frag", "UI", error);
  if (!r.program) return error;
  r.u_projection = r.gl.GetUniformLocation(r.program, "u_projection");
  r.u_texture = r.gl.GetUniformLocation(r.program, "u_texture");

  // One vertex array: ImDrawVert's fields at their offsets in two buffers
  // that every draw list refills.
  r.gl.GenVertexArrays(1, &r.vertex_array);
  r.gl.GenBuffers(1, &r.vertices);
  r.gl.GenBuffers(1, &r.indices);
  r.gl.BindVertexArray(r.vertex_array);
  r.gl.BindBuffer(GL_ARRAY_BUFFER, r.vertices);
  r.gl.BindBuffer(GL_ELEMENT_ARRAY_BUFFER, r.indices);
  const GLsizei stride = sizeof(ImDrawVert);
  r.gl.EnableVertexAttribArray(0);
  r.gl.VertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride,
                           reinterpret_cast<void*>(offsetof(ImDrawVert, pos)));
  r.gl.EnableVertexAttribArray(1);
  r.gl.VertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride,
                           reinterpret_cast<void*>(offsetof(ImDrawVert, uv)));
  r.gl.EnableVertexAttribArray(2);
  r.gl.VertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                           reinterpret_cast<void*>(offsetof(ImDrawVert, col)));
  r.gl.BindVertexArray(0);

  ui_renderer_upload_font();
  // Without ImGuiBackendFlags_RendererHasVtxOffset every command's vertex
  // offset is 0 (ImGui splits lists at 64K vertices for 16-bit indices):
  // WebGL2 has no glDrawElementsBaseVertex.
  ImGui::GetIO().BackendRendererName = "bricklab_ui_renderer";
  return "";
}

void ui_renderer_render(const ImDrawData* d) {
  Renderer& r = renderer();
  if (!d || !r.program) return;
  const int fb_width = int(d->DisplaySize.x * d->FramebufferScale.x);
  const int fb_height = int(d->DisplaySize.y * d->FramebufferScale.y);
  if (fb_width <= 0 || fb_height <= 0) return;
  set_state(r, *d, fb_width, fb_height);
  const ImVec2 origin = d->DisplayPos, scale = d->FramebufferScale;
  const GLenum index_type = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
  for (int n = 0; n < d->CmdListsCount; ++n) {
    const ImDrawList* list = d->CmdLists[n];
    r.gl.BufferData(GL_ARRAY_BUFFER, GLsizeiptr(list->VtxBuffer.Size) * sizeof(ImDrawVert),
                    list->VtxBuffer.Data, GL_STREAM_DRAW);
    r.gl.BufferData(GL_ELEMENT_ARRAY_BUFFER, GLsizeiptr(list->IdxBuffer.Size) * sizeof(ImDrawIdx),
                    list->IdxBuffer.Data, GL_STREAM_DRAW);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback == ImDrawCallback_ResetRenderState)
          set_state(r, *d, fb_width, fb_height);
        else
          cmd.UserCallback(list, &cmd);
        continue;
      }
      // The clip rectangle in framebuffer pixels (GL's y axis points up).
      const float x0 = (cmd.ClipRect.x - origin.x) * scale.x;
      const float y0 = (cmd.ClipRect.y - origin.y) * scale.y;
      const float x1 = (cmd.ClipRect.z - origin.x) * scale.x;
      const float y1 = (cmd.ClipRect.w - origin.y) * scale.y;
      if (x1 <= x0 || y1 <= y0) continue;
      glScissor(GLint(x0), GLint(fb_height - y1), GLsizei(x1 - x0), GLsizei(y1 - y0));
      glBindTexture(GL_TEXTURE_2D, texture_of(cmd));
      glDrawElements(GL_TRIANGLES, GLsizei(cmd.ElemCount), index_type,
                     reinterpret_cast<void*>(intptr_t(cmd.IdxOffset * sizeof(ImDrawIdx))));
    }
  }
  // Neutral for what follows: the next frame's clear needs scissor off, and
  // the colour maps set everything else they use.
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_BLEND);
  r.gl.BindVertexArray(0);
  r.gl.UseProgram(0);
  glBindTexture(GL_TEXTURE_2D, 0);
}

void ui_renderer_shutdown() {
  Renderer& r = renderer();
  if (r.font) glDeleteTextures(1, &r.font);
  if (r.vertices) r.gl.DeleteBuffers(1, &r.vertices);
  if (r.indices) r.gl.DeleteBuffers(1, &r.indices);
  if (r.vertex_array) r.gl.DeleteVertexArrays(1, &r.vertex_array);
  if (r.program) r.gl.DeleteProgram(r.program);
  ImGui::GetIO().Fonts->SetTexID(nullptr);
  r = Renderer{};
}

}  // namespace cnn::platform::detail
