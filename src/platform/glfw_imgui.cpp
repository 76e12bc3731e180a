#include "platform/glfw_imgui.h"

#include <utility>
#include <vector>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "core/error.h"
#include "platform/ui_renderer.h"

// Texture and read-back calls are OpenGL 1.1 entry points, present in both
// desktop GL (exported by libGL) and GLES 3 / WebGL2.
#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#include <GL/gl.h>
#endif

namespace cnn::platform {

namespace detail {

namespace {
std::vector<std::function<void()>>& posted() {
  static std::vector<std::function<void()>> tasks;
  return tasks;
}
std::function<std::string()>& provider() {
  static std::function<std::string()> p;
  return p;
}
DropCallbacks& drop_callbacks() {
  static DropCallbacks callbacks;
  return callbacks;
}

float g_scale_wanted = 1;  // set_ui_scale()
float g_scale_built = 0;   // the scale x device pixel ratio the fonts and style have

// The fonts and the style at `scale` (x the device pixel ratio). The font file
// (DejaVu Sans from fonts-dejavu-core) is CNN_UI_FONT: a path on the desktop,
// a file embedded in the module on the web (src/app/sources.cmake); without
// it, ImGui's own bitmap font.
void build_fonts_and_style(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  [[maybe_unused]] const float pixels = std::round(kFontPixels * scale);
#ifdef CNN_UI_FONT
  if (std::FILE* f = std::fopen(CNN_UI_FONT, "rb")) {
    std::fclose(f);
    ImFontConfig config;
    config.OversampleH = 2;
    io.Fonts->AddFontFromFileTTF(CNN_UI_FONT, pixels, &config);
  }
#endif
  if (io.Fonts->Fonts.empty()) {
    ImFontConfig config;
    config.SizePixels = std::round(13 * scale);
    io.Fonts->AddFontDefault(&config);
  }
  io.Fonts->Build();
  ui_renderer_upload_font();
  ImGuiStyle style;
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 4.f;
  style.ScaleAllSizes(scale);
  // Lines too: borders and separators thicken with the type.
  style.WindowBorderSize = style.ChildBorderSize = style.PopupBorderSize = std::round(scale);
  ImGui::GetStyle() = style;
}

// Before NewFrame (ImGui's font atlas is locked between NewFrame and Render).
void apply_ui_scale() {
  const float scale = g_scale_wanted * device_pixel_ratio();
  if (scale == g_scale_built) return;
  build_fonts_and_style(scale);
  g_scale_built = scale;
}
}  // namespace

const DropCallbacks& drop_handler() {
  return drop_callbacks();
}

void init_imgui(GLFWwindow* window) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the same layout every start (tests click by position)
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 4.f;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  // Our renderer, not the ImGui OpenGL3 backend's (ui_renderer.h says why).
  if (std::string error = ui_renderer_init(); !error.empty())
    throw Error("cannot draw the user interface: " + error);
}

void shutdown_imgui() {
  ui_renderer_shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
}

void post(std::function<void()> task) {
  posted().push_back(std::move(task));
}

bool frame(GLFWwindow* window, const FrameCallbacks& callbacks, bool may_block) {
  // The session lock is released however this block ends: an exception that
  // escaped with the lock held would hang the next frame (and the test hook)
  // on the threaded page.
  struct Unlock {
    const FrameCallbacks& c;
    ~Unlock() {
      if (c.unlock) c.unlock();
    }
  };
  if (!may_block && callbacks.try_lock) {
    // Skipped frame: input stays queued in the GLFW/ImGui backend state
    // (a press is remembered until the next NewFrame), tasks stay posted.
    if (!callbacks.try_lock()) return true;
  } else if (callbacks.lock) {
    callbacks.lock();
  }
  bool keep_going = true;
  {
    Unlock unlock_at_end{callbacks};
    glfwPollEvents();
    // Tasks may post more tasks: run only those queued before this frame.
    std::vector<std::function<void()>> tasks;
    tasks.swap(posted());
    for (auto& task : tasks) task();

    apply_ui_scale();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    keep_going = callbacks.frame ? callbacks.frame() : true;
    ImGui::Render();
  }

  int width = 0, height = 0;
  glfwGetFramebufferSize(window, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.09f, 0.10f, 0.12f, 1.f);
  glClear(GL_COLOR_BUFFER_BIT);
  ui_renderer_render(ImGui::GetDrawData());
  if (callbacks.after_render) callbacks.after_render();
  glfwSwapBuffers(window);
  return keep_going;
}

std::string state_json() {
  return provider() ? provider()() : "{}";
}

}  // namespace detail

void set_ui_scale(float scale) {
  detail::g_scale_wanted = scale > 0 ? scale : 1;
}

void set_drop_handler(DropCallbacks callbacks) {
  detail::drop_callbacks() = std::move(callbacks);
}

void set_state_provider(std::function<std::string()> p) {
  detail::provider() = std::move(p);
}

void* create_texture(int width, int height, const uint8_t* rgba) {
  GLuint id = 0;
  glGenTextures(1, &id);
  glBindTexture(GL_TEXTURE_2D, id);
  // Nearest: digits are shown magnified and should look like their pixels.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  return reinterpret_cast<void*>(static_cast<intptr_t>(id));
}

void update_texture(void* texture, int width, int height, const uint8_t* rgba) {
  glBindTexture(GL_TEXTURE_2D, GLuint(reinterpret_cast<intptr_t>(texture)));
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
}

void delete_texture(void* texture) {
  GLuint id = GLuint(reinterpret_cast<intptr_t>(texture));
  glDeleteTextures(1, &id);
}

std::vector<uint8_t> read_framebuffer(int& width, int& height) {
  GLint viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_VIEWPORT, viewport);
  width = viewport[2];
  height = viewport[3];
  std::vector<uint8_t> rgba(size_t(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  // GL's first row is the bottom one.
  const size_t row = size_t(width) * 4;
  for (int y = 0; y < height / 2; ++y)
    std::swap_ranges(rgba.begin() + y * row, rgba.begin() + (y + 1) * row,
                     rgba.begin() + (height - 1 - y) * row);
  return rgba;
}

}  // namespace cnn::platform
