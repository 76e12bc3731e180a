// The playground's one screen: where each region goes, computed every frame
// from the viewport and the font size alone (no ImGui here, so a unit test
// can check every size from 800x600 to 2560x1440).
//
//   +----------------------------------------------------------+
//   | messages (bad startup options; only when there are any)  |
//   +-----------+------------------------------+---------------+
//   | controls  | main: tabs (Training, Inside | pad (wide     |
//   +-----------+ the network, Style transfer, | screens)      |
//   | settings  | Transfer learning)           |               |
//   | (scrolls) |                              |               |
//   +-----------+                              |               |
//   | pad (narrow screens: under the settings) |               |
//   +-----------+------------------------------+---------------+
//   | status: how training runs, frame rate, Presentation      |
//   +----------------------------------------------------------+
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace cnn::app {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};

// True when a and b share an area (touching edges do not count).
bool overlaps(const Rect& a, const Rect& b);
// True when r lies within outer (edges included).
bool contains(const Rect& outer, const Rect& r);

struct ScreenLayout {
  Rect messages;  // zero height when there is nothing to say
  Rect controls;  // Train / Pause / Step / Reset, always in sight
  Rect settings;  // Data, Model and the training settings; scrolls
  Rect pad;       // the drawing pad
  Rect main;      // the activities' tab bar and the selected tab
  Rect status;    // one line at the bottom
  bool pad_beside = false;  // a column of its own (else under the settings)

  // Every region with a height, by name (the test hook reports these).
  std::vector<std::pair<std::string, Rect>> regions() const;
};

// The regions for a viewport at (x, y) of width x height pixels, with text
// `font_size` pixels high and `message_lines` lines of messages on top.
ScreenLayout compute_layout(float x, float y, float width, float height, float font_size,
                            int message_lines);

}  // namespace cnn::app
