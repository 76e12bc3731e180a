// core/fmath against the platform's libm (glibc natively, musl under node):
// both are within an ulp or so of the truth, so they may differ by about that
// much, over the whole range, at the edges and for the special values.
#include "core/fmath.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "core/rng.h"

namespace cnn {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr float kInfF = std::numeric_limits<float>::infinity();

// Distance in units in the last place (representable numbers between a and b).
int64_t ulps(double a, double b) {
  auto ordered = [](double x) {
    int64_t i;
    std::memcpy(&i, &x, sizeof i);
    return i < 0 ? std::numeric_limits<int64_t>::min() - i : i;
  };
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INT64_MAX;
  const int64_t d = ordered(a) - ordered(b);
  return d < 0 ? -d : d;
}
int64_t ulps(float a, float b) {
  auto ordered = [](float x) {
    int32_t i;
    std::memcpy(&i, &x, sizeof i);
    return i < 0 ? int64_t(std::numeric_limits<int32_t>::min()) - i : int64_t(i);
  };
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INT64_MAX;
  const int64_t d = ordered(a) - ordered(b);
  return d < 0 ? -d : d;
}

// Runs check(x) on n values spread uniformly over [lo, hi] (fixed seed) plus both ends.
template <class Check>
void sweep(double lo, double hi, int n, const Check& check) {
  Rng rng(11);
  check(lo);
  check(hi);
  for (int i = 0; i < n; ++i) check(lo + (hi - lo) * (double(rng.next_u32()) / 4294967296.0));
}

// Random doubles of every exponent: 2^e * m for e over [lo_exp, hi_exp].
template <class Check>
void sweep_exponents(int lo_exp, int hi_exp, int per_exponent, const Check& check) {
  Rng rng(12);
  for (int e = lo_exp; e <= hi_exp; ++e)
    for (int i = 0; i < per_exponent; ++i)
      check(std::ldexp(1.0 + double(rng.next_u32()) / 4294967296.0, e));
}

TEST(Fmath, ExpIsWithinAnUlpOfLibmOverItsRange) {
  int64_t worst = 0;
  double at = 0;
  auto check = [&](double x) {
    const int64_t d = ulps(fm::exp(x), std::exp(x));
    if (d > worst) worst = d, at = x;
  };
  sweep(-745.13, 709.78, 200000, check);
  sweep(-1, 1, 100000, check);
  sweep(-1e-6, 1e-6, 10000, check);
  EXPECT_LE(worst, 1) << "at x = " << at;
}

TEST(Fmath, ExpEdges) {
  EXPECT_EQ(fm::exp(0.0), 1.0);
  EXPECT_EQ(fm::exp(-0.0), 1.0);
  EXPECT_EQ(fm::exp(1e-300), 1.0);
  EXPECT_EQ(fm::exp(kInf), kInf);
  EXPECT_EQ(fm::exp(-kInf), 0.0);
  EXPECT_TRUE(std::isnan(fm::exp(std::nan(""))));
  EXPECT_EQ(fm::exp(710.0), kInf);  // overflow
  EXPECT_EQ(fm::exp(709.78), std::exp(709.78));
  EXPECT_EQ(fm::exp(-746.0), 0.0);  // underflow
  // The subnormal range: a single rounding, like libm.
  for (double x : {-708.5, -710.0, -720.0, -740.0, -744.0, -745.1})
    EXPECT_LE(ulps(fm::exp(x), std::exp(x)), 1) << x;
  EXPECT_EQ(fm::exp(-745.13), std::numeric_limits<double>::denorm_min());
  EXPECT_LE(ulps(fm::exp(1.0), 2.718281828459045), 1);
}

TEST(Fmath, LogIsWithinAnUlpOfLibmForEveryExponent) {
  int64_t worst = 0;
  double at = 0;
  auto check = [&](double x) {
    const int64_t d = ulps(fm::log(x), std::log(x));
    if (d > worst) worst = d, at = x;
  };
  sweep_exponents(-1074, 1023, 60, check);  // subnormals to the largest doubles
  sweep(0.5, 2.0, 100000, check);           // around 1, where log is small
  sweep(1 - 1e-6, 1 + 1e-6, 10000, check);
  EXPECT_LE(worst, 1) << "at x = " << at;
}

TEST(Fmath, LogEdges) {
  EXPECT_EQ(fm::log(1.0), 0.0);
  EXPECT_EQ(fm::log(0.0), -kInf);
  EXPECT_EQ(fm::log(-0.0), -kInf);
  EXPECT_TRUE(std::isnan(fm::log(-1.0)));
  EXPECT_TRUE(std::isnan(fm::log(-kInf)));
  EXPECT_TRUE(std::isnan(fm::log(std::nan(""))));
  EXPECT_EQ(fm::log(kInf), kInf);
  EXPECT_LE(ulps(fm::log(std::numeric_limits<double>::denorm_min()), -744.4400719213812), 1);
  EXPECT_LE(ulps(fm::log(std::numeric_limits<double>::max()), 709.782712893384), 1);
  EXPECT_LE(ulps(fm::log(2.718281828459045), 1.0), 1);
}

TEST(Fmath, Log1pIsWithinAFewUlpsOfLibm) {
  int64_t worst = 0;
  double at = 0;
  auto check = [&](double x) {
    const int64_t d = ulps(fm::log1p(x), std::log1p(x));
    if (d > worst) worst = d, at = x;
  };
  sweep(-1 + 1e-12, 1, 100000, check);
  sweep_exponents(-1074, 1023, 20, check);
  sweep_exponents(-1074, -1, 20, [&](double x) { check(-x); });  // (-1, 0)
  EXPECT_LE(worst, 3) << "at x = " << at;
  EXPECT_EQ(fm::log1p(-1.0), -kInf);
  EXPECT_TRUE(std::isnan(fm::log1p(-2.0)));
  EXPECT_TRUE(std::signbit(fm::log1p(-0.0)));
  EXPECT_EQ(fm::log1p(1e-300), 1e-300);
  EXPECT_EQ(fm::log1p(kInf), kInf);
}

TEST(Fmath, FloatVersionsAreTheRoundedDoubleResult) {
  // Reference: libm in double, rounded to float (float libm is less accurate).
  int64_t worst_exp = 0, worst_log = 0, worst_tanh = 0, worst_log1p = 0;
  float at_exp = 0, at_log = 0, at_tanh = 0, at_log1p = 0;
  auto track = [](int64_t d, float x, int64_t& worst, float& at) {
    if (d > worst) worst = d, at = x;
  };
  sweep(-110, 90, 200000, [&](double xd) {
    const float x = float(xd);
    track(ulps(fm::exp(x), float(std::exp(double(x)))), x, worst_exp, at_exp);
  });
  sweep(-12, 12, 200000, [&](double xd) {
    const float x = float(xd);
    track(ulps(fm::tanh(x), float(std::tanh(double(x)))), x, worst_tanh, at_tanh);
  });
  sweep_exponents(-149, 127, 400, [&](double xd) {
    const float x = float(xd);
    track(ulps(fm::log(x), float(std::log(double(x)))), x, worst_log, at_log);
    track(ulps(fm::log1p(x), float(std::log1p(double(x)))), x, worst_log1p, at_log1p);
    track(ulps(fm::tanh(x), float(std::tanh(double(x)))), x, worst_tanh, at_tanh);
    track(ulps(fm::tanh(-x), float(std::tanh(-double(x)))), -x, worst_tanh, at_tanh);
  });
  EXPECT_LE(worst_exp, 1) << "exp at " << at_exp;
  EXPECT_LE(worst_log, 1) << "log at " << at_log;
  EXPECT_LE(worst_log1p, 1) << "log1p at " << at_log1p;
  EXPECT_LE(worst_tanh, 1) << "tanh at " << at_tanh;
}

TEST(Fmath, FloatEdgesForSoftmaxAndActivations) {
  EXPECT_EQ(fm::exp(0.f), 1.f);
  EXPECT_EQ(fm::exp(89.f), kInfF);                      // float overflow
  EXPECT_EQ(fm::exp(-88.f), float(std::exp(-88.0)));    // near the smallest normal
  EXPECT_EQ(fm::exp(-100.f), float(std::exp(-100.0)));  // subnormal float
  EXPECT_GT(fm::exp(-103.f), 0.f);
  EXPECT_EQ(fm::exp(-104.f), 0.f);  // below half the smallest subnormal
  EXPECT_EQ(fm::exp(-kInfF), 0.f);
  EXPECT_TRUE(std::isnan(fm::exp(std::nanf(""))));
  EXPECT_EQ(fm::log(0.f), -kInfF);
  EXPECT_EQ(fm::log(std::numeric_limits<float>::denorm_min()),
            float(std::log(double(std::numeric_limits<float>::denorm_min()))));
  EXPECT_TRUE(std::isnan(fm::log(-1.f)));
  EXPECT_EQ(fm::tanh(0.f), 0.f);
  EXPECT_TRUE(std::signbit(fm::tanh(-0.f)));
  EXPECT_EQ(fm::tanh(1e-30f), 1e-30f);
  EXPECT_EQ(fm::tanh(std::numeric_limits<float>::denorm_min()),
            std::numeric_limits<float>::denorm_min());
  EXPECT_EQ(fm::tanh(20.f), 1.f);
  EXPECT_EQ(fm::tanh(-kInfF), -1.f);
  EXPECT_TRUE(std::isnan(fm::tanh(std::nanf(""))));
}

TEST(Fmath, PowiMatchesPowForAdamsStepCounts) {
  for (double beta : {0.9, 0.99, 0.999, 0.9999})
    for (long t : {0L, 1L, 2L, 3L, 10L, 1000L, 12345L, 1000000L}) {
      const double want = std::pow(beta, double(t));
      EXPECT_LE(ulps(fm::powi(beta, t), want), 1) << beta << "^" << t;
    }
  EXPECT_EQ(fm::powi(2.0, 10), 1024.0);
  EXPECT_EQ(fm::powi(2.0, -3), 0.125);
  EXPECT_EQ(fm::powi(0.5, 1100), 0.0);
  EXPECT_EQ(fm::powi(-3.0, 3), -27.0);
}

}  // namespace
}  // namespace cnn
