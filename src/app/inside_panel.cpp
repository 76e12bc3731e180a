// "Inside the network": chooses the input (a test image, a misclassified
// one, or the drawing pad's digit: a newly drawn digit becomes the input),
// decides when to recompute (inside_view.h), draws the controls and reports
// to the test hook. The pictures are drawn by inside_layers.cpp.
//
// The tab shows every layer; "Fewer pictures" keeps only the input, the
// saliency and the prediction (cheaper while training on a slow machine),
// "Every layer" brings the rest back. Everything is recomputed only when the
// input, the class, the options or the weights change, and while training at
// most every kRecomputeEvery seconds.
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <string>

#include "app/app.h"
#include "app/inside_panel.h"
#include "app/inside_state.h"
#include "app/panel_ui.h"
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

using inside::Canvases;
using inside::Inputs;
using inside::Source;
using inside::State;

constexpr double kRecomputeEvery = 0.5;  // seconds, while the weights change
constexpr int kGridWidth = 270;          // pixels of maps per row (magnified on screen)

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

void draw_controls(App& app, State& s) {
  const Dataset* test = app.session.test_data();
  const int n = test ? test->size() : 0;
  const float f = ImGui::GetFontSize();
  if (ImGui::RadioButton("test image", s.source == Source::kTest)) s.source = Source::kTest;
  app.widgets.track("inside test image");
  tooltip("Look inside the network for a test image (its number on the right).");
  ImGui::SameLine();
  if (ImGui::RadioButton("drawing pad", s.source == Source::kPad)) s.source = Source::kPad;
  app.widgets.track("inside drawing pad");
  tooltip("Look inside the network for the digit drawn on the pad (a new digit is taken at once).");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(f * 6);
  if (ImGui::InputInt("##index", &s.index)) s.source = Source::kTest;
  app.widgets.track("inside index");
  tooltip("Which test image (0 is the first).");
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
  tooltip("The next test image the model gets wrong.");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(f * 7);
  const int classes = model ? int(model->output_shape(model->outputs()[0]).sample_size()) : 0;
  const std::string current = s.target < 0 ? "predicted" : inside::class_name(app, s.target);
  if (ImGui::BeginCombo("class", current.c_str())) {
    if (ImGui::Selectable("predicted", s.target < 0)) s.target = -1;
    for (int c = 0; c < classes; ++c)
      if (ImGui::Selectable(inside::class_name(app, c).c_str(), s.target == c)) s.target = c;
    ImGui::EndCombo();
  }
  tooltip("The class whose score the saliency map explains (default: the predicted one).");
  ImGui::SameLine();
  ImGui::Checkbox("scale each map", &s.per_map);
  tooltip("On: every map uses its own colour range. Off: one range per layer.");
  if (!s.note.empty()) ImGui::TextDisabled("%s", s.note.c_str());
}

}  // namespace

namespace inside {

std::string class_name(const App& app, int c) {
  const auto& names = app.test.class_names;
  return c >= 0 && size_t(c) < names.size() ? names[size_t(c)] : std::to_string(c);
}

}  // namespace inside

InsidePanel::InsidePanel() : state_(std::make_unique<State>()) {}
InsidePanel::~InsidePanel() = default;

void InsidePanel::open_at_start() {
  state_->open_at_start = true;
}

void InsidePanel::draw(App& app) {
  State& s = *state_;
  // A digit newly drawn on the pad becomes the input, where the model takes digits.
  if (app.pad.has_ink && app.pad.digit.pixels != s.pad_seen) {
    s.pad_seen = app.pad.digit.pixels;
    const Model* m = app.session.model();
    if (m && m->input_shape() == Shape{1, 1, 28, 28}) s.source = Source::kPad;
  }
  if (s.open_at_start) {
    s.open_at_start = false;
    s.large = true;
  }
  s.visible = true;  // drawn only while its tab is selected (the frame's layout)
  if (app.widgets.button(s.large ? "Fewer pictures" : "Every layer")) {
    s.large = !s.large;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(s.large ? "Only the input, its saliency and the prediction: less to compute."
                              : "Every layer's activation maps, the filters and the saliency.");

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
  if (s.large) {
    draw_controls(app, s);
    ImGui::Separator();
    inside::draw_large_pictures(app, s);
  } else {
    inside::draw_small_pictures(app, s);
  }
}

void draw_inside_panel(App& app) {
  app.inside_panel.draw(app);
}

nlohmann::json InsidePanel::to_json() const {
  using nlohmann::json;
  const State& s = *state_;
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
    layer["type"] = l.type;
    layer["shape"] = l.shape;
    layer["shown"] = l.maps.shown;
    layer["total"] = l.maps.total;
    layers.push_back(layer);
  }
  j["layers"] = layers;
  const int sel = s.selected_layer();
  j["selected_layer"] = sel >= 0 ? s.view.layers[size_t(sel)].name : "";
  return j;
}

}  // namespace cnn::app
