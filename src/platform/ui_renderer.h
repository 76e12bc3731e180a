// Draws Dear ImGui's draw lists with OpenGL 3.3 or WebGL2 (shaders/ui.*.glsl),
// in place of the ImGui OpenGL3 backend. That backend queries and restores
// about 25 GL states on every frame; in a browser each such query waits for
// the GPU process to finish all queued work, and a CPU profile of the page
// while training (tests/e2e/profile_frames.js, headless Chromium with
// software WebGL on 2 cores) found 95% of the main thread's time in WebGL's
// getParameter. This renderer queries nothing per frame: the platform owns
// the GL context, so it sets the state it needs and leaves a neutral one
// (no blending, no scissor) for the next frame's clear and the colour maps.
#pragma once
#include <string>

struct ImDrawData;

namespace cnn::platform::detail {

// After ImGui::CreateContext(), with the context current: builds the program,
// buffers and the font texture. Returns "" or what went wrong.
std::string ui_renderer_init();
void ui_renderer_render(const ImDrawData* data);
// (Re)uploads ImGui's font atlas (after the fonts were rebuilt at a new size).
void ui_renderer_upload_font();
void ui_renderer_shutdown();

}  // namespace cnn::platform::detail
