// Dropout: identity at inference, the expected activation is kept in
// training, the mask is reproducible from the seed, and gradients follow it.
#include "bricks/dropout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "bricks/brick_test_util.h"
#include "support/gradcheck.h"

namespace cnn {
namespace {

using test::backprop;
using test::error_of;
using test::run;
using ::testing::HasSubstr;

TEST(Dropout, IdentityAtInference) {
  Rng rng(1);
  Dropout drop({.rate = 0.7f});
  const Tensor x = test::uniform_tensor({3, 4, 5, 6}, rng, -2, 2);
  Tensor y = run(drop, x, Mode::kInference);
  const Tensor dy = test::uniform_tensor(x.shape(), rng, -1, 1);
  Tensor dx = backprop(drop, x, y, dy);
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(y[i], x[i]) << i;
    ASSERT_EQ(dx[i], dy[i]) << i;
  }
}

// Each unit is x / (1 - rate) with probability 1 - rate, else 0: mean x,
// standard deviation x sqrt(rate / (1 - rate)). Over n = 100000 units the mean
// has standard error x sqrt(rate / ((1 - rate) n)); the tolerance is 5 of
// those (a false failure about once in 2 million runs, and the seed is fixed).
TEST(Dropout, KeepsTheExpectedActivation) {
  const int n = 100000;
  const Tensor x(Shape{1, n, 1, 1}, 2.f);
  for (float rate : {0.1f, 0.5f, 0.8f}) {
    Dropout drop({.rate = rate});
    Tensor y = run(drop, x, Mode::kTraining, 99);
    double sum = 0;
    int zeros = 0;
    const float kept = 2.f / (1.f - rate);
    for (size_t i = 0; i < y.size(); ++i) {
      sum += y[i];
      if (y[i] == 0.f)
        ++zeros;
      else
        ASSERT_FLOAT_EQ(y[i], kept) << "a kept unit is x / (1 - rate)";
    }
    const double se_mean = 2.0 * std::sqrt(rate / ((1 - rate) * double(n)));
    EXPECT_NEAR(sum / n, 2.0, 5 * se_mean) << "rate " << rate;
    const double se_frac = std::sqrt(rate * (1 - rate) / n);
    EXPECT_NEAR(double(zeros) / n, rate, 5 * se_frac) << "rate " << rate;
  }
}

TEST(Dropout, MaskComesFromTheSeedAndDrivesBackward) {
  Rng rng(2);
  Dropout drop;
  const Tensor x = test::uniform_tensor({2, 3, 4, 4}, rng, 0.5f, 1.5f);  // never 0
  const Tensor a = run(drop, x, Mode::kTraining, 7);
  const Tensor b = run(drop, x, Mode::kTraining, 8);
  const Tensor a2 = run(drop, x, Mode::kTraining, 7);
  int differ = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(a[i], a2[i]) << "same seed, same mask";
    differ += (a[i] == 0) != (b[i] == 0);
  }
  EXPECT_GT(differ, 10) << "another seed, another mask";
  // The last forward (seed 7) set the mask: gradient flows only through kept
  // units, scaled like them.
  const Tensor dy(x.shape(), 1.f);
  Tensor dx = backprop(drop, x, a2, dy);
  for (size_t i = 0; i < x.size(); ++i) ASSERT_FLOAT_EQ(dx[i], a2[i] / x[i]) << i;
}

TEST(DropoutGradients, FixedMask) {
  Rng rng(3);
  Dropout drop({.rate = 0.3f});
  test::GradCheckOptions o;
  o.mode = Mode::kTraining;  // the checker reseeds ctx.rng: the same mask every forward
  EXPECT_TRUE(test::brick_gradients_match(drop, test::uniform_tensor({2, 3, 4, 5}, rng, -1, 1), o));
}

TEST(Dropout, Errors) {
  EXPECT_THAT(error_of([] { Dropout({.rate = 1.f}); }),
              HasSubstr("dropout: rate must be in [0, 1)"));
  EXPECT_THAT(error_of([] { Dropout({.rate = -0.1f}); }), HasSubstr("dropout: rate"));
  Dropout drop;
  Tensor x({1, 4, 1, 1}), y;
  Context ctx{Mode::kTraining, nullptr};
  EXPECT_THAT(error_of([&] { drop.forward(x, y, ctx); }),
              HasSubstr("dropout: training mode needs"));
}

}  // namespace
}  // namespace cnn
