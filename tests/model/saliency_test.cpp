// Saliency maps (model/saliency.h): d(class score)/d(input) against central
// differences of the class score, for one output and for a second head, and
// that computing one leaves training untouched.
#include "model/saliency.h"

#include <gtest/gtest.h>

#include <cmath>

#include "bricks/all.h"
#include "support/gradcheck.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

// Smooth bricks only (tanh, average pooling), so central differences have no
// kinks to straddle; batch norm and dropout in their inference behaviour.
Model smooth_conv_net() {
  Model m({1, 2, 6, 6});
  m.add<Conv2D>({.filters = 3, .kernel = 3, .pad = 1});
  m.add<BatchNorm>();
  m.add<Tanh>();
  m.add<AvgPool2D>({.size = 2});
  m.add<Dropout>({.rate = 0.5f});
  m.add<Flatten>();
  m.add<Dense>({.units = 4});
  m.build(11);
  return m;
}

// Every input element's d score / d x against (score(x + h) - score(x - h)) / 2h.
void expect_matches_finite_differences(Model& m, Tensor x, int target, int output = 0) {
  const SaliencyResult r = saliency(m, x, target, output);
  ASSERT_EQ(r.gradient.shape(), x.shape());
  const int cls = r.target;
  auto score = [&] { return double((*m.forward(x)[size_t(output)])[size_t(cls)]); };
  double largest = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double numeric = test::detail::numeric_derivative(x[i], 1e-2f, score);
    EXPECT_NEAR(r.gradient[i], numeric, 2e-4 + 1e-2 * std::abs(numeric)) << "input element " << i;
    largest = std::max(largest, std::abs(numeric));
  }
  EXPECT_GT(largest, 1e-3) << "the class score should depend on the input";
}

TEST(Saliency, MatchesFiniteDifferencesOfTheClassScore) {
  Model m = smooth_conv_net();
  Rng rng(5);
  const Tensor x = test::uniform_tensor({1, 2, 6, 6}, rng, -1, 1);
  for (int target = 0; target < 4; ++target) expect_matches_finite_differences(m, x, target);
}

TEST(Saliency, DefaultsToThePredictedClassAndReportsTheScores) {
  Model m = smooth_conv_net();
  Rng rng(6);
  const Tensor x = test::uniform_tensor({1, 2, 6, 6}, rng, -1, 1);
  const Tensor expected = m.predict(x)[0];
  const SaliencyResult r = saliency(m, x);
  ASSERT_EQ(r.scores.size(), 4u);
  int best = 0;
  for (int c = 0; c < 4; ++c) {
    EXPECT_FLOAT_EQ(r.scores[size_t(c)], expected[size_t(c)]);
    if (expected[size_t(c)] > expected[size_t(best)]) best = c;
  }
  EXPECT_EQ(r.predicted, best);
  EXPECT_EQ(r.target, best);
  const SaliencyResult explicit_best = saliency(m, x, best);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(r.gradient[i], explicit_best.gradient[i]);
}

// A purely linear model: the gradient of class c's score is row c of the weights.
TEST(Saliency, OfADenseLayerIsItsWeightRow) {
  Model m({1, 3, 2, 2});
  m.add<Flatten>();
  m.add<Dense>({.units = 5});
  m.build(3);
  Rng rng(2);
  const Tensor x = test::uniform_tensor({1, 3, 2, 2}, rng, -1, 1);
  const Tensor& w = m.brick(1).params()[0]->value;  // weight (units, inputs)
  ASSERT_EQ(w.size(), 5u * 12u);
  const SaliencyResult r = saliency(m, x, 3);
  for (size_t i = 0; i < 12; ++i) EXPECT_FLOAT_EQ(r.gradient[i], w[3 * 12 + i]) << i;
}

// A trunk with two heads: the second head's score, through the shared trunk.
TEST(Saliency, OfASecondOutput) {
  Model m({1, 4, 1, 1});
  const int trunk = m.add<Dense>({.units = 5});
  const int act = m.add<Tanh>(trunk);
  const int a = m.add<Dense>({.units = 3}, act);
  const int b = m.add<Dense>({.units = 2}, act);
  m.set_outputs({a, b});
  m.build(7);
  Rng rng(8);
  const Tensor x = test::uniform_tensor({1, 4, 1, 1}, rng, -1, 1);
  expect_matches_finite_differences(m, x, 1, /*output=*/1);
  expect_matches_finite_differences(m, x, 2, /*output=*/0);
}

TEST(Saliency, LeavesTheActivationsOfTheInputAndNoParameterGradients) {
  Model m = smooth_conv_net();
  Rng rng(9);
  const Tensor x = test::uniform_tensor({1, 2, 6, 6}, rng, -1, 1);
  saliency(m, x, 1);
  Tensor conv = m.node_output(0);  // copy: the reference forward below overwrites it
  for (Param* p : m.params())
    for (size_t i = 0; i < p->grad.size(); ++i) ASSERT_EQ(p->grad[i], 0.f) << p->name << i;
  m.forward(x);
  ASSERT_EQ(conv.shape(), m.node_output(0).shape());
  for (size_t i = 0; i < conv.size(); ++i) EXPECT_EQ(conv[i], m.node_output(0)[i]);
}

// The playground computes saliency between training batches, and between
// the parts of a batch (Trainer::step_part): the weights must come out
// exactly as without it.
TEST(Saliency, BetweenTrainingStepsChangesNothing) {
  Rng rng(4);
  const Tensor x = test::uniform_tensor({8, 2, 6, 6}, rng, -1, 1);
  Tensor y({8, 1, 1, 1});
  for (int i = 0; i < 8; ++i) y[size_t(i)] = float(i % 4);
  const Tensor one = test::uniform_tensor({1, 2, 6, 6}, rng, -1, 1);
  Model plain = smooth_conv_net(), inspected = smooth_conv_net();
  for (Model* m : {&plain, &inspected})
    m->compile({.loss = {"softmax_crossentropy"}, .optimizer = {{"type", "adam"}, {"lr", 1e-2}}});
  Tensor half_x({4, 2, 6, 6}), half_y({4, 1, 1, 1});
  for (int step = 0; step < 3; ++step) {
    plain.train_batch(x, {&y});
    inspected.train_batch(x, {&y});
    saliency(inspected, one, step % 4);
    // The same batch in two halves, with saliency in between.
    for (Model* m : {&plain, &inspected}) {
      m->begin_batch();
      for (int half = 0; half < 2; ++half) {
        std::copy(x.data() + half * half_x.size(), x.data() + (half + 1) * half_x.size(),
                  half_x.data());
        std::copy(y.data() + half * 4, y.data() + (half + 1) * 4, half_y.data());
        m->accumulate_batch(half_x, {&half_y}, 0.5f);
        if (m == &inspected && half == 0) saliency(inspected, one, step % 4);
      }
      m->apply_batch();
    }
  }
  const auto a = plain.params(), b = inspected.params();
  ASSERT_EQ(a.size(), b.size());
  for (size_t p = 0; p < a.size(); ++p)
    for (size_t i = 0; i < a[p]->value.size(); ++i)
      ASSERT_EQ(a[p]->value[i], b[p]->value[i]) << a[p]->name << "[" << i << "]";
}

TEST(Saliency, BadRequestsAreErrors) {
  Model m = smooth_conv_net();
  EXPECT_ERROR_CONTAINS(saliency(m, Tensor({2, 2, 6, 6})), "one sample", "batch of 2");
  EXPECT_ERROR_CONTAINS(saliency(m, Tensor({1, 2, 6, 6}), 4), "class 4", "4 values");
  EXPECT_ERROR_CONTAINS(saliency(m, Tensor({1, 2, 6, 6}), 0, 1), "output 1", "has 1");
  EXPECT_ERROR_CONTAINS(saliency(m, Tensor({1, 1, 6, 6})), "model input must be 2x6x6");
}

}  // namespace
}  // namespace cnn
