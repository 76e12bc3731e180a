// Small helpers every panel uses: a tooltip saying what a control does, and
// sizes in units of the font ("em"), so panels scale with the text (the
// device pixel ratio, presentation mode) instead of using fixed pixels.
#pragma once
#include <imgui.h>

namespace cnn::app {

// A tooltip on the last item while the pointer rests on it (also when the
// item is disabled: it then says what the control would do).
inline void tooltip(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text);
}

// n font heights, in pixels.
inline float em(float n) {
  return n * ImGui::GetFontSize();
}

}  // namespace cnn::app
