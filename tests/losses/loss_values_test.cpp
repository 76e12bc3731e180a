// Loss values and gradients: hand-computed cases, PyTorch golden values for
// every loss (both target forms where they exist), and stability at extreme
// outputs.
#include <gtest/gtest.h>

#include <cmath>

#include "golden/golden.h"
#include "golden/losses_golden.h"
#include "losses/all.h"

namespace cnn {
namespace {

using golden::tensors_near;
using golden::values;

#define G(name) golden::tensor(golden::name, golden::name##_shape)

Tensor grad(Loss& loss, const Tensor& output, const Tensor& target) {
  Tensor d(output.shape(), NAN);
  loss.backward(output, target, d);
  return d;
}

// A loss value from PyTorch: sums over ~20 terms in another order.
void expect_loss(float actual, float expected) {
  EXPECT_NEAR(actual, expected, 2e-6f * (1 + std::abs(expected)));
}

// ---- hand-computed ----------------------------------------------------------

TEST(LossValues, HandComputed) {
  MeanSquaredError mse;
  const Tensor o = values({1, 2, 1, 1}, {1, 2}), t = values({1, 2, 1, 1}, {0, 4});
  EXPECT_FLOAT_EQ(mse.forward(o, t), 2.5f);  // (1 + 4) / 2
  EXPECT_TRUE(tensors_near(grad(mse, o, t), values({1, 2, 1, 1}, {1, -2})));

  BinaryCrossentropy bce;
  EXPECT_NEAR(bce.forward(values({1, 1, 1, 1}, {0.5f}), values({1, 1, 1, 1}, {1})), std::log(2.0),
              1e-7);
  BinaryCrossentropyLogits bcel;
  EXPECT_NEAR(bcel.forward(values({1, 1, 1, 1}, {0.f}), values({1, 1, 1, 1}, {1})), std::log(2.0),
              1e-7);

  CategoricalCrossentropy cce;
  const Tensor p = values({1, 3, 1, 1}, {0.2f, 0.5f, 0.3f});
  EXPECT_NEAR(cce.forward(p, values({1, 1, 1, 1}, {1})), std::log(2.0), 1e-7);  // -ln 0.5
  // dE/dp = -1/p at the label: -2.
  EXPECT_TRUE(
      tensors_near(grad(cce, p, values({1, 1, 1, 1}, {1})), values({1, 3, 1, 1}, {0, -2, 0})));

  SoftmaxCrossentropy sce;
  const Tensor z = values({1, 3, 1, 1}, {0, 0, 0});
  EXPECT_NEAR(sce.forward(z, values({1, 1, 1, 1}, {2})), std::log(3.0), 1e-6);
  EXPECT_TRUE(tensors_near(grad(sce, z, values({1, 1, 1, 1}, {2})),
                           values({1, 3, 1, 1}, {1 / 3.f, 1 / 3.f, -2 / 3.f})));

  Logistic logistic;
  EXPECT_NEAR(logistic.forward(values({1, 1, 1, 1}, {0}), values({1, 1, 1, 1}, {-1})),
              std::log(2.0), 1e-7);

  // margin 1: 1 - 0.3 = 0.7;  2 is beyond the margin: 0;  label 0 means -1: 1 + 0.3 = 1.3.
  Hinge hinge;
  const Tensor h = values({1, 3, 1, 1}, {0.3f, 2.f, 0.3f}), c = values({1, 3, 1, 1}, {1, 1, 0});
  EXPECT_NEAR(hinge.forward(h, c), (0.7 + 0 + 1.3) / 3, 1e-7);
  EXPECT_TRUE(tensors_near(grad(hinge, h, c), values({1, 3, 1, 1}, {-1 / 3.f, 0, 1 / 3.f})));

  // x = (1, 2, 0.5), class 0, margin 1: max(0, 1+2-1) + max(0, 1+0.5-1) = 2 + 0.5.
  MaxMargin mm;
  const Tensor m = values({1, 3, 1, 1}, {1, 2, 0.5f});
  EXPECT_FLOAT_EQ(mm.forward(m, values({1, 1, 1, 1}, {0})), 2.5f);
  EXPECT_TRUE(
      tensors_near(grad(mm, m, values({1, 1, 1, 1}, {0})), values({1, 3, 1, 1}, {-2, 1, 1})));
  EXPECT_FLOAT_EQ(MaxMargin({.margin = 0.25f}).forward(m, values({1, 1, 1, 1}, {0})), 1.25f);
}

// ---- PyTorch ----------------------------------------------------------------

TEST(LossValues, MatchPyTorchElementwise) {
  MeanSquaredError mse;
  const Tensor o = G(mse_output), t = G(mse_target);
  expect_loss(mse.forward(o, t), golden::mse_loss);
  EXPECT_TRUE(tensors_near(grad(mse, o, t), G(mse_grad)));

  BinaryCrossentropy bce;
  expect_loss(bce.forward(G(bce_output), G(bce_target)), golden::bce_loss);
  EXPECT_TRUE(tensors_near(grad(bce, G(bce_output), G(bce_target)), G(bce_grad)));
  BinaryCrossentropyLogits bcel;  // includes logits 40, -40 and 95
  expect_loss(bcel.forward(G(bcel_output), G(bce_target)), golden::bcel_loss);
  EXPECT_TRUE(tensors_near(grad(bcel, G(bcel_output), G(bce_target)), G(bcel_grad)));

  const Tensor x = G(margin_output), c = G(margin_target);  // includes scores +-50
  Logistic logistic;
  expect_loss(logistic.forward(x, c), golden::logistic_loss);
  EXPECT_TRUE(tensors_near(grad(logistic, x, c), G(logistic_grad)));
  Hinge hinge;
  expect_loss(hinge.forward(x, c), golden::hinge_loss);
  EXPECT_TRUE(tensors_near(grad(hinge, x, c), G(hinge_grad)));
  Hinge hinge05({.margin = 0.5f});
  expect_loss(hinge05.forward(x, c), golden::hinge_m05_loss);
  EXPECT_TRUE(tensors_near(grad(hinge05, x, c), G(hinge_m05_grad)));
}

TEST(LossValues, MatchPyTorchCategoricalWithLabelsAndOneHotRows) {
  const Tensor labels = G(cce_labels), onehot = G(cce_onehot), soft = G(cce_soft);
  CategoricalCrossentropy cce;
  const Tensor p = G(cce_probs);
  for (const Tensor* t : {&labels, &onehot}) {
    SCOPED_TRACE(t == &labels ? "labels" : "one-hot");
    expect_loss(cce.forward(p, *t), golden::cce_loss);
    EXPECT_TRUE(tensors_near(grad(cce, p, *t), G(cce_grad)));
  }
  expect_loss(cce.forward(p, soft), golden::cce_soft_loss);
  EXPECT_TRUE(tensors_near(grad(cce, p, soft), G(cce_soft_grad)));

  SoftmaxCrossentropy sce;  // logits include an 80 that would overflow exp in float
  const Tensor x = G(sce_logits);
  for (const Tensor* t : {&labels, &onehot}) {
    SCOPED_TRACE(t == &labels ? "labels" : "one-hot");
    expect_loss(sce.forward(x, *t), golden::sce_loss);
    EXPECT_TRUE(tensors_near(grad(sce, x, *t), G(sce_grad)));
  }
  expect_loss(sce.forward(x, soft), golden::sce_soft_loss);
  EXPECT_TRUE(tensors_near(grad(sce, x, soft), G(sce_soft_grad)));

  const Tensor m = G(mm_output);
  for (const Tensor* t : {&labels, &onehot}) {
    SCOPED_TRACE(t == &labels ? "labels" : "one-hot");
    MaxMargin mm;
    expect_loss(mm.forward(m, *t), golden::mm_loss);
    EXPECT_TRUE(tensors_near(grad(mm, m, *t), G(mm_grad)));
    MaxMargin mm03({.margin = 0.3f});
    expect_loss(mm03.forward(m, *t), golden::mm_m03_loss);
    EXPECT_TRUE(tensors_near(grad(mm03, m, *t), G(mm_m03_grad)));
  }
}

// ---- extremes ---------------------------------------------------------------

TEST(LossValues, ProbabilitiesAreClampedNotInfinite) {
  // p = 0 for the true class: -log(1e-7) = 16.118, and a zero gradient (the
  // clamp is flat there) instead of -1/0.
  CategoricalCrossentropy cce;
  const Tensor p = values({1, 2, 1, 1}, {0.f, 1.f}), label = values({1, 1, 1, 1}, {0});
  EXPECT_NEAR(cce.forward(p, label), -std::log(1e-7), 1e-3);
  Tensor d = grad(cce, p, label);
  EXPECT_EQ(d[0], 0.f);
  EXPECT_EQ(d[1], 0.f);
  BinaryCrossentropy bce;
  const Tensor q = values({1, 2, 1, 1}, {1.f, 0.f}), t = values({1, 2, 1, 1}, {0, 1});
  const float loss = bce.forward(q, t);
  // 1 - 1e-7 rounds to 1 - 2^-23 in float: -log(2^-23) = 15.94 .. -log(1e-7) = 16.12.
  EXPECT_GT(loss, 15.9f);
  EXPECT_LT(loss, 16.2f);
  d = grad(bce, q, t);
  EXPECT_TRUE(std::isfinite(d[0]) && std::isfinite(d[1]));
}

TEST(LossValues, LogitLossesStayExactFarOut) {
  BinaryCrossentropyLogits bcel;
  // log(1 + e^100) = 100 (+ 4e-44); log(1 + e^-100) = 3.7e-44.
  EXPECT_FLOAT_EQ(bcel.forward(values({1, 1, 1, 1}, {100}), values({1, 1, 1, 1}, {0})), 100.f);
  // log1p keeps the tiny value (a float denormal) instead of rounding 1 + e^-100 to 1.
  EXPECT_NEAR(bcel.forward(values({1, 1, 1, 1}, {-100}), values({1, 1, 1, 1}, {0})), 3.72e-44f,
              3e-45f);
  Tensor d = grad(bcel, values({1, 1, 1, 1}, {-100}), values({1, 1, 1, 1}, {1}));
  EXPECT_FLOAT_EQ(d[0], -1.f);  // still learning where the sigmoid is flat
  SoftmaxCrossentropy sce;
  EXPECT_FLOAT_EQ(sce.forward(values({1, 2, 1, 1}, {1000, 0}), values({1, 1, 1, 1}, {1})), 1000.f);
  Logistic logistic;
  EXPECT_FLOAT_EQ(logistic.forward(values({1, 1, 1, 1}, {-500}), values({1, 1, 1, 1}, {1})), 500.f);
}

TEST(LossValues, ReduceAsKeras) {
  // Per-sample mean over elements, batch mean: two samples of 2 elements.
  MeanSquaredError mse;
  EXPECT_FLOAT_EQ(mse.forward(values({2, 2, 1, 1}, {1, 1, 3, 3}), Tensor({2, 2, 1, 1})),
                  (1 + 9) / 2.f);
  // Categorical: sum over classes, batch mean: two samples each -ln(0.5).
  CategoricalCrossentropy cce;
  EXPECT_NEAR(cce.forward(values({2, 2, 1, 1}, {0.5f, 0.5f, 0.5f, 0.5f}),
                          values({2, 2, 1, 1}, {1, 0, 0, 1})),
              std::log(2.0), 1e-7);
}

}  // namespace
}  // namespace cnn
