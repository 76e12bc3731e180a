// Conv2D: a hand-computed case, PyTorch golden values (forward and all
// gradients), gradient checks, shape errors and the frozen-brick contract.
#include "bricks/conv2d.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bricks/brick_test_util.h"
#include "golden/bricks_golden.h"
#include "golden/golden.h"
#include "support/gradcheck.h"

namespace cnn {
namespace {

using golden::tensors_near;
using golden::values;
using test::backprop;
using test::error_of;
using test::run;
using ::testing::HasSubstr;

// x = 1..9 as 3x3, weight [[1,2],[3,4]], bias 0.5.
//   valid, stride 1: y[i][j] = x[i][j] + 2 x[i][j+1] + 3 x[i+1][j] + 4 x[i+1][j+1] + 0.5
//   pad 1, stride 2: windows at padded (0,0),(0,2),(2,0),(2,2) see
//     4*1 = 4;  3*2 + 4*3 = 18;  2*4 + 4*7 = 36;  5 + 2*6 + 3*8 + 4*9 = 77
TEST(Conv2D, HandComputed) {
  Rng rng;
  const Tensor x = values({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Conv2D valid({.filters = 1, .kernel = 2});
  valid.build(x.shape(), rng);
  test::set_param(valid, "weight", values({1, 1, 2, 2}, {1, 2, 3, 4}));
  test::set_param(valid, "bias", values({1, 1, 1, 1}, {0.5f}));
  EXPECT_TRUE(tensors_near(run(valid, x), values({1, 1, 2, 2}, {37.5f, 47.5f, 67.5f, 77.5f})));

  Conv2D padded({.filters = 1, .kernel = 2, .stride = 2, .pad = 1});
  padded.build(x.shape(), rng);
  test::set_param(padded, "weight", values({1, 1, 2, 2}, {1, 2, 3, 4}));
  test::set_param(padded, "bias", values({1, 1, 1, 1}, {0.5f}));
  Tensor y = run(padded, x);
  EXPECT_TRUE(tensors_near(y, values({1, 1, 2, 2}, {4.5f, 18.5f, 36.5f, 77.5f})));
  // dy = 1 at the last window only: dx is the kernel over x[1..2][1..2],
  // dweight those four inputs, dbias 1.
  Tensor dx = backprop(padded, x, y, values({1, 1, 2, 2}, {0, 0, 0, 1}));
  EXPECT_TRUE(tensors_near(dx, values({1, 1, 3, 3}, {0, 0, 0, 0, 1, 2, 0, 3, 4})));
  EXPECT_TRUE(tensors_near(test::param(padded, "weight").grad, values({1, 1, 2, 2}, {5, 6, 8, 9})));
  EXPECT_FLOAT_EQ(test::param(padded, "bias").grad[0], 1.f);
}

// Loads a golden case into a fresh conv and checks forward and backward.
void check_golden(Conv2D& conv, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                  const Tensor& dy, const Tensor& dx, const Tensor& dw, const Tensor* db) {
  Rng rng;
  conv.build(x.shape(), rng);
  test::set_param(conv, "weight", w);
  if (b) test::set_param(conv, "bias", *b);
  Tensor out = run(conv, x);
  EXPECT_TRUE(tensors_near(out, y));
  EXPECT_TRUE(tensors_near(backprop(conv, x, out, dy), dx));
  EXPECT_TRUE(tensors_near(test::param(conv, "weight").grad, dw));
  if (db) {
    EXPECT_TRUE(tensors_near(test::param(conv, "bias").grad, *db));
  }
}

#define G(name) golden::tensor(golden::name, golden::name##_shape)

TEST(Conv2D, MatchesPyTorchStride2Pad1ThreeChannels) {
  const Tensor b = G(conv_s2_bias), db = G(conv_s2_dbias);
  // PyTorch's bias is (K); ours (1,K,1,1): same data.
  Tensor bias({1, 4, 1, 1}), dbias({1, 4, 1, 1});
  for (int k = 0; k < 4; ++k) bias[k] = b[k], dbias[k] = db[k];
  test::for_each_kernel_table([&] {
    Conv2D conv({.filters = 4, .kernel = 3, .stride = 2, .pad = 1});
    check_golden(conv, G(conv_s2_x), G(conv_s2_weight), &bias, G(conv_s2_y), G(conv_s2_dy),
                 G(conv_s2_dx), G(conv_s2_dweight), &dbias);
  });
}

TEST(Conv2D, MatchesPyTorchKernel5NoBiasOneChannel) {
  test::for_each_kernel_table([&] {
    Conv2D conv({.filters = 2, .kernel = 5, .bias = false});
    check_golden(conv, G(conv_k5_x), G(conv_k5_weight), nullptr, G(conv_k5_y), G(conv_k5_dy),
                 G(conv_k5_dx), G(conv_k5_dweight), nullptr);
    EXPECT_EQ(conv.params().size(), 1u);
  });
}

// ---- gradient checks --------------------------------------------------------

// Conv is linear in x and in the weights, so the central difference is exact
// up to rounding. The bias is set nonzero so a mix-up with it would show.
void gradcheck(Conv2D::Options o, Shape in) {
  test::for_each_kernel_table([&] {
    Rng rng(5);
    Conv2D conv(o);
    conv.build(in, rng);
    if (o.bias) {
      Param& b = test::param(conv, "bias");
      for (size_t i = 0; i < b.value.size(); ++i) b.value[i] = rng.uniform(-1.f, 1.f);
    }
    EXPECT_TRUE(test::brick_gradients_match(conv, test::uniform_tensor(in, rng, -1.f, 1.f)))
        << "filters " << o.filters << " kernel " << o.kernel << " stride " << o.stride << " pad "
        << o.pad << " input " << in.str();
  });
}

TEST(Conv2DGradients, Stride2Pad1OneAndThreeChannels) {
  gradcheck({.filters = 3, .kernel = 3, .stride = 2, .pad = 1}, {2, 1, 7, 6});
  gradcheck({.filters = 4, .kernel = 3, .stride = 2, .pad = 1}, {2, 3, 7, 6});
}

TEST(Conv2DGradients, OtherGeometries) {
  gradcheck({.filters = 2, .kernel = 1}, {2, 3, 4, 4});                           // 1x1
  gradcheck({.filters = 2, .kernel = 5, .pad = 2, .bias = false}, {1, 2, 5, 5});  // "same"
  gradcheck({.filters = 3, .kernel = 2, .stride = 3}, {3, 2, 8, 7});              // ragged stride
}

// 3x3 stride 1 with 16 channels in and out: the SIMD tables run forward and
// input gradient by Winograd F(2x2, 3x3) (kernels/conv_winograd.h).
TEST(Conv2DGradients, WinogradGeometry) {
  gradcheck({.filters = 16, .kernel = 3, .pad = 1}, {1, 16, 5, 6});
}

// ---- shapes and errors ------------------------------------------------------

TEST(Conv2D, OutputShape) {
  Conv2D conv({.filters = 16, .kernel = 5, .pad = 2});
  EXPECT_EQ(conv.output_shape({8, 1, 28, 28}), (Shape{8, 16, 28, 28}));
  Conv2D strided({.filters = 8, .kernel = 3, .stride = 2});
  EXPECT_EQ(strided.output_shape({1, 3, 32, 31}), (Shape{1, 8, 15, 15}));
}

TEST(Conv2D, ReadableErrors) {
  Conv2D conv({.filters = 4, .kernel = 5});
  EXPECT_THAT(error_of([&] {
                conv.output_shape({1, 1, 3, 3});
              }),
              HasSubstr("conv2d: kernel 5x5 larger than padded input 3x3"));
  EXPECT_THAT(error_of([&] {
                Conv2D({.filters = 4, .kernel = 5, .pad = 1}).output_shape({1, 1, 2, 9});
              }),
              HasSubstr("larger than padded input 4x11"));
  EXPECT_THAT(error_of([] { Conv2D({.filters = 0}); }), HasSubstr("conv2d: filters must be >= 1"));
  EXPECT_THAT(error_of([] { Conv2D({.filters = 1, .stride = 0}); }), HasSubstr("stride"));
  EXPECT_THAT(error_of([] { Conv2D({.filters = 1, .init = "xavier"}); }),
              HasSubstr("unknown initialiser 'xavier'"));
  Tensor x({1, 1, 6, 6}), y;
  Context ctx;
  EXPECT_THAT(error_of([&] { conv.forward(x, y, ctx); }), HasSubstr("before build"));
  Rng rng;
  conv.build({1, 3, 8, 8}, rng);
  EXPECT_THAT(error_of([&] {
                conv.output_shape({1, 1, 8, 8});
              }),
              HasSubstr("conv2d: built for 3 input channels, got input (1, 1, 8, 8)"));
}

TEST(Conv2D, FrozenStillPassesGradientButLeavesParamsAlone) {
  Rng rng(3);
  Conv2D conv({.filters = 2, .kernel = 3, .pad = 1});
  conv.build({1, 2, 4, 4}, rng);
  const Tensor x = test::uniform_tensor({1, 2, 4, 4}, rng, -1, 1);
  Tensor y = run(conv, x);
  const Tensor dy = test::uniform_tensor(y.shape(), rng, -1, 1);
  const Tensor dx_trainable = backprop(conv, x, y, dy);
  conv.trainable = false;
  test::param(conv, "weight").grad.zero();
  EXPECT_TRUE(tensors_near(backprop(conv, x, y, dy), dx_trainable, 0, 0));
  const Tensor& g = test::param(conv, "weight").grad;
  for (size_t i = 0; i < g.size(); ++i) ASSERT_EQ(g[i], 0.f);
}

}  // namespace
}  // namespace cnn
