// The part of both platforms that is the same: a GLFW window with Dear ImGui
// on OpenGL 3 (desktop GL 3.3 core, or WebGL2 = GLES 3 in the browser), the
// per-frame sequence, and a queue of callbacks that must run between frames.
// Only platform/web/ and platform/native/ include this.
#pragma once
#include <functional>

#include "platform/platform.h"

struct GLFWwindow;

namespace cnn::platform::detail {

// Creates ImGui's context, its GLFW backend and our renderer (ui_renderer.h)
// for an existing window whose GL context is current. Throws cnn::Error when
// the UI's shaders cannot be built.
void init_imgui(GLFWwindow* window);
void shutdown_imgui();

// One frame: poll events, run posted callbacks, build the UI, render, swap.
// Returns what callbacks.frame() returned. Unless `may_block`, it takes the
// lock with callbacks.try_lock (when given) and skips the frame if that fails.
bool frame(GLFWwindow* window, const FrameCallbacks& callbacks, bool may_block);

// Runs `task` at the start of the next frame (load callbacks promise "later").
void post(std::function<void()> task);

// The handler set with set_drop_handler() (callbacks may be empty).
const DropCallbacks& drop_handler();

// The test hook's provider (set_state_provider), "{}" when none.
std::string state_json();

}  // namespace cnn::platform::detail
