// BatchNorm: batch statistics in training, running averages at inference,
// the running-average update rule, PyTorch golden values after conv and
// after dense, and gradient checks in both modes.
#include "bricks/batch_norm.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bricks/brick_test_util.h"
#include "golden/bricks_golden.h"
#include "golden/golden.h"
#include "support/gradcheck.h"

namespace cnn {
namespace {

using golden::tensors_near;
using test::backprop;
using test::error_of;
using test::run;
using ::testing::HasSubstr;

#define G(name) golden::tensor(golden::name, golden::name##_shape)

// Per-channel mean and biased variance over (N, H, W), in double.
struct Stats {
  std::vector<double> mean, var;
};
Stats channel_stats(const Tensor& t) {
  const Shape s = t.shape();
  Stats st{std::vector<double>(s.c), std::vector<double>(s.c)};
  const double m = double(s.n) * s.plane();
  for (int c = 0; c < s.c; ++c) {
    for (int n = 0; n < s.n; ++n)
      for (int h = 0; h < s.h; ++h)
        for (int w = 0; w < s.w; ++w) st.mean[c] += t.at(n, c, h, w) / m;
    for (int n = 0; n < s.n; ++n)
      for (int h = 0; h < s.h; ++h)
        for (int w = 0; w < s.w; ++w) st.var[c] += std::pow(t.at(n, c, h, w) - st.mean[c], 2) / m;
  }
  return st;
}

// Shifted, scaled data per channel, so normalising has something to undo.
Tensor offset_data(Shape s, Rng& rng) {
  Tensor t = test::uniform_tensor(s, rng, -1, 1);
  for (int n = 0; n < s.n; ++n)
    for (int c = 0; c < s.c; ++c)
      for (int h = 0; h < s.h; ++h)
        for (int w = 0; w < s.w; ++w) t.at(n, c, h, w) = 3.f * (c + 1) * t.at(n, c, h, w) + 5.f * c;
  return t;
}

TEST(BatchNorm, TrainingNormalisesWithBatchStatistics) {
  for (Shape s : {Shape{8, 3, 5, 4}, Shape{16, 6, 1, 1}}) {  // after conv, after dense
    SCOPED_TRACE(s.str());
    Rng rng(1);
    BatchNorm bn;
    bn.build(s, rng);
    const Tensor x = offset_data(s, rng);
    Stats st = channel_stats(run(bn, x, Mode::kTraining));
    for (int c = 0; c < s.c; ++c) {
      EXPECT_NEAR(st.mean[c], 0.0, 1e-5);
      // Var is var_x / (var_x + eps) with var_x >= ~3: 1 within 1e-5 / 3.
      EXPECT_NEAR(st.var[c], 1.0, 1e-4);
    }
  }
}

TEST(BatchNorm, RunningAveragesMoveAsSpecified) {
  const Shape s{6, 2, 3, 3};
  Rng rng(2);
  BatchNorm bn({.momentum = 0.8f});
  bn.build(s, rng);
  const Tensor x = offset_data(s, rng);
  Stats st = channel_stats(x);
  const double m = 6 * 9;
  double rm[2] = {0, 0}, rv[2] = {1, 1};  // initial running mean 0, var 1
  for (int step = 0; step < 3; ++step) {
    run(bn, x, Mode::kTraining);
    for (int c = 0; c < 2; ++c) {
      rm[c] = 0.8 * rm[c] + 0.2 * st.mean[c];
      rv[c] = 0.8 * rv[c] + 0.2 * st.var[c] * m / (m - 1);  // unbiased
    }
  }
  std::vector<Buffer> buffers = bn.buffers();
  ASSERT_EQ(buffers.size(), 2u);
  EXPECT_EQ(buffers[0].name, "running_mean");
  EXPECT_EQ(buffers[1].name, "running_var");
  for (int c = 0; c < 2; ++c) {
    EXPECT_NEAR((*buffers[0].value)[c], rm[c], 1e-5 * (1 + std::abs(rm[c])));
    EXPECT_NEAR((*buffers[1].value)[c], rv[c], 1e-5 * rv[c]);
  }
  // Inference leaves them alone.
  const float before = (*buffers[0].value)[1];
  run(bn, x, Mode::kInference);
  EXPECT_EQ((*buffers[0].value)[1], before);
}

TEST(BatchNorm, InferenceUsesRunningAverages) {
  const Shape s{4, 2, 2, 2};
  Rng rng(3);
  BatchNorm bn;
  bn.build(s, rng);
  const Tensor x = offset_data(s, rng);
  const Tensor y_train = run(bn, x, Mode::kTraining);  // one step: running stats move a little
  const Tensor y_infer = run(bn, x, Mode::kInference);
  std::vector<Buffer> buffers = bn.buffers();
  const Tensor &rm = *buffers[0].value, &rv = *buffers[1].value;
  double max_diff = 0;
  for (int n = 0; n < s.n; ++n)
    for (int c = 0; c < s.c; ++c)
      for (int i = 0; i < 4; ++i) {
        const float v = x.at(n, c, i / 2, i % 2);
        const float expected = (v - rm[c]) / std::sqrt(rv[c] + 1e-5f);
        ASSERT_NEAR(y_infer.at(n, c, i / 2, i % 2), expected, 1e-5f * (1 + std::abs(expected)));
        max_diff = std::max(max_diff, double(std::abs(y_infer.at(n, c, i / 2, i % 2) -
                                                      y_train.at(n, c, i / 2, i % 2))));
      }
  EXPECT_GT(max_diff, 1.0) << "inference must not use the batch statistics";
}

void check_golden(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& y,
                  const Tensor& dy, const Tensor& dx, const Tensor& dgamma, const Tensor& dbeta,
                  const Tensor& running_mean, const Tensor& running_var, const Tensor& y_inference,
                  const Tensor& dx_inference) {
  Rng rng;
  BatchNorm bn;  // momentum 0.9 == PyTorch's 0.1
  bn.build(x.shape(), rng);
  test::set_param(bn, "gamma", gamma);
  test::set_param(bn, "beta", beta);
  Tensor out = run(bn, x, Mode::kTraining);
  EXPECT_TRUE(tensors_near(out, y, 1e-5, 1e-5));
  EXPECT_TRUE(tensors_near(backprop(bn, x, out, dy), dx, 1e-4, 1e-5));
  auto flat = [](const Tensor& t) {
    Tensor f = t;
    f.reshape({1, int(t.size()), 1, 1});
    return f;
  };
  EXPECT_TRUE(tensors_near(test::param(bn, "gamma").grad, flat(dgamma), 1e-5, 1e-5));
  EXPECT_TRUE(tensors_near(test::param(bn, "beta").grad, flat(dbeta), 1e-5, 1e-5));
  std::vector<Buffer> buffers = bn.buffers();
  EXPECT_TRUE(tensors_near(*buffers[0].value, flat(running_mean)));
  EXPECT_TRUE(tensors_near(*buffers[1].value, flat(running_var)));
  out = run(bn, x, Mode::kInference);
  EXPECT_TRUE(tensors_near(out, y_inference, 1e-5, 1e-5));
  EXPECT_TRUE(tensors_near(backprop(bn, x, out, dy), dx_inference, 1e-5, 1e-5));
}

TEST(BatchNorm, MatchesPyTorchAfterConv) {
  check_golden(G(bn_conv_x), G(bn_conv_gamma), G(bn_conv_beta), G(bn_conv_y), G(bn_conv_dy),
               G(bn_conv_dx), G(bn_conv_dgamma), G(bn_conv_dbeta), G(bn_conv_running_mean),
               G(bn_conv_running_var), G(bn_conv_y_inference), G(bn_conv_dx_inference));
}

TEST(BatchNorm, MatchesPyTorchAfterDense) {
  check_golden(G(bn_dense_x), G(bn_dense_gamma), G(bn_dense_beta), G(bn_dense_y), G(bn_dense_dy),
               G(bn_dense_dx), G(bn_dense_dgamma), G(bn_dense_dbeta), G(bn_dense_running_mean),
               G(bn_dense_running_var), G(bn_dense_y_inference), G(bn_dense_dx_inference));
}

// ---- gradient checks --------------------------------------------------------

void gradcheck(Shape s, Mode mode) {
  Rng rng(4);
  BatchNorm bn;
  bn.build(s, rng);
  // Random gamma and beta, so their gradients and the gamma factor in dx matter.
  Param& gamma = test::param(bn, "gamma");
  Param& beta = test::param(bn, "beta");
  for (size_t c = 0; c < gamma.value.size(); ++c) {
    gamma.value[c] = rng.uniform(0.5f, 1.5f);
    beta.value[c] = rng.uniform(-0.5f, 0.5f);
  }
  if (mode == Mode::kInference) run(bn, offset_data(s, rng), Mode::kTraining);  // running stats
  test::GradCheckOptions o;
  o.mode = mode;
  EXPECT_TRUE(test::brick_gradients_match(bn, test::uniform_tensor(s, rng, -2, 2), o))
      << s.str() << (mode == Mode::kTraining ? " training" : " inference");
}

TEST(BatchNormGradients, TrainingAfterConvAndAfterDense) {
  gradcheck({3, 2, 3, 3}, Mode::kTraining);
  gradcheck({5, 4, 1, 1}, Mode::kTraining);
}

TEST(BatchNormGradients, Inference) {
  gradcheck({2, 3, 2, 2}, Mode::kInference);
}

TEST(BatchNorm, ParamsBuffersAndErrors) {
  BatchNorm bn;
  Rng rng;
  EXPECT_TRUE(bn.params().empty());
  bn.build({2, 5, 3, 3}, rng);
  ASSERT_EQ(bn.params().size(), 2u);
  for (Param* p : bn.params()) {
    EXPECT_FALSE(p->decay) << p->name;
    EXPECT_EQ(p->value.shape(), (Shape{1, 5, 1, 1}));
  }
  EXPECT_FLOAT_EQ(test::param(bn, "gamma").value[4], 1.f);
  EXPECT_FLOAT_EQ(test::param(bn, "beta").value[4], 0.f);
  EXPECT_THAT(error_of([&] {
                bn.output_shape({2, 4, 3, 3});
              }),
              HasSubstr("batchnorm: built for 5 channels, got input (2, 4, 3, 3)"));
  EXPECT_THAT(error_of([] { BatchNorm({.momentum = 1.5f}); }), HasSubstr("batchnorm: momentum"));
  EXPECT_THAT(error_of([] { BatchNorm({.eps = 0.f}); }), HasSubstr("batchnorm: eps must be > 0"));
}

// One value per channel (batch of 1 after dense): output is beta, no NaN, and
// the running variance keeps its value (no unbiased estimate exists).
TEST(BatchNorm, SingleValuePerChannelStaysFinite) {
  BatchNorm bn;
  Rng rng;
  bn.build({1, 3, 1, 1}, rng);
  const Tensor x = golden::values({1, 3, 1, 1}, {1.f, -2.f, 7.f});
  const Tensor y = run(bn, x, Mode::kTraining);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(y[i], 0.f);
  EXPECT_EQ((*bn.buffers()[1].value)[2], 1.f);
  EXPECT_NEAR((*bn.buffers()[0].value)[2], 0.7f, 1e-6);
}

}  // namespace
}  // namespace cnn
