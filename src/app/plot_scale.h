// The arithmetic of a plot's axes, without any drawing so it can be tested:
// the range the data spans, "nice" tick steps (1, 2 or 5 times a power of
// ten), tick labels, and the log10 scale. plot.h draws with it; colorbar.h
// labels its gradient with it.
#pragma once
#include <string>
#include <vector>

namespace cnn::app::plot {

struct Range {
  double lo = 0, hi = 1;
  double span() const { return hi - lo; }
};

// The smallest step of the form {1, 2, 5} x 10^k that cuts `span` into at
// most `max_ticks` intervals (span > 0, max_ticks >= 1).
double nice_step(double span, int max_ticks);

// Ticks at multiples of nice_step(hi - lo, max_ticks) within [lo, hi]
// (inclusive, up to rounding); one tick at lo when the range is empty.
std::vector<double> linear_ticks(Range r, int max_ticks);

// Ticks for a log10 axis; `r` is in log10 units (lo = log10(smallest value)).
// Powers of ten when the range spans at least one; with fewer than two of
// them, 1-2-5 multiples, and with fewer than two of those, linear ticks of
// the values. Returned in log10 units.
std::vector<double> log_ticks(Range r, int max_ticks);

// A tick's text with as many decimals as the step needs ("0.25", "1e-05").
std::string tick_label(double value, double step);
// A log axis' tick text: the value 10^exponent ("0.01", "1000", "1e+06").
std::string log_tick_label(double exponent);

// The y range of some series: finite values only (and > 0, as log10, when
// `log` is set); widened to a unit around a single value, and padded by
// `margin` of the span on each side. {0, 1} when there is no value.
Range data_range(const std::vector<const std::vector<float>*>& series, bool log,
                 double margin = 0.05);

// log10(v) for v > 0; NaN otherwise (a point the log plot skips).
double log_value(double v);

}  // namespace cnn::app::plot
