// Initialisers: each draws from the distribution its name promises, with fans
// computed from the weight's shape; biases start at 0; unknown names list
// the valid ones.
#include "bricks/init.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "bricks/brick_test_util.h"
#include "bricks/conv2d.h"
#include "bricks/dense.h"

namespace cnn {
namespace {

using test::error_of;
using ::testing::HasSubstr;

TEST(Init, FansOfConvAndDenseWeights) {
  Fans conv = weight_fans({64, 32, 3, 3});  // (K, C, kh, kw)
  EXPECT_EQ(conv.in, 32 * 9);
  EXPECT_EQ(conv.out, 64 * 9);
  Fans dense = weight_fans({10, 784, 1, 1});  // (units, in)
  EXPECT_EQ(dense.in, 784);
  EXPECT_EQ(dense.out, 10);
}

// Conv weight (64, 32, 3, 3): fan_in 288, fan_out 576, 18432 values. The
// sample standard deviation is within 5 standard errors (~0.5% each for a
// normal, less for a uniform) of the target, i.e. within 3%.
struct Expected {
  const char* name;
  double std;    // standard deviation the weights must have
  double bound;  // uniform bound (0: a normal, unbounded)
};

TEST(Init, DistributionsMatchTheirNames) {
  const double fi = 288, fo = 576;
  const Expected cases[] = {
      {"uniform", 0.1 / std::sqrt(3.0), 0.1},  // init_scale 0.1 below
      {"normal", 0.1, 0},
      {"glorot_uniform", std::sqrt(2.0 / (fi + fo)), std::sqrt(6.0 / (fi + fo))},
      {"glorot_normal", std::sqrt(2.0 / (fi + fo)), 0},
      {"he_uniform", std::sqrt(2.0 / fi), std::sqrt(6.0 / fi)},
      {"he_normal", std::sqrt(2.0 / fi), 0},
  };
  for (const Expected& e : cases) {
    SCOPED_TRACE(e.name);
    Conv2D conv({.filters = 64, .kernel = 3, .init = e.name, .init_scale = 0.1f});
    Rng rng(17);
    conv.build({1, 32, 8, 8}, rng);
    const Tensor& w = test::param(conv, "weight").value;
    double sum = 0, sq = 0, max_abs = 0;
    for (size_t i = 0; i < w.size(); ++i) {
      sum += w[i];
      sq += double(w[i]) * w[i];
      max_abs = std::max(max_abs, double(std::abs(w[i])));
    }
    const double n = double(w.size()), mean = sum / n, sd = std::sqrt(sq / n - mean * mean);
    EXPECT_NEAR(mean, 0.0, 5 * e.std / std::sqrt(n));
    EXPECT_NEAR(sd, e.std, 0.03 * e.std);
    if (e.bound > 0) {
      EXPECT_LE(max_abs, e.bound);
      EXPECT_GT(max_abs, 0.99 * e.bound);  // the whole range is used
    } else {
      EXPECT_GT(max_abs, 3 * e.std);  // normal tails exist (P(|z| > 3) = 0.27%)
    }
    const Tensor& b = test::param(conv, "bias").value;
    for (size_t i = 0; i < b.size(); ++i) ASSERT_EQ(b[i], 0.f);
  }
}

TEST(Init, DenseUsesGlorotUniformByDefaultAndSeedsRepeat) {
  Dense a({.units = 50}), b({.units = 50});
  Rng r1(5), r2(5);
  a.build({1, 200, 1, 1}, r1);
  b.build({1, 200, 1, 1}, r2);
  const Tensor &wa = test::param(a, "weight").value, &wb = test::param(b, "weight").value;
  const double bound = std::sqrt(6.0 / 250);
  double max_abs = 0;
  for (size_t i = 0; i < wa.size(); ++i) {
    ASSERT_EQ(wa[i], wb[i]) << "same seed, same weights";
    max_abs = std::max(max_abs, double(std::abs(wa[i])));
  }
  EXPECT_LE(max_abs, bound);
  EXPECT_GT(max_abs, 0.98 * bound);
  EXPECT_NE(wa[0], wa[1]);
}

TEST(Init, UnknownNameListsTheValidOnes) {
  EXPECT_THAT(error_of([] { check_init_name("xavier", "dense"); }),
              HasSubstr("dense: unknown initialiser 'xavier' (valid: uniform, normal, "
                        "glorot_uniform, glorot_normal, he_uniform, he_normal)"));
  EXPECT_THAT(error_of([] { Dense({.units = 3, .init = "zeros"}); }), HasSubstr("'zeros'"));
}

}  // namespace
}  // namespace cnn
