// "Inside the network"'s pictures, in the manner of CNN Explainer: the input
// and its saliency on top; then the network's layers left to right, each a
// clickable column with its name, shape and a thumbnail of its maps; under
// them the chosen layer's maps at full size, and the first layer's filters.
// Every picture has a colour bar of the map that drew it (colorbar.h).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "app/app.h"
#include "app/colorbar.h"
#include "app/inside_state.h"
#include "app/panel_ui.h"

namespace cnn::app::inside {

namespace {

using platform::Colormap;
using platform::ColormapCanvas;

Colormap image_map(const MapGrid& g) {
  return g.image.channels == 3 ? Colormap::kRgb : Colormap::kGrey;
}

// Class probabilities from the scores (which are logits unless the model ends in softmax).
float probability(const Model& model, const std::vector<float>& scores, int c) {
  if (std::string(model.brick(model.num_nodes() - 1).type()) == "softmax") return scores[size_t(c)];
  const float top = *std::max_element(scores.begin(), scores.end());
  float sum = 0;
  for (float v : scores) sum += std::exp(v - top);
  return std::exp(scores[size_t(c)] - top) / sum;
}

// A canvas's size on screen at an integer magnification that fits `width`
// (at most max_scale).
ImVec2 magnified(const ColormapCanvas& c, float width, float max_scale) {
  const float scale = std::max(1.f, std::min(max_scale, std::floor(width / float(c.width()))));
  return ImVec2(c.width() * scale, c.height() * scale);
}

// A canvas's size scaled to fit w x h, keeping its aspect ratio.
ImVec2 fitted(const ColormapCanvas& c, float w, float h) {
  if (c.width() <= 0 || c.height() <= 0) return ImVec2(0, 0);
  const float scale = std::min(w / float(c.width()), h / float(c.height()));
  return ImVec2(c.width() * scale, c.height() * scale);
}

// The colour bar for a grid drawn through `map`: its values when its tiles
// share one range, else each map's own range, bottom to top.
void grid_bar(const MapGrid& g, Colormap map, float height, bool per_map) {
  if (g.tiles.empty()) return;
  if (per_map && g.tiles.size() > 1) {
    const bool signed_map = map == Colormap::kDiverging;
    color_bar(map, signed_map ? -1.f : 0.f, 1.f, height, "per map");
    tooltip(signed_map ? "Each map is scaled to its own range, -largest |value| .. +largest."
                       : "Each map is scaled to its own range: its minimum (0) .. maximum (1).");
  } else {
    color_bar(map, g.tiles[0].lo, g.tiles[0].hi, height, "value");
    tooltip("The values the colours stand for.");
  }
}

// A captioned picture with its colour bar beside it.
void picture(const char* caption, const char* help, const ColormapCanvas& c, const MapGrid& g,
             Colormap map, float size) {
  if (!c.texture()) return;
  ImGui::BeginGroup();
  ImGui::TextDisabled("%s", caption);
  const ImVec2 shown = fitted(c, size, size);
  ImGui::Image(c.texture(), shown);
  tooltip(help);
  ImGui::EndGroup();
  ImGui::SameLine();
  grid_bar(g, map, shown.y, false);
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

// One column of the layer strip: name, type and shape, a thumbnail; a click
// selects it. As wide as the thumbnail at the strip's height needs, within limits.
bool layer_column(App& app, const std::string& name, const std::string& detail,
                  const ColormapCanvas* c, bool selected, float h) {
  const float f = ImGui::GetFontSize();
  float w = std::max({f * 6, ImGui::CalcTextSize(name.c_str()).x,
                      ImGui::CalcTextSize(detail.c_str()).x}) +
            f * 0.4f;
  if (c && c->height() > 0)
    w = std::clamp(float(c->width()) / float(c->height()) * (h - f * 2.6f) + f * 0.4f, w,
                   std::max(w, f * 12));
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::Selectable(("##layer " + name).c_str(), selected, 0, ImVec2(w, h));
  app.widgets.track("inside layer " + name);
  tooltip("Show this layer's maps below.");
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->PushClipRect(p, ImVec2(p.x + w, p.y + h), true);
  draw->AddText(ImVec2(p.x + f * 0.2f, p.y), ImGui::GetColorU32(ImGuiCol_Text), name.c_str());
  draw->AddText(ImVec2(p.x + f * 0.2f, p.y + f * 1.1f), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                detail.c_str());
  if (c && c->texture()) {
    const ImVec2 t = fitted(*c, w - f * 0.4f, h - f * 2.6f);
    const ImVec2 at(p.x + (w - t.x) / 2, p.y + f * 2.4f);
    draw->AddImage(c->texture(), at, ImVec2(at.x + t.x, at.y + t.y));
  }
  draw->PopClipRect();
  return clicked;
}

// The network left to right: the input, then every layer's output.
void draw_layer_strip(App& app, State& s, const Canvases& gpu) {
  const float f = ImGui::GetFontSize();
  const float w = f * 7, h = f * 7;
  ImGui::TextUnformatted("The network, input to output (click a layer to see its maps):");
  ImGui::BeginChild("##layer strip", ImVec2(0, h + f * 2.2f), true,
                    ImGuiWindowFlags_HorizontalScrollbar);
  const std::string input_shape = s.drawn.model ? s.drawn.model->input_shape().sample_str() : "";
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::TextUnformatted("input");
  ImGui::TextDisabled("%s", input_shape.c_str());
  if (gpu.input.texture()) {
    const ImVec2 t = fitted(gpu.input, w - f * 0.4f, h - f * 2.6f);
    ImGui::Image(gpu.input.texture(), t);
  }
  ImGui::SetCursorScreenPos(ImVec2(p.x + w, p.y));
  ImGui::Dummy(ImVec2(0, h));
  const int selected = s.selected_layer();
  for (size_t i = 0; i < s.view.layers.size() && i < gpu.layers.size(); ++i) {
    const LayerView& l = s.view.layers[i];
    ImGui::SameLine();
    ImGui::TextDisabled(">");
    ImGui::SameLine();
    if (layer_column(app, l.name, l.type + " " + l.shape, gpu.layers[i].get(), int(i) == selected,
                     h))
      s.selected = int(i);
  }
  ImGui::EndChild();
}

// The chosen layer's maps, magnified, with the colour bar.
void draw_selected_layer(const State& s, const Canvases& gpu, float width) {
  const int i = s.selected_layer();
  if (i < 0 || size_t(i) >= gpu.layers.size()) return;
  const LayerView& l = s.view.layers[size_t(i)];
  ImGui::Text("%s", l.name.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("%s  %s  values %.3g .. %.3g", l.type.c_str(), l.shape.c_str(), l.maps.lo,
                      l.maps.hi);
  if (l.maps.shown < l.maps.total) {
    ImGui::SameLine();
    ImGui::TextDisabled("(first %d of %d)", l.maps.shown, l.maps.total);
  }
  const ColormapCanvas& c = *gpu.layers[size_t(i)];
  if (!c.texture()) return;
  const bool vector = l.maps.image.height <= 32 && !l.maps.tiles.empty() && l.maps.tiles[0].h == 1;
  // Small maps (7x7) magnified more, so every map is at least ~3 lines of text tall.
  const int tile_h = l.maps.tiles.empty() ? 1 : std::max(1, l.maps.tiles[0].h);
  const float f = ImGui::GetFontSize();
  const float room = std::max(f * 8, width - color_bar_width() - f);
  const ImVec2 shown =
      magnified(c, room, vector ? 16.f : std::max(3.f, std::floor(3 * f / tile_h)));
  ImGui::Image(c.texture(), shown);
  tooltip(vector ? "The layer's values, one cell each (dark: low, yellow: high)."
                 : "One map per channel: where in the input this channel responds "
                   "(dark: low, yellow: high).");
  ImGui::SameLine();
  grid_bar(l.maps, Colormap::kViridis, std::max(shown.y, f * 6), s.drawn.per_map);
}

void draw_filters(const State& s, const Canvases& gpu, float width) {
  if (s.view.filters.tiles.empty() || !gpu.filters.texture()) return;
  const MapGrid& g = s.view.filters;
  const bool rgb = g.image.channels == 3;
  ImGui::Text("First-layer filters: %s, %d of %d, %dx%d%s", s.view.filters_name.c_str(), g.shown,
              g.total, g.tiles[0].w, g.tiles[0].h,
              rgb ? " RGB (grey = 0)" : " (blue -, white 0, red +)");
  const float f = ImGui::GetFontSize();
  const ImVec2 shown = magnified(gpu.filters, std::min(width - color_bar_width() - f, f * 30), 10);
  ImGui::Image(gpu.filters.texture(), shown);
  tooltip("The weights the first convolution slides over the input, one tile per filter.");
  ImGui::SameLine();
  grid_bar(g, rgb ? Colormap::kRgb : Colormap::kDiverging, std::max(shown.y, f * 6),
           s.drawn.per_map);
}

}  // namespace

void draw_large_pictures(App& app, State& s) {
  const Canvases* gpu = s.gpu;
  if (!s.has_view || !gpu) return;
  const float f = ImGui::GetFontSize();
  const float size = f * 7;
  picture("input", "What the network sees.", gpu->input, s.view.input, image_map(s.view.input),
          size);
  ImGui::SameLine();
  picture("saliency (blue -, red +)",
          "How much each pixel moves the class score (d score / d pixel): red raises it, blue "
          "lowers it.",
          gpu->saliency, s.view.saliency_signed, Colormap::kDiverging, size);
  ImGui::SameLine();
  picture("saliency over the input", "The size of the saliency, drawn over the input.",
          gpu->overlay, s.view.saliency_magnitude, Colormap::kHeat, size);
  ImGui::SameLine();
  ImGui::BeginGroup();
  draw_prediction(app, s);
  ImGui::EndGroup();
  ImGui::TextWrapped("Saliency: how much each pixel moves the class score (d score / d pixel).");
  draw_layer_strip(app, s, *gpu);
  ImGui::BeginChild("layers", ImVec2(0, 0), true);
  const float width = ImGui::GetContentRegionAvail().x;
  draw_selected_layer(s, *gpu, width);
  ImGui::Separator();
  draw_filters(s, *gpu, width);
  ImGui::EndChild();
}

void draw_small_pictures(App& app, const State& s) {
  if (!s.has_view || !s.gpu) return;
  const float size = ImGui::GetFontSize() * 5;
  ImGui::BeginGroup();
  ImGui::TextDisabled("input");
  const ImVec2 shown = fitted(s.gpu->input, size, size);
  if (s.gpu->input.texture()) ImGui::Image(s.gpu->input.texture(), shown);
  ImGui::EndGroup();
  ImGui::SameLine();
  picture("saliency", "The size of d score / d pixel, drawn over the input.", s.gpu->overlay,
          s.view.saliency_magnitude, Colormap::kHeat, size);
  ImGui::SameLine();
  ImGui::BeginGroup();
  draw_prediction(app, s);
  ImGui::EndGroup();
}

}  // namespace cnn::app::inside
