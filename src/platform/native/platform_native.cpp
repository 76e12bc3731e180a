// The desktop: a GLFW window with an OpenGL 3.3 core context, files on disk.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include <GLFW/glfw3.h>

#include "core/error.h"
#include "core/file.h"
#include "platform/glfw_imgui.h"

namespace cnn::platform {

namespace {
GLFWwindow* g_window = nullptr;

void on_glfw_error(int code, const char* text) {
  (void)code;
  std::fprintf(stderr, "bricklab: GLFW: %s\n", text);
}

// Files dropped on the window: announced now, read at the start of the next
// frame (so the UI can say what is coming before the read blocks).
void on_drop(GLFWwindow*, int count, const char** paths) {
  std::vector<std::string> files(paths, paths + count);
  size_t total = 0;
  for (const std::string& f : files) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(f, ec);
    if (!ec) total += size_t(size);
  }
  const DropCallbacks& cb = detail::drop_handler();
  if (cb.started) cb.started(count, total);
  detail::post([files] {
    const DropCallbacks& cb = detail::drop_handler();
    std::vector<DroppedFile> read;
    for (const std::string& f : files) {
      try {
        read.push_back({f, load_file_bytes(f)});
      } catch (const Error& e) {
        if (cb.failed) cb.failed(e.what());
      }
    }
    if (cb.done) cb.done(std::move(read));
  });
}
}  // namespace

void init(const WindowOptions& options) {
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) throw Error("cannot open a window: GLFW found no display (is DISPLAY set?)");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  g_window =
      glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (!g_window) {
    glfwTerminate();
    throw Error("cannot open a window: no OpenGL 3.3 core context on this display");
  }
  glfwMakeContextCurrent(g_window);
  glfwSwapInterval(1);
  glfwSetDropCallback(g_window, on_drop);
  detail::init_imgui(g_window);
}

void run(FrameCallbacks callbacks) {
  // At most about 60 frames a second: vsync (glfwSwapInterval) is not honoured
  // everywhere (Xvfb, some drivers), and a spinning frame loop would take the
  // cores from the training thread.
  const auto period = std::chrono::microseconds(16667);
  auto next = std::chrono::steady_clock::now();
  while (!glfwWindowShouldClose(g_window)) {
    // The desktop's UI thread may wait for the worker's unit of work: the
    // window system does not freeze meanwhile.
    if (!detail::frame(g_window, callbacks, /*may_block=*/true)) break;
    next += period;
    const auto now = std::chrono::steady_clock::now();
    if (now < next)
      std::this_thread::sleep_until(next);
    else
      next = now;
  }
  detail::shutdown_imgui();
  glfwDestroyWindow(g_window);
  glfwTerminate();
  g_window = nullptr;
}

std::map<std::string, std::string> startup_options(int argc, char** argv) {
  // --key value, or --flag (no value, or followed by another --option).
  std::map<std::string, std::string> options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0)
      throw Error("unexpected argument \"" + arg + "\" (options are --name value)");
    std::string key = arg.substr(2), value;
    if (size_t eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else if (i + 1 < argc && std::strncmp(argv[i + 1], "--", 2) != 0) {
      value = argv[++i];
    }
    options[key] = value;
  }
  return options;
}

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

float device_pixel_ratio() {
  return 1;
}

bool cross_origin_isolated() {
  return true;
}
const char* name() {
  return "desktop";
}
bool can_start_threads() {
  return true;
}
int hardware_threads() {
  return std::max(1, int(std::thread::hardware_concurrency()));
}

void load_bytes(const std::string& path, LoadCallbacks callbacks) {
  detail::post([path, callbacks = std::move(callbacks)] {
    std::vector<uint8_t> bytes;
    try {
      bytes = load_file_bytes(path);
    } catch (const Error& e) {
      if (callbacks.failed) callbacks.failed(e.what());
      return;
    }
    if (callbacks.progress) callbacks.progress(bytes.size(), bytes.size());
    if (callbacks.done) callbacks.done(std::move(bytes));
  });
}

bool loads_over_http() {
  return false;
}

void save_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  write_file_atomic(path, bytes);
}

void open_file(const std::string& path, const std::string& accept, LoadCallbacks callbacks) {
  (void)accept;
  load_bytes(path, std::move(callbacks));
}

bool has_file_picker() {
  return false;
}

void pick_files(const std::string&) {}

}  // namespace cnn::platform
