// The "Style transfer" panel (style_panel.cpp, style_images.cpp,
// style_settings.cpp): its state, what the rest of the app hands to it
// (uploaded images, a VGG weights file), how it starts, and what the test
// hook reports about it.
#pragma once
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/platform.h"

namespace cnn::lab {
class StyleJob;
}

namespace cnn::app {

class App;
namespace style_ui {
struct State;
}

class StylePanel {
 public:
  explicit StylePanel(lab::StyleJob& job);  // the playground's job, which the panel drives
  ~StylePanel();
  StylePanel(const StylePanel&) = delete;
  StylePanel& operator=(const StylePanel&) = delete;

  // Draws the panel's contents into the current window (the run itself
  // advances in App::frame(), whichever tab is on screen).
  void draw(App& app);

  // An image the user dropped or picked: it becomes the content or style
  // image (whichever upload button was pressed last; content by default). A
  // file that is no image, or a corrupt one, is named in the panel.
  void receive_image(platform::DroppedFile file);
  // True while the panel waits for a VGG .safetensors file (its upload
  // button was pressed); receive_weights() then takes the next one.
  bool wants_weights() const;
  void receive_weights(platform::DroppedFile file);

  // With demo_iterations > 0 (option style-demo) the panel runs the
  // one-click default for that many iterations (desktop screenshot:
  // bricklab --style-demo N --screenshot FILE).
  void open_at_start(int demo_iterations);
  // The demo's iterations are done (main.cpp then takes the screenshot).
  bool demo_done() const;

  // {"open", "state", "steps", "iterations", "content": {"name", "size"}, "style": {...},
  //  "backbone", "backbone_state", "losses": [{"content","style","tv","total"} first and last],
  //  "recent_style": [the last <= 5 style losses],
  //  "notice", "error", "image": [w, h], "version", "mode", "seconds_per_step", "view": {...}}
  nlohmann::json to_json(const App& app) const;

 private:
  std::unique_ptr<style_ui::State> state_;
};

// True for names the panel takes as images (.png, .jpg, .jpeg, .bmp, .gif, .tga, .pnm, ...).
bool is_image_file(const std::string& name);

}  // namespace cnn::app
