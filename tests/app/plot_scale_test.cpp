// The plot's axes: round tick steps, tick labels, data ranges and the log scale.
#include "app/plot_scale.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cnn::app::plot {
namespace {

TEST(PlotScale, NiceStepIsOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_DOUBLE_EQ(nice_step(1.0, 5), 0.2);
  EXPECT_DOUBLE_EQ(nice_step(1.0, 10), 0.1);
  EXPECT_DOUBLE_EQ(nice_step(10.0, 4), 5.0);
  EXPECT_DOUBLE_EQ(nice_step(7.0, 7), 1.0);
  EXPECT_DOUBLE_EQ(nice_step(0.03, 3), 0.01);
  EXPECT_DOUBLE_EQ(nice_step(3000.0, 5), 1000.0);
  for (double span : {0.0013, 0.7, 1.0, 3.3, 47.0, 12345.0})
    for (int n : {2, 3, 5, 8}) {
      const double step = nice_step(span, n);
      EXPECT_LE(span / step, n + 1e-9) << span << " in " << n;
      const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-12));
      EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                  std::abs(mantissa - 5) < 1e-9)
          << step;
    }
}

TEST(PlotScale, LinearTicksCoverTheRangeAtRoundValues) {
  const std::vector<double> t = linear_ticks({0, 1}, 5);
  ASSERT_EQ(t.size(), 6u);
  EXPECT_DOUBLE_EQ(t.front(), 0.0);
  EXPECT_NEAR(t.back(), 1.0, 1e-12);
  const std::vector<double> epochs = linear_ticks({0, 3}, 10);
  EXPECT_EQ(epochs.front(), 0.0);
  EXPECT_NEAR(epochs.back(), 3.0, 1e-12);
  // Inside the range only, and no "-0".
  const std::vector<double> s = linear_ticks({-0.23, 0.41}, 6);
  for (double v : s) {
    EXPECT_GE(v, -0.23);
    EXPECT_LE(v, 0.41);
    EXPECT_FALSE(std::signbit(v) && v == 0.0);
  }
  EXPECT_EQ(linear_ticks({2, 2}, 5), std::vector<double>{2});
}

TEST(PlotScale, LogTicksArePowersOfTenWhenTheRangeSpansDecades) {
  // 0.01 .. 1000 on a log axis.
  const std::vector<double> t = log_ticks({-2, 3}, 10);
  EXPECT_EQ(t, (std::vector<double>{-2, -1, 0, 1, 2, 3}));
  // Little room: every second decade.
  const std::vector<double> few = log_ticks({0, 8}, 4);
  EXPECT_LE(few.size(), 5u);
  EXPECT_EQ(few.front(), 0.0);
  // Less than a decade (30 .. 90): 1-2-5 steps or linear ones, inside the range.
  const std::vector<double> narrow = log_ticks({std::log10(30.0), std::log10(90.0)}, 6);
  ASSERT_GE(narrow.size(), 2u);
  for (double e : narrow) {
    EXPECT_GE(std::pow(10.0, e), 30 - 1e-6);
    EXPECT_LE(std::pow(10.0, e), 90 + 1e-6);
  }
}

TEST(PlotScale, TickLabelsHaveTheDecimalsTheStepNeeds) {
  EXPECT_EQ(tick_label(0.25, 0.05), "0.25");
  EXPECT_EQ(tick_label(0.2, 0.2), "0.2");
  EXPECT_EQ(tick_label(2, 1), "2");
  EXPECT_EQ(tick_label(150, 50), "150");
  EXPECT_EQ(tick_label(2e-5, 1e-5), "2e-05");
  EXPECT_EQ(log_tick_label(-2), "0.01");
  EXPECT_EQ(log_tick_label(3), "1e+03");
  EXPECT_EQ(log_tick_label(2), "100");
}

TEST(PlotScale, DataRangeSkipsWhatCannotBeDrawn) {
  const std::vector<float> a{1, 2, NAN, 4}, b{-1, 100};
  const Range r = data_range({&a}, false, 0);
  EXPECT_DOUBLE_EQ(r.lo, 1);
  EXPECT_DOUBLE_EQ(r.hi, 4);
  const Range padded = data_range({&a}, false, 0.1);
  EXPECT_NEAR(padded.lo, 0.7, 1e-9);
  EXPECT_NEAR(padded.hi, 4.3, 1e-9);
  // Log: -1 has no logarithm; the range is 1 .. 100 in log10 units.
  const Range l = data_range({&a, &b}, true, 0);
  EXPECT_DOUBLE_EQ(l.lo, 0);
  EXPECT_DOUBLE_EQ(l.hi, 2);
  // One value: a unit around it. No value: 0 .. 1.
  const std::vector<float> one{0.5f};
  const Range u = data_range({&one}, false, 0);
  EXPECT_LT(u.lo, 0.5);
  EXPECT_GT(u.hi, 0.5);
  const std::vector<float> none;
  EXPECT_DOUBLE_EQ(data_range({&none}, false).lo, 0);
  EXPECT_DOUBLE_EQ(data_range({&none}, false).hi, 1);
  EXPECT_TRUE(std::isnan(log_value(0)));
  EXPECT_DOUBLE_EQ(log_value(1000), 3);
}

}  // namespace
}  // namespace cnn::app::plot
