#include "app/colorbar.h"

#include <imgui.h>

#include <algorithm>

#include "app/plot_scale.h"

namespace cnn::app {

namespace {

constexpr int kSteps = 128;    // the gradient's texture rows
constexpr int kColormaps = 5;  // platform::Colormap's values

// One gradient texture per colour map, drawn on first use and kept as long
// as the window (GL objects: never destroyed after the context is gone).
platform::ColormapCanvas* gradients[kColormaps] = {};

const platform::ColormapCanvas* gradient(platform::Colormap map) {
  const int i = std::clamp(int(map), 0, kColormaps - 1);
  if (!gradients[i]) {
    auto* canvas = new platform::ColormapCanvas;
    // Values 1 (top row) .. 0 (bottom) through the map's shader; the numbers
    // beside the bar carry the range.
    const int channels = map == platform::Colormap::kRgb ? 3 : 1;
    platform::FloatImage ramp(1, kSteps, channels);
    for (int y = 0; y < kSteps; ++y)
      for (int c = 0; c < channels; ++c) ramp.at(0, y, c) = 1.f - float(y) / float(kSteps - 1);
    if (!canvas->draw(ramp, {platform::MapTile{0, 0, 1, kSteps, 0.f, 1.f}}, map)) {
      delete canvas;  // the shaders are unusable (colormap_error() says why)
      return nullptr;
    }
    gradients[i] = canvas;
  }
  return gradients[i];
}

}  // namespace

float color_bar_width() {
  return ImGui::GetFontSize() * 1.9f + ImGui::CalcTextSize("max -0.0125").x;
}

void color_bar(platform::Colormap map, float lo, float hi, float height, const char* caption) {
  const float f = ImGui::GetFontSize();
  ImGui::BeginGroup();
  if (caption) ImGui::TextDisabled("%s", caption);
  ImGui::TextDisabled("max %.3g", double(hi));
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float bar_w = f * 0.9f, h = std::max(height, f * 3);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  if (const platform::ColormapCanvas* g = gradient(map); g && g->texture())
    draw->AddImage(g->texture(), p, ImVec2(p.x + bar_w, p.y + h));
  draw->AddRect(p, ImVec2(p.x + bar_w, p.y + h), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  // Round tick values beside the bar.
  plot::Range r{lo, hi};
  if (!(r.hi > r.lo)) r.hi = r.lo + 1;
  const int max_ticks = std::max(2, int(h / (f * 1.6f)));
  const std::vector<double> ticks = plot::linear_ticks(r, max_ticks);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : r.span();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (double t : ticks) {
    const float y = p.y + float((r.hi - t) / r.span()) * h;
    // The tick mark inside the bar's edge, so it does not read as a minus sign.
    draw->AddLine(ImVec2(p.x + bar_w * 0.6f, y), ImVec2(p.x + bar_w, y), text);
    draw->AddText(ImVec2(p.x + bar_w + f * 0.35f, y - f * 0.5f), text,
                  plot::tick_label(t, step).c_str());
  }
  ImGui::Dummy(ImVec2(color_bar_width(), h));
  ImGui::TextDisabled("min %.3g", double(lo));
  ImGui::EndGroup();
}

}  // namespace cnn::app
