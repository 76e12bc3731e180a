// Gram matrices and the spatial softmax: values by hand and against plain
// loops, gradients with the shared checker.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "style/gram.h"
#include "style/smoothing.h"
#include "style_test_util.h"

namespace cnn {
namespace {

using test::brick_gradients_match;
using test::FunctionBrick;
using test::uniform_tensor;

TEST(Gram, HandComputedTwoChannels) {
  // Channels (1, 2) and (3, 4) over W = 2 positions; C*H*W = 4.
  Tensor f({1, 2, 1, 2});
  f[0] = 1, f[1] = 2, f[2] = 3, f[3] = 4;
  Tensor g({1, 1, 2, 2}, NAN);
  gram_matrix(f, g);
  ASSERT_EQ(g.shape(), (Shape{1, 1, 2, 2}));
  EXPECT_FLOAT_EQ(g[0], 5.f / 4);   // 1*1 + 2*2
  EXPECT_FLOAT_EQ(g[1], 11.f / 4);  // 1*3 + 2*4
  EXPECT_FLOAT_EQ(g[2], 11.f / 4);
  EXPECT_FLOAT_EQ(g[3], 25.f / 4);  // 3*3 + 4*4
}

// Sizes around the GEMM register and cache tiles, with a batch of 2.
TEST(Gram, MatchesPlainLoopsAtAwkwardSizes) {
  Rng rng(3);
  for (Shape s : {Shape{2, 1, 1, 1}, Shape{2, 7, 3, 5}, Shape{1, 17, 9, 11}, Shape{2, 33, 4, 70}}) {
    SCOPED_TRACE(s.str());
    const Tensor f = uniform_tensor(s, rng, -1, 1);
    Tensor g({s.n, 1, s.c, s.c}, NAN);
    gram_matrix(f, g);
    for (int n = 0; n < s.n; ++n)
      for (int i = 0; i < s.c; ++i)
        for (int j = 0; j < s.c; ++j) {
          double sum = 0;
          for (size_t p = 0; p < s.plane(); ++p)
            sum += double(f.sample(n)[i * s.plane() + p]) * f.sample(n)[j * s.plane() + p];
          const double want = sum / double(s.sample_size());
          ASSERT_NEAR(g.sample(n)[i * s.c + j], want, 1e-5 * (1 + std::abs(want)))
              << "n " << n << " i " << i << " j " << j;
        }
  }
}

TEST(Gram, GradientMatchesFiniteDifferences) {
  Rng rng(4);
  const Shape s{2, 3, 4, 5};
  FunctionBrick b(
      {2, 1, 3, 3}, [](const Tensor& x, Tensor& y) { gram_matrix(x, y); },
      [](const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
        gram_matrix_backward(x, dy, dx);
      });
  EXPECT_TRUE(brick_gradients_match(b, uniform_tensor(s, rng, -1, 1)));
}

TEST(Gram, RejectsMismatchedGradient) {
  Tensor f({1, 3, 2, 2}), df;
  EXPECT_THROW(gram_matrix_backward(f, Tensor({1, 1, 2, 2}), df), Error);
}

TEST(SpatialSoftmax, HandComputedAndEachChannelSumsToOne) {
  // One channel with values (0, T ln 3): weights 1 and 3, so (1/4, 3/4).
  const float t = 0.5f;
  Tensor x({1, 2, 1, 2});
  x[0] = 0, x[1] = t * std::log(3.f);
  x[2] = 7, x[3] = 7;  // equal values: uniform
  Tensor y({1, 2, 1, 2}, NAN);
  spatial_softmax(x, t, y);
  EXPECT_NEAR(y[0], 0.25f, 1e-6);
  EXPECT_NEAR(y[1], 0.75f, 1e-6);
  EXPECT_NEAR(y[2], 0.5f, 1e-6);
  EXPECT_NEAR(y[3], 0.5f, 1e-6);

  Rng rng(5);
  const Tensor big = uniform_tensor({2, 3, 5, 7}, rng, -40, 40);  // no overflow either
  spatial_softmax(big, 0.1f, y);
  for (int row = 0; row < 6; ++row) {
    double sum = 0;
    for (int p = 0; p < 35; ++p) sum += y[row * 35 + p];
    EXPECT_NEAR(sum, 1.0, 1e-5) << "row " << row;
  }
}

TEST(SpatialSoftmax, HighTemperatureFlattens) {
  Rng rng(6);
  const Tensor x = uniform_tensor({1, 1, 4, 4}, rng, -1, 1);
  Tensor y;
  spatial_softmax(x, 1e4f, y);
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], 1.f / 16, 1e-5);
}

TEST(SpatialSoftmax, GradientMatchesFiniteDifferencesAtSeveralTemperatures) {
  Rng rng(7);
  const Shape s{2, 3, 3, 4};
  for (float t : {0.5f, 1.f, 3.f}) {
    SCOPED_TRACE(t);
    FunctionBrick b(
        s, [t](const Tensor& x, Tensor& y) { spatial_softmax(x, t, y); },
        [t](const Tensor&, const Tensor& y, const Tensor& dy, Tensor& dx) {
          spatial_softmax_backward(y, dy, t, dx);
        });
    EXPECT_TRUE(brick_gradients_match(b, uniform_tensor(s, rng, -2, 2)));
  }
}

TEST(SpatialSoftmax, RejectsNonPositiveTemperature) {
  Tensor x({1, 1, 2, 2}), y;
  EXPECT_THROW(spatial_softmax(x, 0.f, y), Error);
  EXPECT_THROW(spatial_softmax(x, -1.f, y), Error);
  EXPECT_THROW(spatial_softmax(x, NAN, y), Error);
}

}  // namespace
}  // namespace cnn
