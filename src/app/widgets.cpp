#include "app/widgets.h"

#include <imgui.h>

namespace cnn::app {

void Widgets::begin_frame() {
  rects_.clear();
  areas_.clear();
}

void Widgets::track(const std::string& label) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  rects_[label] = Rect{a.x, a.y, b.x - a.x, b.y - a.y};
  const ImVec2 at = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  areas_[label] = Rect{at.x, at.y, size.x, size.y};
}

bool Widgets::button(const char* label, bool enabled) {
  ImGui::BeginDisabled(!enabled);
  const bool pressed = ImGui::Button(label);
  ImGui::EndDisabled();
  // "Train##tag" is reported as "Train".
  std::string name = label;
  if (size_t hash = name.find("##"); hash != std::string::npos) name.resize(hash);
  track(name);
  return pressed && enabled;
}

nlohmann::json Widgets::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [label, r] : rects_) j[label] = {r.x, r.y, r.w, r.h};
  return j;
}

nlohmann::json Widgets::areas_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [label, r] : areas_) j[label] = {r.x, r.y, r.w, r.h};
  return j;
}

void tooltip(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text);
}

}  // namespace cnn::app
