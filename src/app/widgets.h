// Where the important widgets are on screen, by label, so end-to-end tests
// can click them like a user would (mouse events at the reported rectangle)
// instead of calling into the app. Panels register widgets as they draw.
#pragma once
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace cnn::app {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};

class Widgets {
 public:
  // Records the last ImGui item under `label` (screen pixels, this frame).
  void track(const std::string& label);
  // ImGui::Button that is tracked; disabled buttons are drawn dimmed and
  // never return true.
  bool button(const char* label, bool enabled = true);
  nlohmann::json to_json() const;  // {"Train": [x, y, w, h], ...}

 private:
  std::map<std::string, Rect> rects_;
};

}  // namespace cnn::app
