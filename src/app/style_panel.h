// The "Style transfer" panel (style_panel.cpp): what the rest of the app
// hands to it (uploaded images, a VGG weights file), how it starts, and what
// the test hook reports about it.
#pragma once
#include <nlohmann/json.hpp>

#include "platform/platform.h"

namespace cnn::lab {
class StyleJob;
}

namespace cnn::app {

class App;

// The playground's style job, which the panel drives (App's constructor,
// before anything else here).
void set_style_job(lab::StyleJob& job);
// True for names the panel takes as images (.png, .jpg, .jpeg, .bmp, .gif, .tga, .pnm, ...).
bool is_image_file(const std::string& name);
// An image the user dropped or picked: it becomes the content or style image
// (whichever upload button was pressed last; content by default). A file
// that is no image, or a corrupt one, is named in the panel.
void style_receive_image(App& app, platform::DroppedFile file);
// True while the panel waits for a VGG .safetensors file (its upload button
// was pressed); style_receive_weights() then takes the next one.
bool style_wants_weights();
void style_receive_weights(App& app, platform::DroppedFile file);

// Opens the panel expanded on the first frame; with demo_iterations > 0 it
// also runs the one-click default for that many iterations (desktop
// screenshot: bricklab --style-demo N --screenshot docs/style_panel.png).
void open_style_panel_at_start(int demo_iterations);
// The demo's iterations are done (main.cpp then takes the screenshot).
bool style_demo_done();

// {"open", "state", "steps", "iterations", "content": {"name", "size"}, "style": {...},
//  "backbone", "backbone_state", "losses": [{"content","style","tv","total"} first and last],
//  "recent_style": [the last <= 5 style losses],
//  "notice", "error", "image": [w, h], "version", "mode", "seconds_per_step", "view": {...}}
nlohmann::json style_panel_state(const App& app);

}  // namespace cnn::app
