#include "app/layout.h"

#include <algorithm>
#include <cmath>

namespace cnn::app {

bool overlaps(const Rect& a, const Rect& b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

bool contains(const Rect& outer, const Rect& r) {
  return r.x >= outer.x && r.y >= outer.y && r.x + r.w <= outer.x + outer.w &&
         r.y + r.h <= outer.y + outer.h;
}

std::vector<std::pair<std::string, Rect>> ScreenLayout::regions() const {
  std::vector<std::pair<std::string, Rect>> all = {{"messages", messages}, {"controls", controls},
                                                   {"settings", settings}, {"pad", pad},
                                                   {"main", main},         {"status", status}};
  std::erase_if(all, [](const auto& r) { return r.second.h <= 0 || r.second.w <= 0; });
  return all;
}

ScreenLayout compute_layout(float x, float y, float width, float height, float font_size,
                            int message_lines) {
  const float f = std::max(1.f, font_size);
  // Whole pixels: regions that share an edge then never overlap by a fraction.
  auto px = [](float v) { return std::max(0.f, std::floor(v)); };
  const float gap = px(std::max(2.f, 0.25f * f));
  ScreenLayout l;
  float top = y + gap, bottom = y + height - gap;
  const float inner_w = px(width - 2 * gap);
  if (message_lines > 0) {
    const float h = px(std::min((1.4f * float(message_lines) + 1.2f) * f, 0.25f * height));
    l.messages = {x + gap, top, inner_w, h};
    top += h + gap;
  }
  const float status_h = px(std::min(2.4f * f, 0.1f * height));
  l.status = {x + gap, px(bottom - status_h), inner_w, status_h};
  bottom = l.status.y - gap;
  const float avail_h = px(bottom - top);

  // The left column: room for the settings' labels, never most of the screen.
  const float left_w = px(std::min(std::clamp(0.28f * width, 22 * f, 34 * f), 0.45f * width));
  const float pad_w = px(std::clamp(0.2f * width, 18 * f, 26 * f));
  const float controls_h = px(std::min(4.4f * f, 0.3f * avail_h));
  l.pad_beside = width - left_w - pad_w - 4 * gap >= 40 * f;
  const float left_x = x + gap;
  l.controls = {left_x, top, left_w, controls_h};
  const float below_controls = top + controls_h + gap;
  if (l.pad_beside) {
    l.settings = {left_x, below_controls, left_w, px(bottom - below_controls)};
    l.pad = {px(x + width - gap - pad_w), top, pad_w, avail_h};
    const float main_x = left_x + left_w + gap;
    l.main = {main_x, top, px(l.pad.x - gap - main_x), avail_h};
  } else {
    // Under the settings, leaving them at least a few lines.
    const float room = bottom - below_controls - gap;
    const float pad_h = px(std::min(std::clamp(0.42f * avail_h, 14 * f, 24 * f), room - 6 * f));
    l.pad = {left_x, px(bottom - std::max(0.f, pad_h)), left_w, std::max(0.f, pad_h)};
    l.settings = {left_x, below_controls, left_w, px(l.pad.y - gap - below_controls)};
    const float main_x = left_x + left_w + gap;
    l.main = {main_x, top, px(x + width - gap - main_x), avail_h};
  }
  return l;
}

}  // namespace cnn::app
