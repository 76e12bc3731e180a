// The playground's one screen (layout.h says where each region goes): the
// frame draws every region as a fixed ImGui window and calls each panel's
// draw function inside the region where it belongs. Only the selected tab
// of the main area is drawn.
#pragma once
#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "app/layout.h"
#include "app/panel_state.h"

namespace cnn::app {

class App;

// The main area's tabs, the activities.
enum class Tab { kTraining, kInside, kStyle, kTransfer };
const char* tab_label(Tab tab);  // "Training", "Inside the network", ...

// What the screen keeps between frames, owned by the App (App::ui).
struct ScreenState {
  Tab tab = Tab::kTraining;  // the tab drawn this frame
  bool select_pending = false;  // make `tab` the selected one on the next frame
  bool presentation = false;    // larger type and lines, for a projector
  ScreenLayout layout;          // this frame's regions
  float viewport_w = 0, viewport_h = 0, font_pixels = 0;
  std::map<std::string, Rect> tabs;  // the tab buttons, by label (tests click them)
  DataPanelState data;
  ModelPanelState model;
  PadPanelState pad;

  void select(Tab t) {
    tab = t;
    select_pending = true;
  }
};

// Lays out this frame's screen and draws every region; `timed(name)` is
// called after each part (the app's record of slow frames).
void draw_screen(App& app, const std::function<void(const char*)>& timed);

// The test hook's view of the screen: {"viewport": [w, h], "font_pixels",
// "device_pixel_ratio", "presentation", "tab", "regions": {name: [x, y, w, h]},
// "tabs": {label: [x, y, w, h]}, "messages": [...]}.
nlohmann::json screen_state_json(const App& app);

}  // namespace cnn::app
