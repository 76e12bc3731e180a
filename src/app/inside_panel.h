// "Inside the network" (inside_panel.cpp, inside_layers.cpp): for one input
// (a test image, a misclassified one, or the drawing pad's digit) the
// network's layers left to right with their shapes, in the manner of CNN
// Explainer; a click on a layer shows its activation maps. Also the first
// layer's filters and the saliency map of a class, each with a colour bar.
#pragma once
#include <memory>

#include <nlohmann/json.hpp>

namespace cnn::app {

class App;
namespace inside {
struct State;
}

class InsidePanel {
 public:
  InsidePanel();
  ~InsidePanel();
  InsidePanel(const InsidePanel&) = delete;
  InsidePanel& operator=(const InsidePanel&) = delete;

  // Opens the panel at full size on the first frame (option `inside`).
  void open_at_start();
  // Draws the panel's contents into the current window.
  void draw(App& app);
  // The test hook's part: {"visible", "expanded", "source", "index", "target",
  //  "predicted", "label", "recomputes", "error", "selected_layer",
  //  "input"/"saliency"/"overlay"/"filters": {"size": [w, h], "colours": n},
  //  "layers": [{"name", "type", "shape", "size", "colours", "shown", "total"}]}.
  // "colours" counts the distinct colours read back from each rendered texture.
  nlohmann::json to_json() const;

 private:
  std::unique_ptr<inside::State> state_;
};

}  // namespace cnn::app
