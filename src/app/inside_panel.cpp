// "Inside the network": for one input (a test image, a misclassified one, or
// the drawing pad's digit) the first layer's filters, every layer's
// activation maps and the saliency map of a class, drawn with the GLSL colour
// maps of shaders/ (platform/colormap_renderer.h). The numbers come from
// inside_view.h; this file chooses the input, decides when to recompute, and
// lays the pictures out.
//
// The window sits small in the bottom-right corner (input, saliency overlay,
// prediction) until "Show inside the network" enlarges it over the left-hand
// panels; "Shrink" puts it back. Everything is recomputed only when the
// input, the class, the options or the weights change, and while training at
// most every kRecomputeEvery seconds.
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

#include "app/app.h"
#include "app/inside_panel.h"
#include "app/panels.h"
#include "core/error.h"
#include "lab/inside_view.h"
#include "platform/colormap_renderer.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::InsideView, lab::LayerView, lab::MapGrid, lab::inspect, lab::next_misclassified;

namespace {

// Distinct pixels of an image (RGB triples, or grey values): an image can
// have fewer grey levels than a test would guess (MNIST test image 22 has 10),
// and its pixels bound the colours its picture can show.
int distinct_pixels(const platform::FloatImage& image) {
  std::set<std::array<float, 3>> seen;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      std::array<float, 3> pixel{};
      for (int c = 0; c < image.channels && c < 3; ++c) pixel[size_t(c)] = image.at(x, y, c);
      seen.insert(pixel);
    }
  return int(seen.size());
}

using platform::Colormap;
using platform::ColormapCanvas;

constexpr double kRecomputeEvery = 0.5;  // seconds, while the weights change
constexpr int kGridWidth = 270;          // pixels of maps per row (x3 on screen)
const ImVec2 kSmallPos(894, 656), kSmallSize(378, 196);
const ImVec2 kLargePos(8, 8), kLargeSize(878, 844);

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
  ColormapCanvas input, saliency, overlay, filters;
  std::vector<std::unique_ptr<ColormapCanvas>> layers;
};

struct State {
  bool large = false, pending_resize = false, open_at_start = false;
  bool visible = false;
  Source source = Source::kTest;
  int index = 0, target = -1;
  bool per_map = true;
  std::string note;  // e.g. "no mistake among the next 2000 test images"

  Inputs drawn;  // what the pictures show
  bool has_view = false;
  double drawn_at = -1;
  long recomputes = 0;
  std::string problem;  // why nothing can be shown (no model, wrong input shape, ...)
  InsideView view;
  int label = -1;  // the test image's true class, -1 for the pad
  int input_pixels = 0;  // distinct pixels of the input image (the tests' state)
  // Canvases own GL textures: created on the UI thread, never destroyed
  // (they live as long as the page or the window).
  Canvases* gpu = nullptr;
};

State& state() {
  static State s;
  return s;
}

// The model input for the chosen source, or a reason why there is none.
bool make_input(App& app, const State& s, const Model& model, Tensor& x, std::string& problem) {
  const Shape want = model.input_shape();
  if (s.source == Source::kPad) {
    if (want != Shape{1, 1, 28, 28}) {
      problem = "the drawing pad makes 1x28x28 digits; this model takes " + want.sample_str();
      return false;
    }
    if (!app.pad.has_ink) {
      problem = "draw a digit on the pad";
      return false;
    }
    x = Tensor({1, 1, 28, 28});
    for (size_t i = 0; i < x.size(); ++i) x[i] = app.pad.digit.pixels[i] * 255.f;  // raw scale
    app.preprocessing.apply(x);
    return true;
  }
  const Dataset* test = app.session.test_data();
  if (!test || test->size() == 0) {
    problem = "no test images yet";
    return false;
  }
  if (test->x.shape().with_batch(1) != want) {
    problem = "the test images are " + test->x.shape().sample_str() + ", the model takes " +
              want.sample_str();
    return false;
  }
  const int i = std::clamp(s.index, 0, test->size() - 1);
  x = Tensor(want);
  std::copy(test->x.sample(i), test->x.sample(i) + want.size(), x.data());
  return true;
}

Colormap image_map(const MapGrid& g) {
  return g.image.channels == 3 ? Colormap::kRgb : Colormap::kGrey;
}

void draw_canvas(ColormapCanvas& canvas, const MapGrid& g, Colormap map, bool& ok) {
  if (!ok || g.tiles.empty()) return;
  ok = canvas.draw(g.image, g.tiles, map);
}

// Recomputes the view and renders every picture; keeps no float images.
void recompute(App& app, State& s, const Inputs& now) {
  Model* model = app.session.model();
  s.drawn = now;
  s.drawn_at = platform::now_seconds();
  s.has_view = false;
  s.problem.clear();
  Tensor x;
  if (!model) {
    s.problem = "no model";
    return;
  }
  if (!make_input(app, s, *model, x, s.problem)) return;
  const int outputs = int(model->output_shape(model->outputs()[0]).sample_size());
  const int target = s.target < outputs ? s.target : -1;
  try {
    // Grids about kGridWidth map pixels wide, shown magnified up to 3 times.
    s.view = inspect(*model, x, target, {.per_map_range = s.per_map, .max_width = kGridWidth});
  } catch (const Error& e) {
    s.problem = e.what();
    return;
  }
  const Dataset* test = app.session.test_data();
  s.label = s.source == Source::kTest && test && test->size() > 0
                ? int(test->y[size_t(std::clamp(s.index, 0, test->size() - 1))])
                : -1;
  ++s.recomputes;
  s.has_view = true;
  s.input_pixels = distinct_pixels(s.view.input.image);  // before the values go (below)

  if (!s.gpu) s.gpu = new Canvases;
  Canvases& gpu = *s.gpu;
  bool ok = true;
  draw_canvas(gpu.input, s.view.input, image_map(s.view.input), ok);
  draw_canvas(gpu.overlay, s.view.input, image_map(s.view.input), ok);
  if (ok)
    ok = gpu.overlay.draw(s.view.saliency_magnitude.image, s.view.saliency_magnitude.tiles,
                          Colormap::kHeat, /*clear=*/false);
  if (!now.large) {
    // The small panel shows only those two: drawing every layer's maps too
    // took most of a 100 ms frame in the browser (WebGL on SwiftShader).
    s.view.layers.clear();
    s.view.filters = MapGrid{};
    for (MapGrid* g : {&s.view.input, &s.view.saliency_signed, &s.view.saliency_magnitude})
      std::vector<float>().swap(g->image.values);
    return;
  }
  draw_canvas(gpu.saliency, s.view.saliency_signed, Colormap::kDiverging, ok);
  draw_canvas(gpu.filters, s.view.filters,
              s.view.filters.image.channels == 3 ? Colormap::kRgb : Colormap::kDiverging, ok);
  while (gpu.layers.size() < s.view.layers.size())
    gpu.layers.push_back(std::make_unique<ColormapCanvas>());
  for (size_t i = 0; i < s.view.layers.size(); ++i)
    draw_canvas(*gpu.layers[i], s.view.layers[i].maps, Colormap::kViridis, ok);
  // The pictures are on the GPU now; keep only the layout and the ranges.
  for (MapGrid* g :
       {&s.view.input, &s.view.saliency_signed, &s.view.saliency_magnitude, &s.view.filters})
    std::vector<float>().swap(g->image.values);
  for (LayerView& l : s.view.layers) std::vector<float>().swap(l.maps.image.values);
}

std::string class_name(const App& app, int c) {
  const auto& names = app.test.class_names;
  return c >= 0 && size_t(c) < names.size() ? names[size_t(c)] : std::to_string(c);
}

// Class probabilities from the scores (which are logits unless the model ends in softmax).
float probability(const Model& model, const std::vector<float>& scores, int c) {
  if (std::string(model.brick(model.num_nodes() - 1).type()) == "softmax") return scores[size_t(c)];
  const float top = *std::max_element(scores.begin(), scores.end());
  float sum = 0;
  for (float v : scores) sum += std::exp(v - top);
  return std::exp(scores[size_t(c)] - top) / sum;
}

// A canvas at an integer magnification that fits `width` (at most max_scale).
void show(const ColormapCanvas& c, float width, float max_scale) {
  if (!c.texture()) return;
  const float scale = std::max(1.f, std::min(max_scale, std::floor(width / float(c.width()))));
  ImGui::Image(c.texture(), ImVec2(c.width() * scale, c.height() * scale));
}

// A canvas scaled to `size` pixels on its longer side.
void show_fitted(const ColormapCanvas& c, float size) {
  if (!c.texture()) return;
  const float scale = size / float(std::max(c.width(), c.height()));
  ImGui::Image(c.texture(), ImVec2(c.width() * scale, c.height() * scale));
}

void captioned(const char* caption, const ColormapCanvas& c, float size) {
  ImGui::BeginGroup();
  ImGui::TextDisabled("%s", caption);
  show_fitted(c, size);
  ImGui::EndGroup();
}

void draw_prediction(App& app, const State& s) {
  const Model* model = app.session.model();
  if (!s.has_view || !model) return;
  const SaliencyResult& r = s.view.saliency;
  ImGui::Text("predicted: %s (%.1f%%)", class_name(app, r.predicted).c_str(),
              100 * probability(*model, r.scores, r.predicted));
  if (s.label >= 0) {
    const bool right = s.label == r.predicted;
    ImGui::TextColored(right ? ImVec4(0.4f, 0.85f, 0.5f, 1) : ImVec4(1, 0.45f, 0.4f, 1),
                       "true class: %s", class_name(app, s.label).c_str());
  }
  ImGui::TextDisabled("saliency of: %s", class_name(app, r.target).c_str());
}

void draw_controls(App& app, State& s) {
  const Dataset* test = app.session.test_data();
  const int n = test ? test->size() : 0;
  if (ImGui::RadioButton("test image", s.source == Source::kTest)) s.source = Source::kTest;
  app.widgets.track("inside test image");
  ImGui::SameLine();
  if (ImGui::RadioButton("drawing pad", s.source == Source::kPad)) s.source = Source::kPad;
  app.widgets.track("inside drawing pad");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  if (ImGui::InputInt("##index", &s.index)) s.source = Source::kTest;
  app.widgets.track("inside index");
  s.index = n ? std::clamp(s.index, 0, n - 1) : 0;
  ImGui::SameLine();
  Model* model = app.session.model();
  if (app.widgets.button("Next misclassified", model && n > 0)) {
    app.session.wait_unit();  // a click may wait for the unit in progress
    const int found = next_misclassified(*model, *test, s.index + 1);
    s.note = found < 0 ? "no mistake among the next 2000 test images" : "";
    if (found >= 0) s.index = found;
    s.source = Source::kTest;
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  const int classes = model ? int(model->output_shape(model->outputs()[0]).sample_size()) : 0;
  const std::string current = s.target < 0 ? "predicted" : class_name(app, s.target);
  if (ImGui::BeginCombo("class", current.c_str())) {
    if (ImGui::Selectable("predicted", s.target < 0)) s.target = -1;
    for (int c = 0; c < classes; ++c)
      if (ImGui::Selectable(class_name(app, c).c_str(), s.target == c)) s.target = c;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::Checkbox("scale each map", &s.per_map);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("On: every map uses its own colour range. Off: one range per layer.");
  if (!s.note.empty()) ImGui::TextDisabled("%s", s.note.c_str());
}

void draw_large(App& app, State& s) {
  draw_controls(app, s);
  ImGui::Separator();
  const Canvases* gpu = s.gpu;
  if (s.has_view && gpu) {
    captioned("input", gpu->input, 140);
    ImGui::SameLine();
    captioned("saliency (blue -, red +)", gpu->saliency, 140);
    ImGui::SameLine();
    captioned("saliency over the input", gpu->overlay, 140);
    ImGui::SameLine();
    ImGui::BeginGroup();
    draw_prediction(app, s);
    ImGui::TextWrapped("Saliency: how much each pixel moves the class score (d score / d pixel).");
    ImGui::EndGroup();
  }
  ImGui::BeginChild("layers", ImVec2(0, 0), true);
  const float width = ImGui::GetContentRegionAvail().x;
  if (s.has_view && gpu) {
    if (!s.view.filters.tiles.empty()) {
      const MapGrid& f = s.view.filters;
      ImGui::Text("First-layer filters: %s, %d of %d, %dx%d%s", s.view.filters_name.c_str(),
                  f.shown, f.total, f.tiles[0].w, f.tiles[0].h,
                  f.image.channels == 3 ? " RGB (grey = 0)" : " (blue -, white 0, red +)");
      show(gpu->filters, std::min(width, 480.f), 10);
    }
    for (size_t i = 0; i < s.view.layers.size() && i < gpu->layers.size(); ++i) {
      const LayerView& l = s.view.layers[i];
      ImGui::Separator();
      ImGui::Text("%s", l.name.c_str());
      ImGui::SameLine();
      ImGui::TextDisabled("%s  %s  values %.3g .. %.3g", l.type.c_str(), l.shape.c_str(), l.maps.lo,
                          l.maps.hi);
      if (l.maps.shown < l.maps.total) {
        ImGui::SameLine();
        ImGui::TextDisabled("(first %d of %d)", l.maps.shown, l.maps.total);
      }
      const bool vector =
          l.maps.image.height <= 32 && l.maps.tiles.size() > 0 && l.maps.tiles[0].h == 1;
      // Small maps (7x7) magnified more, so every map is at least ~48 pixels tall.
      const int tile_h = l.maps.tiles.empty() ? 1 : std::max(1, l.maps.tiles[0].h);
      show(*gpu->layers[i], width, vector ? 16.f : std::max(3.f, std::floor(48.f / tile_h)));
    }
  }
  ImGui::EndChild();
}

void draw_small(App& app, State& s) {
  if (s.has_view && s.gpu) {
    captioned("input", s.gpu->input, 96);
    ImGui::SameLine();
    captioned("saliency", s.gpu->overlay, 96);
    ImGui::SameLine();
    ImGui::BeginGroup();
    draw_prediction(app, s);
    ImGui::EndGroup();
  }
}

}  // namespace

void open_inside_panel_at_start() {
  state().open_at_start = true;
}

void draw_inside_panel(App& app) {
  State& s = state();
  if (s.open_at_start) {
    s.open_at_start = false;
    s.large = s.pending_resize = true;
  }
  if (s.pending_resize) {
    ImGui::SetNextWindowPos(s.large ? kLargePos : kSmallPos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(s.large ? kLargeSize : kSmallSize, ImGuiCond_Always);
    ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);
    if (s.large) ImGui::SetNextWindowFocus();
    s.pending_resize = false;
  } else {
    place_window(kSmallPos.x, kSmallPos.y, kSmallSize.x, kSmallSize.y);
  }
  // Opaque when large: it covers other panels.
  if (s.large) ImGui::SetNextWindowBgAlpha(1.f);
  s.visible = ImGui::Begin("Inside the network");
  if (!s.visible) {
    ImGui::End();
    return;
  }
  if (app.widgets.button(s.large ? "Shrink" : "Show inside the network")) {
    s.large = !s.large;
    s.pending_resize = true;
  }

  // Recompute when anything but the weights changed, or the weights did and
  // the last computation is old enough.
  Inputs now;
  now.model = app.session.model();
  now.weights = app.session.weights_version();
  now.data = app.session.test_data();
  now.data_size = now.data ? now.data->size() : 0;
  now.source = s.source;
  now.index = s.index;
  now.target = s.target;
  now.per_map = s.per_map;
  now.large = s.large;
  if (s.source == Source::kPad && app.pad.has_ink) now.pad = app.pad.digit.pixels;
  const bool changed = !now.same_but_weights(s.drawn) || s.drawn_at < 0;
  const bool weights_moved =
      now.weights != s.drawn.weights && platform::now_seconds() - s.drawn_at > kRecomputeEvery;
  // The training worker may be inside a unit: then the model is busy, and the
  // maps follow a frame or two later (claim_model() asks for a hand-over).
  if ((changed || weights_moved) && app.session.claim_model()) recompute(app, s, now);

  const std::string& gl_error = platform::colormap_error();
  if (!gl_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.45f, 0.4f, 1));
    ImGui::TextWrapped("Cannot draw the maps: %s", gl_error.c_str());
    ImGui::PopStyleColor();
  }
  if (!s.problem.empty()) ImGui::TextDisabled("%s", s.problem.c_str());
  if (s.large)
    draw_large(app, s);
  else
    draw_small(app, s);
  ImGui::End();
}

nlohmann::json inside_panel_state() {
  using nlohmann::json;
  const State& s = state();
  auto texture = [](const ColormapCanvas& c) {
    return json{{"size", {c.width(), c.height()}}, {"colours", c.distinct_colours()}};
  };
  json j = {{"visible", s.visible},
            {"expanded", s.large},
            {"source", s.source == Source::kPad ? "pad" : "test"},
            {"index", s.index},
            {"target", s.target},
            {"recomputes", s.recomputes},
            {"problem", s.problem},
            {"error", platform::colormap_error()}};
  if (!s.has_view || !s.gpu) return j;
  j["predicted"] = s.view.saliency.predicted;
  j["saliency_class"] = s.view.saliency.target;
  j["label"] = s.label;
  j["input"] = texture(s.gpu->input);
  j["input"]["pixels"] = s.input_pixels;
  j["overlay"] = texture(s.gpu->overlay);
  j["layers"] = json::array();
  if (!s.drawn.large) return j;  // the small panel draws only the input and the overlay
  j["saliency"] = texture(s.gpu->saliency);
  j["filters"] = texture(s.gpu->filters);
  j["filters"]["name"] = s.view.filters_name;
  json layers = json::array();
  for (size_t i = 0; i < s.view.layers.size() && i < s.gpu->layers.size(); ++i) {
    const LayerView& l = s.view.layers[i];
    json layer = texture(*s.gpu->layers[i]);
    layer["name"] = l.name;
    layer["shape"] = l.shape;
    layer["shown"] = l.maps.shown;
    layer["total"] = l.maps.total;
    layers.push_back(layer);
  }
  j["layers"] = layers;
  return j;
}

}  // namespace cnn::app
