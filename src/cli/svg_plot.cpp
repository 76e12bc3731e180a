#include "cli/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "core/error.h"

namespace cnn::cli {

namespace {

const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string tick_label(double v) {
  char buf[32];
  if (v != 0 && (std::fabs(v) >= 1e4 || std::fabs(v) < 1e-2))
    std::snprintf(buf, sizeof buf, "%.0e", v);
  else
    std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// About five round tick values covering [lo, hi].
std::vector<double> ticks(double lo, double hi) {
  const double raw = (hi - lo) / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) {
      step = m * mag;
      break;
    }
  std::vector<double> t;
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) t.push_back(v);
  return t;
}

}  // namespace

std::string plot_svg(const Plot& plot) {
  const double W = 640, H = 400, left = 70, right = 20, top = 40, bottom = 50;
  auto ty = [&](double y) { return plot.log_y ? std::log10(y) : y; };
  auto usable = [&](double x, double y) {
    return std::isfinite(x) && std::isfinite(y) && (!plot.log_y || y > 0);
  };
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const PlotSeries& s : plot.series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!usable(s.x[i], s.y[i])) continue;
      x0 = std::min(x0, s.x[i]);
      x1 = std::max(x1, s.x[i]);
      y0 = std::min(y0, ty(s.y[i]));
      y1 = std::max(y1, ty(s.y[i]));
    }
  if (!(x0 <= x1)) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  if (x1 == x0) x1 = x0 + 1;
  if (y1 == y0) y1 = y0 + 1;
  const double pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  auto px = [&](double x) { return left + (x - x0) / (x1 - x0) * (W - left - right); };
  auto py = [&](double y) { return H - bottom - (y - y0) / (y1 - y0) * (H - top - bottom); };

  std::string s =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" "
      "viewBox=\"0 0 640 400\" font-family=\"sans-serif\" font-size=\"12\">\n";
  s += "<rect width=\"640\" height=\"400\" fill=\"white\"/>\n";
  s += "<text x=\"320\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" + escape(plot.title) +
       "</text>\n";
  // Grid and tick labels.
  std::vector<double> yt;
  if (plot.log_y) {
    for (double e = std::ceil(y0); e <= y1; e += 1) yt.push_back(e);
    if (yt.size() < 2) yt = ticks(y0, y1);
  } else {
    yt = ticks(y0, y1);
  }
  for (double v : yt) {
    s += "<line x1=\"" + num(left) + "\" x2=\"" + num(W - right) + "\" y1=\"" + num(py(v)) +
         "\" y2=\"" + num(py(v)) + "\" stroke=\"#ddd\"/>\n";
    s += "<text x=\"" + num(left - 6) + "\" y=\"" + num(py(v) + 4) + "\" text-anchor=\"end\">" +
         tick_label(plot.log_y ? std::pow(10.0, v) : v) + "</text>\n";
  }
  for (double v : ticks(x0, x1)) {
    s += "<line x1=\"" + num(px(v)) + "\" x2=\"" + num(px(v)) + "\" y1=\"" + num(top) + "\" y2=\"" +
         num(H - bottom) + "\" stroke=\"#eee\"/>\n";
    s += "<text x=\"" + num(px(v)) + "\" y=\"" + num(H - bottom + 16) +
         "\" text-anchor=\"middle\">" + tick_label(v) + "</text>\n";
  }
  s += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(W - left - right) +
       "\" height=\"" + num(H - top - bottom) + "\" fill=\"none\" stroke=\"#444\"/>\n";
  s += "<text x=\"" + num((left + W - right) / 2) + "\" y=\"" + num(H - 12) +
       "\" text-anchor=\"middle\">" + escape(plot.x_label) + "</text>\n";
  s += "<text transform=\"translate(16," + num((top + H - bottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">" + escape(plot.y_label) +
       (plot.log_y ? " (log scale)" : "") + "</text>\n";
  // Series and legend.
  for (size_t k = 0; k < plot.series.size(); ++k) {
    const PlotSeries& ser = plot.series[k];
    const char* colour = kColours[k % 6];
    std::string points;
    for (size_t i = 0; i < ser.x.size() && i < ser.y.size(); ++i)
      if (usable(ser.x[i], ser.y[i]))
        points += num(px(ser.x[i])) + "," + num(py(ty(ser.y[i]))) + " ";
    s += "<polyline fill=\"none\" stroke=\"" + std::string(colour) +
         "\" stroke-width=\"2\" points=\"" + points + "\"/>\n";
    if (ser.x.size() <= 40)
      for (size_t i = 0; i < ser.x.size() && i < ser.y.size(); ++i)
        if (usable(ser.x[i], ser.y[i]))
          s += "<circle cx=\"" + num(px(ser.x[i])) + "\" cy=\"" + num(py(ty(ser.y[i]))) +
               "\" r=\"3\" fill=\"" + colour + "\"/>\n";
    const double ly = top + 16 + 18 * double(k);
    s += "<line x1=\"" + num(left + 12) + "\" x2=\"" + num(left + 36) + "\" y1=\"" + num(ly) +
         "\" y2=\"" + num(ly) + "\" stroke=\"" + colour + "\" stroke-width=\"2\"/>\n";
    s += "<text x=\"" + num(left + 42) + "\" y=\"" + num(ly + 4) + "\">" + escape(ser.name) +
         "</text>\n";
  }
  s += "</svg>\n";
  return s;
}

void save_plot_svg(const std::string& path, const Plot& plot) {
  std::ofstream f(path, std::ios::binary);
  if (!f) throw FileError(path, "cannot be written");
  f << plot_svg(plot);
  if (!f) throw FileError(path, "write failed");
}

}  // namespace cnn::cli
