// The scalar reference kernels against hand-computed cases and against
// independent formulations (im2col + a naive product, adjoint identities).
#include <gtest/gtest.h>

#include <limits>

#include "kernels/kernel_test_util.h"
#include "kernels/kernels.h"

namespace cnn::kernels {
namespace {

using test::all_close;
using test::dot;
using test::nan_vector;
using test::random_vector;

const KernelTable& ref() {
  return scalar_kernels();
}

std::vector<float> transpose(const std::vector<float>& m, int rows, int cols) {
  std::vector<float> t(m.size());
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) t[size_t(c) * rows + r] = m[size_t(r) * cols + c];
  return t;
}

TEST(ScalarGemm, HandComputedAllTransposes) {
  // A (2x3) * B (3x2) = [[58, 64], [139, 154]]
  const std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12};
  const std::vector<float> at = transpose(a, 2, 3), bt = transpose(b, 3, 2);
  const std::vector<float> want = {58, 64, 139, 154};
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      SCOPED_TRACE(testing::Message() << "trans_a=" << ta << " trans_b=" << tb);
      std::vector<float> c = nan_vector(4);
      ref().gemm(ta, tb, 2, 2, 3, ta ? at.data() : a.data(), ta ? 2 : 3, tb ? bt.data() : b.data(),
                 tb ? 3 : 2, c.data(), 2, false);
      EXPECT_TRUE(all_close(c, want, 0, 0));
      ref().gemm(ta, tb, 2, 2, 3, ta ? at.data() : a.data(), ta ? 2 : 3, tb ? bt.data() : b.data(),
                 tb ? 3 : 2, c.data(), 2, true);
      EXPECT_TRUE(all_close(c, {116, 128, 278, 308}, 0, 0));
    }
}

TEST(ScalarGemm, LeadingDimensionsLeaveOtherColumnsAlone) {
  // A 2x2 inside a 2x3 buffer, C 2x2 inside a 2x4 buffer.
  const std::vector<float> a = {1, 2, -1, 3, 4, -1}, b = {5, 6, 7, 8};
  std::vector<float> c = {-9, -9, -9, -9, -9, -9, -9, -9};
  ref().gemm(false, false, 2, 2, 2, a.data(), 3, b.data(), 2, c.data(), 4, false);
  EXPECT_TRUE(all_close(c, {19, 22, -9, -9, 43, 50, -9, -9}, 0, 0));
}

TEST(ScalarConv, HandComputedForward) {
  // x = 1..9 (3x3), w = [[1,0],[0,-1]]: y(i,j) = x(i,j) - x(i+1,j+1) = -4.
  std::vector<float> x(9);
  for (int i = 0; i < 9; ++i) x[i] = float(i + 1);
  const std::vector<float> w = {1, 0, 0, -1}, bias = {0.5f};
  ConvShape s;
  s.h = s.w = 3;
  s.kh = s.kw = 2;
  Workspace ws;
  std::vector<float> y = nan_vector(4);
  ref().conv2d_forward(s, x.data(), w.data(), bias.data(), y.data(), ws);
  EXPECT_TRUE(all_close(y, {-3.5f, -3.5f, -3.5f, -3.5f}, 0, 0));

  // Stride 2, pad 1: windows start at -1 and 1, so padded taps drop out.
  s.stride = 2;
  s.pad = 1;
  ASSERT_EQ(s.oh(), 2);
  y = nan_vector(4);
  ref().conv2d_forward(s, x.data(), w.data(), nullptr, y.data(), ws);
  EXPECT_TRUE(all_close(y, {-1, -3, -7, 5 - 9}, 0, 0));
}

TEST(ScalarConv, HandComputedBackward) {
  // One 2x2 window: y = sum(w * x) + b, so dx = dy * w, dw = dy * x, db = dy.
  const std::vector<float> x = {1, -2, 3, 0.5f}, w = {1, 2, 3, 4}, dy = {2};
  ConvShape s;
  s.h = s.w = 2;
  s.kh = s.kw = 2;
  Workspace ws;
  std::vector<float> dx = nan_vector(4);
  ref().conv2d_backward_input(s, dy.data(), w.data(), dx.data(), ws);
  EXPECT_TRUE(all_close(dx, {2, 4, 6, 8}, 0, 0));
  std::vector<float> dw = {10, 10, 10, 10}, db = {1};
  ref().conv2d_backward_weights(s, x.data(), dy.data(), dw.data(), db.data(), ws);
  EXPECT_TRUE(all_close(dw, {12, 6, 16, 11}, 0, 0));  // accumulated onto 10
  EXPECT_TRUE(all_close(db, {3}, 0, 0));
}

// A convolution geometry to test, with a readable name for failures.
struct Geometry {
  int n, c, h, w, k, kh, kw, stride, pad;
  ConvShape shape() const {
    ConvShape s;
    s.n = n, s.c = c, s.h = h, s.w = w, s.k = k, s.kh = kh, s.kw = kw, s.stride = stride,
    s.pad = pad;
    return s;
  }
};
std::ostream& operator<<(std::ostream& os, const Geometry& g) {
  return os << "n" << g.n << " c" << g.c << " " << g.h << "x" << g.w << " k" << g.k << " kernel "
            << g.kh << "x" << g.kw << " stride " << g.stride << " pad " << g.pad;
}

const Geometry kGeometries[] = {
    {1, 1, 5, 5, 1, 3, 3, 1, 0}, {2, 3, 7, 6, 4, 3, 3, 1, 1}, {1, 3, 8, 9, 5, 3, 3, 2, 1},
    {2, 1, 6, 7, 3, 5, 5, 1, 2}, {1, 2, 9, 9, 2, 2, 3, 2, 0}, {3, 4, 4, 5, 6, 1, 1, 1, 0},
    {1, 3, 5, 5, 2, 1, 1, 2, 1}, {1, 2, 3, 3, 3, 4, 4, 1, 2},
};

// Forward written independently: lay the receptive fields out as columns
// (im2col, padding as zeros), then a naive (K x CKK) * (CKK x OH*OW) product.
std::vector<float> conv_by_im2col(const ConvShape& s, const std::vector<float>& x,
                                  const std::vector<float>& w, const std::vector<float>& b) {
  const int oh = s.oh(), ow = s.ow(), rows = s.c * s.kh * s.kw, cols = oh * ow;
  std::vector<float> y(size_t(s.n) * s.k * cols);
  std::vector<double> col(size_t(rows) * cols);
  for (int n = 0; n < s.n; ++n) {
    for (int c = 0; c < s.c; ++c)
      for (int ky = 0; ky < s.kh; ++ky)
        for (int kx = 0; kx < s.kw; ++kx)
          for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox) {
              const int iy = oy * s.stride + ky - s.pad, ix = ox * s.stride + kx - s.pad;
              const bool inside = iy >= 0 && iy < s.h && ix >= 0 && ix < s.w;
              col[size_t((c * s.kh + ky) * s.kw + kx) * cols + oy * ow + ox] =
                  inside ? x[((size_t(n) * s.c + c) * s.h + iy) * s.w + ix] : 0.0;
            }
    for (int k = 0; k < s.k; ++k)
      for (int j = 0; j < cols; ++j) {
        double sum = b[k];
        for (int r = 0; r < rows; ++r) sum += w[size_t(k) * rows + r] * col[size_t(r) * cols + j];
        y[(size_t(n) * s.k + k) * cols + j] = float(sum);
      }
  }
  return y;
}

TEST(ScalarConv, ForwardMatchesIm2colProduct) {
  Rng rng(7);
  for (const Geometry& g : kGeometries) {
    SCOPED_TRACE(testing::Message() << g);
    const ConvShape s = g.shape();
    const auto x = random_vector(size_t(s.n) * s.c * s.h * s.w, rng);
    const auto w = random_vector(size_t(s.k) * s.c * s.kh * s.kw, rng);
    const auto b = random_vector(s.k, rng);
    std::vector<float> y = nan_vector(size_t(s.n) * s.k * s.oh() * s.ow());
    Workspace ws;
    ref().conv2d_forward(s, x.data(), w.data(), b.data(), y.data(), ws);
    EXPECT_TRUE(all_close(y, conv_by_im2col(s, x, w, b), 1e-5f, 1e-5f));
  }
}

// Backward input is the adjoint of forward (without bias):
// <conv(x), dy> == <x, conv_backward_input(dy)>. Backward weights is the
// gradient of that same scalar with respect to w, which is linear in w:
// <dw, v> == <conv_v(x), dy> for any v.
TEST(ScalarConv, BackwardIsTheAdjointOfForward) {
  Rng rng(11);
  for (const Geometry& g : kGeometries) {
    SCOPED_TRACE(testing::Message() << g);
    const ConvShape s = g.shape();
    const size_t y_size = size_t(s.n) * s.k * s.oh() * s.ow();
    const auto x = random_vector(size_t(s.n) * s.c * s.h * s.w, rng);
    const auto w = random_vector(size_t(s.k) * s.c * s.kh * s.kw, rng);
    const auto v = random_vector(w.size(), rng);
    const auto dy = random_vector(y_size, rng);
    Workspace ws;
    std::vector<float> y(y_size), yv(y_size), dx = nan_vector(x.size());
    ref().conv2d_forward(s, x.data(), w.data(), nullptr, y.data(), ws);
    ref().conv2d_forward(s, x.data(), v.data(), nullptr, yv.data(), ws);
    ref().conv2d_backward_input(s, dy.data(), w.data(), dx.data(), ws);
    EXPECT_NEAR(dot(y, dy), dot(x, dx), 1e-4 * (1 + std::fabs(dot(y, dy))));

    std::vector<float> dw(w.size(), 0.f), db(s.k, 0.5f);
    ref().conv2d_backward_weights(s, x.data(), dy.data(), dw.data(), db.data(), ws);
    EXPECT_NEAR(dot(dw, v), dot(yv, dy), 1e-4 * (1 + std::fabs(dot(yv, dy))));
    for (int k = 0; k < s.k; ++k) {
      double sum = 0.5;
      for (int i = 0; i < s.oh() * s.ow() * s.n; ++i)
        sum +=
            dy[(size_t(i / (s.oh() * s.ow())) * s.k + k) * s.oh() * s.ow() + i % (s.oh() * s.ow())];
      EXPECT_NEAR(db[k], sum, 1e-4) << "dbias index " << k;
    }
  }
}

TEST(ScalarPool, HandComputedMax) {
  // 4x4 plane, 2x2 windows, stride 2; the top-left window has a tie (5, 5).
  const std::vector<float> x = {5,  1,  2, 3,  //
                                0,  5,  7, 1,  //
                                -1, -2, 4, 4,  //
                                -3, -4, 4, 9};
  PoolShape s;
  s.h = s.w = 4;
  std::vector<float> y = nan_vector(4);
  std::vector<int32_t> argmax(4, -1);
  ref().maxpool2d_forward(s, x.data(), y.data(), argmax.data());
  EXPECT_TRUE(all_close(y, {5, 7, -1, 9}, 0, 0));
  EXPECT_EQ(argmax, (std::vector<int32_t>{0, 6, 8, 15}));  // tie: first in row-major order

  std::vector<float> dx = nan_vector(16);
  ref().maxpool2d_backward(s, std::vector<float>{1, 2, 3, 4}.data(), argmax.data(), dx.data());
  EXPECT_TRUE(all_close(dx, {1, 0, 0, 0, 0, 0, 2, 0, 3, 0, 0, 0, 0, 0, 0, 4}, 0, 0));
}

TEST(ScalarPool, OverlappingMaxWindowsAddGradients) {
  // 1x3 windows of size... use a 3x3 plane, size 2, stride 1: the centre 9 wins
  // all four windows and collects all four gradients.
  const std::vector<float> x = {1, 2, 3, 4, 9, 5, 6, 7, 8};
  PoolShape s;
  s.h = s.w = 3;
  s.stride = 1;
  std::vector<float> y = nan_vector(4), dx = nan_vector(9);
  std::vector<int32_t> argmax(4);
  ref().maxpool2d_forward(s, x.data(), y.data(), argmax.data());
  EXPECT_TRUE(all_close(y, {9, 9, 9, 9}, 0, 0));
  ref().maxpool2d_backward(s, std::vector<float>{1, 2, 3, 4}.data(), argmax.data(), dx.data());
  EXPECT_TRUE(all_close(dx, {0, 0, 0, 0, 10, 0, 0, 0, 0}, 0, 0));
}

TEST(ScalarPool, HandComputedAverage) {
  // Two channels of a 2x3 plane, 2x2 windows, stride 1.
  const std::vector<float> x = {1, 2, 3, 4, 5, 6, 0, 0, 4, 8, 8, 0};
  PoolShape s;
  s.c = 2;
  s.h = 2;
  s.w = 3;
  s.stride = 1;
  std::vector<float> y = nan_vector(4), dx = nan_vector(12);
  ref().avgpool2d_forward(s, x.data(), y.data());
  EXPECT_TRUE(all_close(y, {3, 4, 4, 3}, 0, 0));
  ref().avgpool2d_backward(s, std::vector<float>{4, 8, 4, 4}.data(), dx.data());
  EXPECT_TRUE(all_close(dx, {1, 3, 2, 1, 3, 2, 1, 2, 1, 1, 2, 1}, 0, 0));
}

TEST(ScalarPool, BackwardIsTheAdjointOfForward) {
  Rng rng(3);
  for (int size : {2, 3})
    for (int stride : {1, 2, 3}) {
      SCOPED_TRACE(testing::Message() << "size " << size << " stride " << stride);
      PoolShape s;
      s.n = 2, s.c = 3, s.h = 9, s.w = 8, s.size = size, s.stride = stride;
      const size_t y_size = size_t(s.n) * s.c * s.oh() * s.ow();
      const auto x = random_vector(size_t(s.n) * s.c * s.h * s.w, rng);
      const auto dy = random_vector(y_size, rng);
      std::vector<float> y = nan_vector(y_size), dx = nan_vector(x.size());
      ref().avgpool2d_forward(s, x.data(), y.data());
      ref().avgpool2d_backward(s, dy.data(), dx.data());
      EXPECT_NEAR(dot(y, dy), dot(x, dx), 1e-4);

      // Max pooling is linear once the argmax is fixed.
      std::vector<int32_t> argmax(y_size);
      ref().maxpool2d_forward(s, x.data(), y.data(), argmax.data());
      ref().maxpool2d_backward(s, dy.data(), argmax.data(), dx.data());
      EXPECT_NEAR(dot(y, dy), dot(x, dx), 1e-4);
      for (size_t i = 0; i < y_size; ++i) {
        const size_t plane = i / (s.oh() * s.ow());
        ASSERT_EQ(y[i], x[plane * s.h * s.w + argmax[i]]) << "at index " << i;
      }
    }
}

TEST(Dispatch, ScalarFirstAndSelectable) {
  const auto tables = available_kernels();
  ASSERT_FALSE(tables.empty());
  EXPECT_EQ(tables.front(), &scalar_kernels());
  EXPECT_FALSE(select_kernels("no-such-isa"));
  for (const KernelTable* t : tables) {
    EXPECT_TRUE(select_kernels(t->name));
    EXPECT_EQ(&active(), t);
  }
  EXPECT_TRUE(select_kernels(tables.back()->name));
}

TEST(ScalarRelu, HandComputed) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> x = {-2, -0.f, 0, 0.5f, 3, nan}, dy = {1, 2, 3, 4, 5, 6};
  std::vector<float> y = nan_vector(6), dx = nan_vector(6);
  ref().relu_forward(x.size(), x.data(), y.data());
  EXPECT_TRUE(all_close(y, {0, 0, 0, 0.5f, 3, 0}, 0, 0));
  ref().relu_backward(x.size(), x.data(), dy.data(), dx.data());
  EXPECT_TRUE(all_close(dx, {0, 0, 0, 4, 5, 0}, 0, 0));
}

}  // namespace
}  // namespace cnn::kernels
