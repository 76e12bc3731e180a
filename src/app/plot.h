// A line plot drawn with ImGui's draw list: several series in one frame,
// x and y axes with ticks at round steps and their numbers, an x axis in
// epochs (or any unit the caller names), an optional log10 y axis, and the
// legend beside the plot (right of it, or under it when the room is narrow)
// with each series' last value. Hovering shows every series' value at the
// pointer's x.
//
//   plot::Series loss{"training loss", c.train_loss, kBlue};
//   loss.x_step = 1.0 / points_per_epoch;           // points -> epochs
//   plot::draw("##loss", {loss, validation}, {.y_label = "loss", .log_y = true});
//
// The plot takes the width it is given (the content region) and a height
// in lines of text, so it scales with the font; never fixed pixels.
#pragma once
#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

namespace cnn::app::plot {

struct Series {
  Series() = default;
  Series(std::string label_, std::vector<float> y_, ImU32 colour_)
      : label(std::move(label_)), y(std::move(y_)), colour(colour_) {}
  std::string label;
  std::vector<float> y;
  ImU32 colour = IM_COL32(110, 180, 255, 255);
  // The x of each point: x[i] when given, else x_start + i * x_step (e.g.
  // x_step = 1 / points per epoch puts the x axis in epochs).
  std::vector<float> x;
  double x_start = 0, x_step = 1;
  double x_of(size_t i) const { return i < x.size() ? double(x[i]) : x_start + double(i) * x_step; }
};

struct Options {
  const char* x_label = "epoch";
  const char* y_label = "";
  bool log_y = false;
  // A fixed y range (e.g. 0..1 for accuracies) when y_min < y_max; else the
  // data's. On a log axis, in values (not log10).
  double y_min = 0, y_max = 0;
  // The x axis starts at x_min and spans at least to x_max (e.g. the epochs
  // planned), and further when the data does.
  double x_min = 0, x_max = 0;
  float height_lines = 9;             // the plot's height, in text lines
  const char* value_format = "%.3g";  // the legend's and tooltip's numbers
  bool integer_x = false;             // x ticks at whole numbers only (epochs 0, 1, 2)
};

// Draws the plot (and its legend) at the cursor, as one item of the
// available width. `id` must be unique in the window.
void draw(const char* id, const std::vector<Series>& series, const Options& options);

// The colours the panels use for series, in order (distinct on the dark theme).
ImU32 palette(int i);

}  // namespace cnn::app::plot
