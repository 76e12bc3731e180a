// A colour bar: the gradient of one of the colour maps that draw the maps
// (platform/colormap_renderer.h), with the values its ends and ticks stand
// for. The gradient is drawn by the same GLSL colour maps as the pictures,
// so the bar always matches them.
//
//   show_picture(...);  ImGui::SameLine();
//   color_bar(Colormap::kViridis, lo, hi, picture_height, "activation");
#pragma once
#include "platform/colormap_renderer.h"

namespace cnn::app {

// A vertical bar `height` pixels tall (high values at the top) with round
// tick numbers right of it and the exact ends above ("max") and below
// ("min"), as one ImGui group; `caption` (optional) on top. Needs the GL
// context (the UI thread, while building a frame).
void color_bar(platform::Colormap map, float lo, float hi, float height,
               const char* caption = nullptr);

// The bar's width with its numbers, for the caller's layout.
float color_bar_width();

}  // namespace cnn::app
