// What the "Inside the network" panel keeps between frames (InsidePanel
// owns one), shared by its two files: inside_panel.cpp (input, recompute,
// controls, test hook) and inside_layers.cpp (the pictures).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "lab/inside_view.h"
#include "platform/colormap_renderer.h"

namespace cnn::app {
using lab::InsideView, lab::LayerView, lab::MapGrid;

class App;

namespace inside {

enum class Source { kTest, kPad };

// What the pictures were computed from; any change but the weights recomputes at once.
struct Inputs {
  const Model* model = nullptr;
  long weights = -1;
  const Dataset* data = nullptr;
  int data_size = 0;
  Source source = Source::kTest;
  int index = 0, target = -1;
  bool per_map = true;
  bool large = false;      // the small panel draws only the input and its saliency
  std::vector<float> pad;  // the pad's digit, when it is the input
  bool same_but_weights(const Inputs& o) const {
    return model == o.model && data == o.data && data_size == o.data_size && source == o.source &&
           index == o.index && target == o.target && per_map == o.per_map && large == o.large &&
           pad == o.pad;
  }
};

struct Canvases {
  platform::ColormapCanvas input, saliency, overlay, filters;
  std::vector<std::unique_ptr<platform::ColormapCanvas>> layers;
};

struct State {
  bool large = true, open_at_start = false;
  bool visible = false;
  Source source = Source::kTest;
  int index = 0, target = -1;
  bool per_map = true;
  int selected = -1;  // the layer whose maps are shown (index into view.layers; -1: the last)
  std::vector<float> pad_seen;  // the pad's digit last seen: a new one becomes the input
  std::string note;             // e.g. "no mistake among the next 2000 test images"

  Inputs drawn;  // what the pictures show
  bool has_view = false;
  double drawn_at = -1;
  long recomputes = 0;
  std::string problem;  // why nothing can be shown (no model, wrong input shape, ...)
  InsideView view;
  int label = -1;        // the test image's true class, -1 for the pad
  int input_pixels = 0;  // distinct pixels of the input image (the tests' state)
  // Canvases own GL textures: created on the UI thread, never destroyed
  // (they live as long as the page or the window).
  Canvases* gpu = nullptr;

  int selected_layer() const {
    const int n = int(view.layers.size());
    return n == 0 ? -1 : selected < 0 || selected >= n ? n - 1 : selected;
  }
};

// inside_layers.cpp: the large view's pictures (input, saliency, the layers
// left to right, the selected layer's maps, the filters) and the small one's.
void draw_large_pictures(App& app, State& s);
void draw_small_pictures(App& app, const State& s);
// The class's name in the test set, or its number.
std::string class_name(const App& app, int c);

}  // namespace inside
}  // namespace cnn::app
