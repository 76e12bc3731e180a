// A line chart as a standalone SVG file, for the plots the commands write
// (fine-tuning against training from scratch, style-transfer losses) and the
// README shows. No plotting library is installed, and a chart of a few
// polylines with axes and a legend needs none.
#pragma once
#include <string>
#include <vector>

namespace cnn::cli {

struct PlotSeries {
  std::string name;
  std::vector<double> x, y;  // same length; non-finite points are skipped
};

struct Plot {
  std::string title, x_label, y_label;
  bool log_y = false;  // logarithmic y axis (losses); points <= 0 are skipped
  std::vector<PlotSeries> series;
};

// The SVG text (640x400).
std::string plot_svg(const Plot& plot);
// Writes plot_svg() to path; throws cnn::FileError if it cannot.
void save_plot_svg(const std::string& path, const Plot& plot);

}  // namespace cnn::cli
