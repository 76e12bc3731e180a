// Activations and softmax: hand-computed values, PyTorch golden values for
// softmax, stability at extreme inputs, and gradient checks.
#include "bricks/activations.h"

#include <gtest/gtest.h>

#include <cmath>

#include "bricks/brick_test_util.h"
#include "bricks/softmax.h"
#include "golden/bricks_golden.h"
#include "golden/golden.h"
#include "support/gradcheck.h"

namespace cnn {
namespace {

using golden::tensors_near;
using golden::values;
using test::backprop;
using test::run;

const Shape kRow{1, 6, 1, 1};

TEST(Sigmoid, HandValuesAndSaturationWithoutNaN) {
  Sigmoid b;
  Tensor x = values(kRow, {0.f, 2.f, -2.f, 40.f, -40.f, -100.f});
  Tensor y = run(b, x);
  // 1/(1+e^-2) = 0.880797078; e^-40 / (1 + e^-40) = 4.248354e-18.
  EXPECT_TRUE(tensors_near(
      y, values(kRow, {0.5f, 0.880797078f, 0.119202922f, 1.f, 4.248354e-18f, 3.720076e-44f}), 1e-6,
      1e-44));  // e^-100 is a float denormal: absolute tolerance there
  Tensor dx = backprop(b, x, y, Tensor(kRow, 1.f));
  // y (1 - y): 0.25 at 0, 0.104993585 at +-2.
  EXPECT_NEAR(dx[0], 0.25f, 1e-7);
  EXPECT_NEAR(dx[1], 0.104993585f, 1e-7);
  EXPECT_NEAR(dx[2], 0.104993585f, 1e-7);
  EXPECT_EQ(dx[3], 0.f);
}

TEST(Tanh, HandValues) {
  Tanh b;
  Tensor x = values({1, 3, 1, 1}, {0.f, 1.f, -0.5f});
  Tensor y = run(b, x);
  EXPECT_TRUE(tensors_near(y, values({1, 3, 1, 1}, {0.f, 0.761594156f, -0.462117157f})));
  Tensor dx = backprop(b, x, y, values({1, 3, 1, 1}, {2.f, 1.f, 1.f}));
  // 1 - tanh^2: 1, 0.419974342, 0.786447733
  EXPECT_TRUE(tensors_near(dx, values({1, 3, 1, 1}, {2.f, 0.419974342f, 0.786447733f})));
}

TEST(ReLU, HandValuesAndZeroSlopeAtTheKink) {
  ReLU b;
  Tensor x = values({1, 4, 1, 1}, {-1.5f, 0.f, 2.f, 1e-30f});
  Tensor y = run(b, x);
  EXPECT_TRUE(tensors_near(y, values({1, 4, 1, 1}, {0.f, 0.f, 2.f, 1e-30f}), 0, 0));
  Tensor dx = backprop(b, x, y, Tensor({1, 4, 1, 1}, 3.f));
  EXPECT_TRUE(tensors_near(dx, values({1, 4, 1, 1}, {0.f, 0.f, 3.f, 3.f}), 0, 0));
}

TEST(LeakyReLU, HandValues) {
  LeakyReLU b({.slope = 0.1f});
  Tensor x = values({1, 3, 1, 1}, {-2.f, 0.f, 3.f});
  Tensor y = run(b, x);
  EXPECT_TRUE(tensors_near(y, values({1, 3, 1, 1}, {-0.2f, 0.f, 3.f})));
  Tensor dx = backprop(b, x, y, Tensor({1, 3, 1, 1}, 1.f));
  EXPECT_TRUE(tensors_near(dx, values({1, 3, 1, 1}, {0.1f, 0.1f, 1.f})));
  EXPECT_FLOAT_EQ(LeakyReLU().options().slope, 0.01f);  // Keras' default is 0.3; ours 0.01
}

TEST(Ramp, ClampsToMinusOneOne) {
  Ramp b;
  Tensor x = values({1, 5, 1, 1}, {-3.f, -0.5f, 0.25f, 1.5f, 1.f});
  Tensor y = run(b, x);
  EXPECT_TRUE(tensors_near(y, values({1, 5, 1, 1}, {-1.f, -0.5f, 0.25f, 1.f, 1.f}), 0, 0));
  Tensor dx = backprop(b, x, y, Tensor({1, 5, 1, 1}, 1.f));
  EXPECT_TRUE(tensors_near(dx, values({1, 5, 1, 1}, {0.f, 1.f, 1.f, 0.f, 0.f}), 0, 0));
}

TEST(Softmax, HandValuesPerSampleAndPixel) {
  Softmax b;
  Tensor y = run(b, values({1, 3, 1, 1}, {1.f, 2.f, 3.f}));
  EXPECT_TRUE(tensors_near(y, values({1, 3, 1, 1}, {0.0900305732f, 0.244728471f, 0.665240956f})));
  // Two pixels, two channels: pixel 0 has logits (0, ln 3) -> (1/4, 3/4);
  // pixel 1 has (1000, 1000) -> (1/2, 1/2) without overflowing.
  Tensor x = values({1, 2, 1, 2}, {0.f, 1000.f, std::log(3.f), 1000.f});
  EXPECT_TRUE(tensors_near(run(b, x), values({1, 2, 1, 2}, {0.25f, 0.5f, 0.75f, 0.5f})));
  // Far apart: exactly 0 and 1, no NaN.
  EXPECT_TRUE(tensors_near(run(b, values({1, 2, 1, 1}, {-1000.f, 0.f})),
                           values({1, 2, 1, 1}, {0.f, 1.f}), 0, 0));
}

TEST(Softmax, MatchesPyTorch) {
  Softmax b;
  Tensor x = golden::tensor(golden::softmax_x, golden::softmax_x_shape);
  Tensor y = run(b, x);
  EXPECT_TRUE(tensors_near(y, golden::tensor(golden::softmax_y, golden::softmax_y_shape)));
  Tensor dx = backprop(b, x, y, golden::tensor(golden::softmax_dy, golden::softmax_dy_shape));
  EXPECT_TRUE(tensors_near(dx, golden::tensor(golden::softmax_dx, golden::softmax_dx_shape)));
}

// ---- gradient checks --------------------------------------------------------

const Shape kMap{2, 3, 4, 5};

TEST(ActivationGradients, Smooth) {
  Rng rng(11);
  Tensor x = test::uniform_tensor(kMap, rng, -3.f, 3.f);
  Sigmoid sigmoid;
  EXPECT_TRUE(test::brick_gradients_match(sigmoid, x));
  Tanh tanh_brick;
  EXPECT_TRUE(test::brick_gradients_match(tanh_brick, x));
}

TEST(ActivationGradients, PiecewiseAwayFromKinks) {
  Rng rng(12);
  // h = 1e-2: inputs stay 5h from the kinks so x +- h never crosses one.
  Tensor x = test::tensor_away_from(kMap, rng, -2.f, 2.f, {0.f}, 0.05f);
  ReLU relu;
  EXPECT_TRUE(test::brick_gradients_match(relu, x));
  LeakyReLU leaky({.slope = 0.2f});
  EXPECT_TRUE(test::brick_gradients_match(leaky, x));
  Tensor r = test::tensor_away_from(kMap, rng, -2.f, 2.f, {-1.f, 1.f}, 0.05f);
  Ramp ramp;
  EXPECT_TRUE(test::brick_gradients_match(ramp, r));
}

TEST(ActivationGradients, Softmax) {
  Rng rng(13);
  Softmax b;
  EXPECT_TRUE(test::brick_gradients_match(b, test::uniform_tensor({2, 4, 2, 3}, rng, -3.f, 3.f)));
  // Logits (N, K) as after a dense layer.
  EXPECT_TRUE(test::brick_gradients_match(b, test::uniform_tensor({3, 7, 1, 1}, rng, -3.f, 3.f)));
}

// The checker must catch a wrong gradient, or the tests above prove nothing.
class WrongReLU : public ReLU {
 public:
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override {
    ReLU::backward(x, y, dy, dx);
    dx[3] *= 1.2f;  // 20% off in one element
  }
};

TEST(ActivationGradients, CheckerCatchesAWrongGradient) {
  Tensor x(kMap, 0.7f);
  WrongReLU b;
  EXPECT_FALSE(test::brick_gradients_match(b, x));
}

}  // namespace
}  // namespace cnn
