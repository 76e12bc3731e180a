// Central-difference gradient checks of every loss, with both target forms
// where a loss accepts both. Outputs stay away from the kinks (hinge margins)
// and from the probability clamp.
#include <gtest/gtest.h>

#include <cmath>

#include "losses/all.h"
#include "support/gradcheck.h"

namespace cnn {
namespace {

using test::loss_check_options;
using test::loss_gradients_match;
using test::uniform_tensor;

const int kN = 4, kK = 5;
const Shape kScores{kN, kK, 1, 1};

Tensor labels(Rng& rng) {
  Tensor t({kN, 1, 1, 1});
  for (int i = 0; i < kN; ++i) t[i] = float(rng.below(kK));
  return t;
}

Tensor one_hot(const Tensor& labels) {
  Tensor t(kScores);
  for (int i = 0; i < kN; ++i) t.at(i, int(labels[i])) = 1.f;
  return t;
}

Tensor signs(Shape s, Rng& rng) {
  Tensor t(s);
  for (size_t i = 0; i < t.size(); ++i) t[i] = rng.uniform() < 0.5f ? -1.f : 1.f;
  return t;
}

// Probability losses: p in [0.1, 0.9] and h = 2e-3. The truncation error of
// the central difference of -log p is h^2/6 * 2/p^3, relative to the
// derivative 1/p that is h^2/3/p^2 < 1.4e-4: far inside rtol.
const float kProbStep = 2e-3f;
// Smooth logit losses: h = 1e-2 (truncation ~1.7e-5 * |E'''|, E''' <= 1).
const float kLogitStep = 1e-2f;

TEST(LossGradients, MeanSquaredError) {
  Rng rng(1);
  MeanSquaredError mse;
  const Shape s{3, 2, 2, 2};  // any NCHW shape
  EXPECT_TRUE(loss_gradients_match(mse, uniform_tensor(s, rng, -2, 2),
                                   uniform_tensor(s, rng, -2, 2), loss_check_options(kLogitStep)));
}

TEST(LossGradients, BinaryCrossentropy) {
  Rng rng(2);
  const Shape s{kN, 3, 1, 1};
  const Tensor soft = uniform_tensor(s, rng, 0, 1);
  BinaryCrossentropy bce;
  EXPECT_TRUE(loss_gradients_match(bce, uniform_tensor(s, rng, 0.1f, 0.9f), soft,
                                   loss_check_options(kProbStep)));
  BinaryCrossentropyLogits bcel;
  EXPECT_TRUE(loss_gradients_match(bcel, uniform_tensor(s, rng, -4, 4), soft,
                                   loss_check_options(kLogitStep)));
}

TEST(LossGradients, CategoricalOnProbabilitiesWithLabelsOneHotAndSoftRows) {
  Rng rng(3);
  CategoricalCrossentropy cce;
  const Tensor p = uniform_tensor(kScores, rng, 0.1f, 0.9f);
  const Tensor y = labels(rng);
  EXPECT_TRUE(loss_gradients_match(cce, p, y, loss_check_options(kProbStep)));
  EXPECT_TRUE(loss_gradients_match(cce, p, one_hot(y), loss_check_options(kProbStep)));
  EXPECT_TRUE(loss_gradients_match(cce, p, uniform_tensor(kScores, rng, 0, 0.4f),
                                   loss_check_options(kProbStep)));
}

TEST(LossGradients, SoftmaxCrossentropyWithLabelsOneHotAndSoftRows) {
  Rng rng(4);
  SoftmaxCrossentropy sce;
  const Tensor x = uniform_tensor(kScores, rng, -3, 3);
  const Tensor y = labels(rng);
  EXPECT_TRUE(loss_gradients_match(sce, x, y, loss_check_options(kLogitStep)));
  EXPECT_TRUE(loss_gradients_match(sce, x, one_hot(y), loss_check_options(kLogitStep)));
  // Soft rows that do not sum to 1 exercise the sum(t) factor of the gradient.
  EXPECT_TRUE(loss_gradients_match(sce, x, uniform_tensor(kScores, rng, 0, 0.5f),
                                   loss_check_options(kLogitStep)));
}

TEST(LossGradients, Logistic) {
  Rng rng(5);
  Logistic logistic;
  const Shape s{kN, 3, 1, 1};
  EXPECT_TRUE(loss_gradients_match(logistic, uniform_tensor(s, rng, -4, 4), signs(s, rng),
                                   loss_check_options(kLogitStep)));
}

TEST(LossGradients, HingeAwayFromTheMargin) {
  Rng rng(6);
  const Shape s{kN, 3, 1, 1};
  for (float m : {1.f, 0.5f}) {
    Hinge hinge({.margin = m});
    // The kink is at c x = m, i.e. x = +-m: stay 5h away.
    const Tensor x = test::tensor_away_from(s, rng, -2, 2, {-m, m}, 5 * kLogitStep);
    EXPECT_TRUE(loss_gradients_match(hinge, x, signs(s, rng), loss_check_options(kLogitStep)))
        << "margin " << m;
  }
}

TEST(LossGradients, MaxMarginAwayFromTheMarginWithLabelsAndOneHot) {
  Rng rng(7);
  const Tensor y = labels(rng);
  for (float m : {1.f, 0.3f}) {
    MaxMargin mm({.margin = m});
    // Redraw each row until every m + x_j - x_y is 5h from 0 (the kink);
    // moving one score by h moves those terms by at most h.
    Tensor x(kScores);
    for (int i = 0; i < kN; ++i) {
      const int label = int(y[i]);
      bool near;
      do {
        for (int j = 0; j < kK; ++j) x.at(i, j) = rng.uniform(-1.5f, 1.5f);
        near = false;
        for (int j = 0; j < kK; ++j)
          if (j != label) near = near || std::abs(m + x.at(i, j) - x.at(i, label)) < 5 * kLogitStep;
      } while (near);
    }
    EXPECT_TRUE(loss_gradients_match(mm, x, y, loss_check_options(kLogitStep))) << "margin " << m;
    EXPECT_TRUE(loss_gradients_match(mm, x, one_hot(y), loss_check_options(kLogitStep)))
        << "margin " << m;
  }
}

}  // namespace
}  // namespace cnn
