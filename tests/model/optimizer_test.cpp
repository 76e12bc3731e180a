#include "optim/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "optim/schedule.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

Param make_param(std::vector<float> w, std::vector<float> g, bool decay = true) {
  Param p{"w", Tensor({1, int(w.size()), 1, 1}), Tensor({1, int(w.size()), 1, 1}), decay};
  for (size_t i = 0; i < w.size(); ++i) p.value[i] = w[i], p.grad[i] = g[i];
  return p;
}

TEST(Sgd, PlainStepIsLrTimesGradient) {
  Param p = make_param({1.f, -2.f}, {0.5f, -1.f});
  Sgd sgd({.lr = 0.1f});
  sgd.step({&p});
  EXPECT_FLOAT_EQ(p.value[0], 0.95f);
  EXPECT_FLOAT_EQ(p.value[1], -1.9f);
}

TEST(Sgd, MomentumAccumulatesVelocity) {
  Param p = make_param({1.f}, {1.f});
  Sgd sgd({.lr = 0.1f, .momentum = 0.9f});
  sgd.step({&p});  // v = 1,   w = 1 - 0.1
  EXPECT_FLOAT_EQ(p.value[0], 0.9f);
  sgd.step({&p});  // v = 1.9, w = 0.9 - 0.19
  EXPECT_FLOAT_EQ(p.value[0], 0.71f);
}

TEST(Sgd, L2DecaysWeightsButNotExemptParameters) {
  Param w = make_param({2.f}, {0.f});
  Param b = make_param({2.f}, {0.f}, /*decay=*/false);
  Sgd sgd({.lr = 0.1f, .l2 = 0.5f});
  sgd.step({&w, &b});
  EXPECT_FLOAT_EQ(w.value[0], 2.f - 0.1f * 0.5f * 2.f);
  EXPECT_FLOAT_EQ(b.value[0], 2.f);
}

TEST(Adam, MatchesTheTextbookUpdate) {
  // Kingma & Ba, Algorithm 1, written out independently in double.
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
  Param p = make_param({0.5f}, {0.f});
  Adam adam({.lr = float(lr), .beta1 = float(b1), .beta2 = float(b2), .eps = float(eps)});
  double w = 0.5, m = 0, v = 0;
  const double grads[] = {0.3, -0.1, 0.25, 2.0};
  for (int t = 1; t <= 4; ++t) {
    double g = grads[t - 1];
    p.grad[0] = float(g);
    adam.step({&p});
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    double mhat = m / (1 - std::pow(b1, t)), vhat = v / (1 - std::pow(b2, t));
    w -= lr * mhat / (std::sqrt(vhat) + eps);
    EXPECT_NEAR(p.value[0], w, 1e-6) << "step " << t;
  }
  EXPECT_EQ(adam.steps(), 4);
}

TEST(Optimizers, FactoryReadsConfigsAndRejectsBadOnes) {
  auto sgd = make_optimizer({{"type", "sgd"}, {"lr", 0.2}, {"momentum", 0.5}});
  EXPECT_STREQ(sgd->type(), "sgd");
  EXPECT_FLOAT_EQ(sgd->learning_rate, 0.2f);
  EXPECT_EQ(make_optimizer(sgd->config())->config(), sgd->config());
  EXPECT_STREQ(make_optimizer("adam")->type(), "adam");
  EXPECT_ERROR_CONTAINS(make_optimizer("rmsprop"), "unknown optimizer", "rmsprop");
  EXPECT_ERROR_CONTAINS(make_optimizer({{"type", "adam"}, {"beta", 0.5}}), "unknown option",
                        "beta");
  EXPECT_ERROR_CONTAINS(make_optimizer({{"type", "sgd"}, {"lr", "fast"}}), "lr", "number");
}

TEST(Schedules, StepDecayHalvesEveryNEpochs) {
  auto s = make_schedule({{"type", "step"}, {"every", 2}, {"factor", 0.5}});
  EXPECT_FLOAT_EQ(s->epoch_begin(0, 0.1f, 0.1f), 0.1f);
  EXPECT_FLOAT_EQ(s->epoch_begin(1, 0.1f, 0.1f), 0.1f);
  EXPECT_FLOAT_EQ(s->epoch_begin(2, 0.1f, 0.1f), 0.05f);
  EXPECT_FLOAT_EQ(s->epoch_begin(5, 0.1f, 0.05f), 0.025f);
}

TEST(Schedules, PlateauHalvesWhenValidationErrorStopsImproving) {
  auto s = make_schedule({{"type", "plateau"}, {"patience", 2}});
  float lr = 0.1f;
  lr = s->epoch_end(lr, 1.0f);  // best
  lr = s->epoch_end(lr, 0.8f);  // better
  EXPECT_FLOAT_EQ(lr, 0.1f);
  lr = s->epoch_end(lr, 0.9f);  // worse, 1 of 2
  EXPECT_FLOAT_EQ(lr, 0.1f);
  lr = s->epoch_end(lr, 0.85f);  // worse, 2 of 2: halve
  EXPECT_FLOAT_EQ(lr, 0.05f);
  lr = s->epoch_end(lr, 0.7f);  // improves: keep
  EXPECT_FLOAT_EQ(lr, 0.05f);
  // The state survives a config round trip (resumed training).
  auto copy = make_schedule(s->config());
  EXPECT_EQ(copy->config(), s->config());
  EXPECT_EQ(make_schedule("none"), nullptr);
  EXPECT_ERROR_CONTAINS(make_schedule("cosine"), "cosine");
}

}  // namespace
}  // namespace cnn
