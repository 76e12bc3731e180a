// Content, style and total-variation losses: values by hand, gradients with
// the shared checker.
#include <gtest/gtest.h>

#include "core/error.h"
#include "style/gram.h"
#include "style/losses.h"
#include "style_test_util.h"

namespace cnn {
namespace {

using test::FunctionLoss;
using test::loss_check_options;
using test::loss_gradients_match;
using test::uniform_tensor;

TEST(ContentLoss, HalfMeanSquaredDifference) {
  Tensor f({1, 1, 1, 4}), p({1, 1, 1, 4});
  f[0] = 1, f[1] = 2, f[2] = 3, f[3] = 4;
  p[0] = 1, p[1] = 0, p[2] = 6, p[3] = 4;  // differences 0, 2, -3, 0
  EXPECT_FLOAT_EQ(content_loss(f, p), 0.5f * (4 + 9) / 4);
  EXPECT_FLOAT_EQ(content_loss(f, f), 0.f);
}

TEST(ContentLoss, GradientMatchesFiniteDifferences) {
  Rng rng(1);
  const Shape s{1, 3, 4, 5};
  FunctionLoss loss(content_loss, content_loss_backward);
  EXPECT_TRUE(loss_gradients_match(loss, uniform_tensor(s, rng, -2, 2),
                                   uniform_tensor(s, rng, -2, 2), loss_check_options(1e-2f)));
}

TEST(StyleLoss, SquaredGramDifference) {
  Tensor f({1, 2, 1, 2});
  f[0] = 1, f[1] = 2, f[2] = 3, f[3] = 4;  // Gram (5, 11; 11, 25) / 4, see gram_test
  Tensor a({1, 1, 2, 2});
  a[0] = 1, a[1] = 3, a[2] = 3, a[3] = 6;
  Tensor g;
  const float want =
      (1.25f - 1) * (1.25f - 1) + 2 * (2.75f - 3) * (2.75f - 3) + (6.25f - 6) * (6.25f - 6);
  EXPECT_FLOAT_EQ(style_loss(f, a, g), want);
  EXPECT_FLOAT_EQ(g[1], 2.75f);  // the Gram matrix is left for backward
}

TEST(StyleLoss, GradientMatchesFiniteDifferences) {
  Rng rng(2);
  const Shape s{1, 4, 3, 5};
  Tensor target;
  gram_matrix(uniform_tensor(s, rng, 0, 1), target);  // the Gram of another image
  Tensor gram;
  FunctionLoss loss([&](const Tensor& f, const Tensor& a) { return style_loss(f, a, gram); },
                    [&](const Tensor& f, const Tensor& a, Tensor& df) {
                      Tensor g;
                      style_loss(f, a, g);
                      style_loss_backward(f, g, a, df);
                    });
  EXPECT_TRUE(
      loss_gradients_match(loss, uniform_tensor(s, rng, -1, 1), target, loss_check_options(1e-2f)));
}

TEST(StyleLoss, RejectsTargetOfOtherChannelCount) {
  Tensor f({1, 3, 2, 2}), a({1, 1, 4, 4}), g;
  EXPECT_THROW(style_loss(f, a, g), Error);
}

TEST(TotalVariation, HandComputed) {
  // 2x2 image (0 1; 2 4): horizontal differences 1, 2; vertical 2, 3.
  Tensor x({1, 1, 2, 2});
  x[0] = 0, x[1] = 1, x[2] = 2, x[3] = 4;
  EXPECT_FLOAT_EQ(tv_loss(x), (1.f + 4 + 4 + 9) / 4);
  // A constant image has none; a 1x1 image has no neighbours.
  EXPECT_FLOAT_EQ(tv_loss(Tensor({1, 3, 5, 4}, 0.7f)), 0.f);
  EXPECT_FLOAT_EQ(tv_loss(Tensor({1, 3, 1, 1}, 0.7f)), 0.f);
}

TEST(TotalVariation, GradientMatchesFiniteDifferencesIncludingThinImages) {
  Rng rng(3);
  for (Shape s : {Shape{1, 3, 4, 5}, Shape{2, 1, 1, 6}, Shape{1, 2, 5, 1}}) {
    SCOPED_TRACE(s.str());
    FunctionLoss loss([](const Tensor& x, const Tensor&) { return tv_loss(x); },
                      [](const Tensor& x, const Tensor&, Tensor& dx) { tv_loss_backward(x, dx); });
    EXPECT_TRUE(loss_gradients_match(loss, uniform_tensor(s, rng, 0, 1), Tensor(),
                                     loss_check_options(1e-2f)));
  }
}

}  // namespace
}  // namespace cnn
