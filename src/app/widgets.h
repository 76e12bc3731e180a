// Where the important widgets are on screen, by label, so end-to-end tests
// can click them like a user would (mouse events at the reported rectangle)
// instead of calling into the app. Panels register widgets as they draw.
#pragma once
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "app/layout.h"

namespace cnn::app {


class Widgets {
 public:
  // Forgets last frame's widgets: the hook reports those on screen now.
  void begin_frame();
  // Records the last ImGui item under `label` (screen pixels, this frame),
  // and the window it is in (a region, or a tab's scrolling area).
  void track(const std::string& label);
  // ImGui::Button that is tracked; disabled buttons are drawn dimmed and
  // never return true.
  bool button(const char* label, bool enabled = true);
  nlohmann::json to_json() const;  // {"Train": [x, y, w, h], ...}
  // {"Train": [x, y, w, h] of its window, ...}: a test scrolls that window
  // until the widget lies inside it.
  nlohmann::json areas_json() const;

 private:
  std::map<std::string, Rect> rects_, areas_;
};

// A tooltip saying what the last item does, shown while the mouse is over it
// (also when the item is disabled: then it says what it would do).
void tooltip(const char* text);

}  // namespace cnn::app
