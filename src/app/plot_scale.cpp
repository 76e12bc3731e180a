#include "app/plot_scale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace cnn::app::plot {

double nice_step(double span, int max_ticks) {
  max_ticks = std::max(1, max_ticks);
  if (!(span > 0) || !std::isfinite(span)) return 1;
  const double rough = span / max_ticks;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= rough * (1 - 1e-9)) return m * power;
  return 10 * power;
}

std::vector<double> linear_ticks(Range r, int max_ticks) {
  if (!(r.hi > r.lo)) return {r.lo};
  const double step = nice_step(r.span(), max_ticks);
  const double eps = step * 1e-6;
  std::vector<double> ticks;
  for (double k = std::ceil((r.lo - eps) / step); k * step <= r.hi + eps; ++k) {
    const double t = k * step;
    ticks.push_back(std::abs(t) < eps ? 0.0 : t);  // no "-0"
  }
  return ticks;
}

std::vector<double> log_ticks(Range r, int max_ticks) {
  if (!(r.hi > r.lo)) return {r.lo};
  const double eps = 1e-9;
  std::vector<double> decades;
  for (double e = std::ceil(r.lo - eps); e <= r.hi + eps; ++e) decades.push_back(e);
  if (decades.size() >= 2) {
    // Too many decades for the room: every second, fifth, ... one.
    const int every = int(std::ceil(double(decades.size()) / std::max(1, max_ticks)));
    std::vector<double> out;
    for (size_t i = 0; i < decades.size(); i += size_t(every)) out.push_back(decades[i]);
    return out;
  }
  std::vector<double> out;
  for (double e = std::floor(r.lo) - 1; e <= std::ceil(r.hi) + 1; ++e)
    for (double m : {1.0, 2.0, 5.0}) {
      const double t = e + std::log10(m);
      if (t >= r.lo - eps && t <= r.hi + eps) out.push_back(t);
    }
  if (out.size() >= 2 && int(out.size()) <= max_ticks) return out;
  // Less than a factor of about 2.5: linear ticks of the values themselves.
  out.clear();
  for (double v : linear_ticks({std::pow(10.0, r.lo), std::pow(10.0, r.hi)}, max_ticks))
    if (v > 0) out.push_back(std::log10(v));
  return out;
}

std::string tick_label(double value, double step) {
  char text[32];
  const double magnitude = std::max(std::abs(value), std::abs(step));
  if (magnitude >= 1e6 || (magnitude > 0 && magnitude < 1e-3)) {
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
  }
  const int decimals = step > 0 ? std::clamp(int(std::ceil(-std::log10(step) - 1e-9)), 0, 6) : 0;
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string log_tick_label(double exponent) {
  const double v = std::pow(10.0, exponent);
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", v);
  return text;
}

double log_value(double v) {
  return v > 0 ? std::log10(v) : std::numeric_limits<double>::quiet_NaN();
}

Range data_range(const std::vector<const std::vector<float>*>& series, bool log, double margin) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const std::vector<float>* s : series)
    for (float v : *s) {
      const double y = log ? log_value(v) : double(v);
      if (!std::isfinite(y)) continue;
      lo = std::min(lo, y);
      hi = std::max(hi, y);
    }
  if (lo > hi) return {0, 1};
  if (hi - lo < 1e-12) {
    // One value: a unit around it (a decade on a log axis).
    const double half = log ? 0.5 : std::max(0.5, std::abs(lo) * 0.1);
    return {lo - half, hi + half};
  }
  const double pad = (hi - lo) * margin;
  return {lo - pad, hi + pad};
}

}  // namespace cnn::app::plot
