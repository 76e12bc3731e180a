// Every SIMD table against the scalar reference: GEMM at sizes below, at,
// above and at multiples of each table's register tile and cache blocks,
// convolutions over odd shapes, strides, paddings and channel counts. Outputs
// that are written start as NaN, so a kernel that forgets an element fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "kernels/kernel_test_util.h"
#include "kernels/kernels.h"

namespace cnn::kernels {
namespace {

using test::abs_of;
using test::close_to_scale;
using test::nan_vector;
using test::random_vector;

const KernelTable& ref() {
  return scalar_kernels();
}

std::vector<const KernelTable*> simd_tables() {
  std::vector<const KernelTable*> tables = available_kernels();
  tables.erase(tables.begin());  // the scalar one is the reference
  return tables;
}

// Float sums of n terms drift by up to ~n * 2^-24 of the terms' size; the
// SIMD kernels add in a different order (and fuse multiply-adds).
float tolerance(int terms) {
  return 4e-7f * (8 + terms);
}

struct GemmCase {
  bool ta, tb;
  int m, n, k;
  bool accumulate;
  int pad;  // extra leading-dimension elements
};
std::ostream& operator<<(std::ostream& os, const GemmCase& g) {
  return os << "gemm ta=" << g.ta << " tb=" << g.tb << " m=" << g.m << " n=" << g.n << " k=" << g.k
            << " acc=" << g.accumulate << " ld+" << g.pad;
}

// Runs one case on `table` and on the scalar table and compares all of C,
// including the columns between n and ldc that must stay untouched.
void check_gemm(const KernelTable& table, const GemmCase& g, Rng& rng) {
  SCOPED_TRACE(testing::Message() << table.name << " " << g);
  const int a_rows = g.ta ? g.k : g.m, a_cols = g.ta ? g.m : g.k;
  const int b_rows = g.tb ? g.n : g.k, b_cols = g.tb ? g.k : g.n;
  const int lda = a_cols + g.pad, ldb = b_cols + g.pad, ldc = g.n + g.pad;
  const auto a = random_vector(size_t(a_rows) * lda, rng);
  const auto b = random_vector(size_t(b_rows) * ldb, rng);
  const auto c0 =
      g.accumulate ? random_vector(size_t(g.m) * ldc, rng) : nan_vector(size_t(g.m) * ldc);
  std::vector<float> want = c0, got = c0, scale = abs_of(c0);
  ref().gemm(g.ta, g.tb, g.m, g.n, g.k, a.data(), lda, b.data(), ldb, want.data(), ldc,
             g.accumulate);
  ref().gemm(g.ta, g.tb, g.m, g.n, g.k, abs_of(a).data(), lda, abs_of(b).data(), ldb, scale.data(),
             ldc, g.accumulate);
  table.gemm(g.ta, g.tb, g.m, g.n, g.k, a.data(), lda, b.data(), ldb, got.data(), ldc,
             g.accumulate);
  // Columns n..ldc keep their old contents (NaN stays NaN: compare bits).
  for (int i = 0; i < g.m; ++i)
    for (int j = g.n; j < ldc; ++j) {
      const size_t at = size_t(i) * ldc + j;
      ASSERT_EQ(std::memcmp(&got[at], &c0[at], sizeof(float)), 0) << "wrote outside C at " << at;
      got[at] = want[at] = scale[at] = 0.f;
    }
  EXPECT_TRUE(close_to_scale(got, want, scale, tolerance(g.k)));
}

// Sizes around an edge: below, at, above, and multiples.
std::vector<int> around(std::initializer_list<int> edges) {
  std::set<int> sizes = {1};
  for (int e : edges)
    for (int v : {e - 1, e, e + 1, 2 * e, 3 * e + 1})
      if (v > 0) sizes.insert(v);
  return {sizes.begin(), sizes.end()};
}

TEST(Variants, ListedAndDistinct) {
  const auto tables = available_kernels();
  std::set<std::string> names;
  for (const KernelTable* t : tables) EXPECT_TRUE(names.insert(t->name).second) << t->name;
#ifdef __EMSCRIPTEN__
  EXPECT_TRUE(names.count("wasm_simd128"));
#endif
  if (tables.size() == 1) GTEST_SKIP() << "no SIMD table on this machine";
}

TEST(Variants, GemmAtRegisterTileEdges) {
  Rng rng(1234);
  for (const KernelTable* t : simd_tables())
    for (int m : around({t->gemm_mr}))
      for (int n : around({t->gemm_nr}))
        for (int k : {1, 2, 7, 16, 33})
          for (int trans = 0; trans < 4; ++trans)
            check_gemm(*t, {bool(trans & 1), bool(trans & 2), m, n, k, trans == 3, 0}, rng);
}

TEST(Variants, GemmAtCacheBlockEdges) {
  Rng rng(99);
  for (const KernelTable* t : simd_tables()) {
    const int mr = t->gemm_mr, nr = t->gemm_nr, kc = t->gemm_kc, mc = t->gemm_mc, nc = t->gemm_nc;
    const GemmCase cases[] = {
        {false, false, mr + 1, nr + 3, kc - 1, false, 0},
        {false, false, mr, nr, kc, true, 0},
        {false, false, mr + 1, 2 * nr + 1, kc + 1, false, 3},
        {true, false, 2 * mr - 1, nr + 1, 2 * kc + 3, true, 1},
        {false, true, mc - 1, nr + 5, 40, false, 0},
        {false, false, mc + 1, nr - 1, 33, true, 2},
        {true, true, 2 * mc + mr + 1, 2 * nr + 1, kc + 17, false, 0},
        {false, false, mr + 2, nc - 1, 9, false, 0},
        {false, true, 3, nc + 1, kc + 1, true, 1},
        {true, false, mr - 1, 2 * nc + nr + 3, 20, false, 0},
        {false, false, 0, 5, 5, false, 0},
        {false, false, 5, 5, 0, false, 0},
    };
    for (const GemmCase& g : cases) {
      if (g.m == 0 || g.k == 0) {  // nothing to multiply: C = 0 (m == 0: untouched)
        std::vector<float> c = nan_vector(25), w = c;
        t->gemm(false, false, g.m, g.n, g.k, nullptr, g.k, nullptr, g.n, c.data(), 5, false);
        ref().gemm(false, false, g.m, g.n, g.k, nullptr, g.k, nullptr, g.n, w.data(), 5, false);
        for (size_t i = 0; i < c.size(); ++i)
          EXPECT_EQ(std::isnan(c[i]), std::isnan(w[i])) << t->name << " " << g << " at " << i;
        continue;
      }
      check_gemm(*t, g, rng);
    }
  }
}

struct ConvCase {
  int n, c, h, w, k, kh, kw, stride, pad;
  ConvShape shape() const {
    ConvShape s;
    s.n = n, s.c = c, s.h = h, s.w = w, s.k = k, s.kh = kh, s.kw = kw, s.stride = stride,
    s.pad = pad;
    return s;
  }
};
std::ostream& operator<<(std::ostream& os, const ConvCase& g) {
  return os << "conv n" << g.n << " c" << g.c << " " << g.h << "x" << g.w << " k" << g.k
            << " kernel " << g.kh << "x" << g.kw << " stride " << g.stride << " pad " << g.pad;
}

// Forward, backward input and backward weights (+bias) of one geometry on
// `table` against the scalar table.
void check_conv(const KernelTable& table, const ConvCase& g, Rng& rng) {
  SCOPED_TRACE(testing::Message() << table.name << " " << g);
  const ConvShape s = g.shape();
  ASSERT_GT(s.oh(), 0);
  ASSERT_GT(s.ow(), 0);
  const size_t x_size = size_t(s.n) * s.c * s.h * s.w, w_size = size_t(s.k) * s.c * s.kh * s.kw;
  const size_t y_size = size_t(s.n) * s.k * s.oh() * s.ow();
  const int taps = s.c * s.kh * s.kw;
  const auto x = random_vector(x_size, rng), w = random_vector(w_size, rng);
  const auto bias = random_vector(s.k, rng), dy = random_vector(y_size, rng);
  Workspace ws_ref, ws;

  std::vector<float> want = nan_vector(y_size), got = want, scale = want;
  ref().conv2d_forward(s, x.data(), w.data(), bias.data(), want.data(), ws_ref);
  ref().conv2d_forward(s, abs_of(x).data(), abs_of(w).data(), abs_of(bias).data(), scale.data(),
                       ws_ref);
  table.conv2d_forward(s, x.data(), w.data(), bias.data(), got.data(), ws);
  EXPECT_TRUE(close_to_scale(got, want, scale, tolerance(taps))) << "forward";
  got = nan_vector(y_size);  // again without bias, with the now warm workspace
  table.conv2d_forward(s, x.data(), w.data(), nullptr, got.data(), ws);
  ref().conv2d_forward(s, x.data(), w.data(), nullptr, want.data(), ws_ref);
  EXPECT_TRUE(close_to_scale(got, want, scale, tolerance(taps))) << "forward, no bias";

  want = nan_vector(x_size), got = want, scale = want;
  ref().conv2d_backward_input(s, dy.data(), w.data(), want.data(), ws_ref);
  ref().conv2d_backward_input(s, abs_of(dy).data(), abs_of(w).data(), scale.data(), ws_ref);
  table.conv2d_backward_input(s, dy.data(), w.data(), got.data(), ws);
  EXPECT_TRUE(close_to_scale(got, want, scale, tolerance(s.k * s.kh * s.kw))) << "backward input";

  // Weight and bias gradients accumulate onto what is there.
  const auto dw0 = random_vector(w_size, rng), db0 = random_vector(s.k, rng);
  std::vector<float> dw_want = dw0, dw_got = dw0, dw_scale = abs_of(dw0);
  std::vector<float> db_want = db0, db_got = db0, db_scale = abs_of(db0);
  ref().conv2d_backward_weights(s, x.data(), dy.data(), dw_want.data(), db_want.data(), ws_ref);
  ref().conv2d_backward_weights(s, abs_of(x).data(), abs_of(dy).data(), dw_scale.data(),
                                db_scale.data(), ws_ref);
  table.conv2d_backward_weights(s, x.data(), dy.data(), dw_got.data(), db_got.data(), ws);
  const int terms = s.n * s.oh() * s.ow();
  EXPECT_TRUE(close_to_scale(dw_got, dw_want, dw_scale, tolerance(terms))) << "backward weights";
  EXPECT_TRUE(close_to_scale(db_got, db_want, db_scale, tolerance(terms))) << "backward bias";
  dw_got = dw0;  // without a bias gradient
  table.conv2d_backward_weights(s, x.data(), dy.data(), dw_got.data(), nullptr, ws);
  EXPECT_TRUE(close_to_scale(dw_got, dw_want, dw_scale, tolerance(terms))) << "weights, no bias";
}

TEST(Variants, ConvStridesPaddingsAndOddShapes) {
  Rng rng(42);
  for (const KernelTable* t : simd_tables())
    for (int c : {1, 3})
      for (int stride : {1, 2})
        for (int pad = 0; pad <= 2; ++pad)
          for (int kernel : {1, 3, 5}) {
            const int k = std::max(1, t->gemm_mr + (pad - 1));  // mr-1, mr, mr+1
            check_conv(*t, {2, c, 9, 11, k, kernel, kernel, stride, pad}, rng);
          }
}

TEST(Variants, ConvAcrossTileAndBlockEdges) {
  Rng rng(7);
  for (const KernelTable* t : simd_tables()) {
    const int mr = t->gemm_mr, nr = t->gemm_nr, kc = t->gemm_kc;
    const ConvCase cases[] = {
        {1, 3, 5, 6, 2 * mr + 1, 3, 3, 1, 1},       // tiny planes: fewer positions than nr
        {2, 4, 7, 7, 3 * mr, 2, 3, 1, 0},           // non-square kernel
        {1, 4, 6, 5, mr, 3, 2, 1, 1},               // non-square kernel, padded
        {1, kc / 9 + 1, 6, 7, mr + 1, 3, 3, 1, 1},  // taps just above kc
        {1, 2 * kc / 9 + 3, 4, 5, 5, 3, 3, 2, 1},   // taps above 2 kc, stride 2
        {1, 2 * nr + 3, 5, 4, mr - 1, 1, 1, 1, 0},  // pointwise, channels over 2 nr
        {1, nr + 1, 6, 6, 2 * mr, 1, 1, 2, 0},      // pointwise, stride 2
        {1, 3, 2, 40, 3, 1, 1, 1, 1},               // pointwise with padding
        {1, 2, 35, 34, mr + 1, 3, 3, 1, 1},         // positions above 1024
        {3, 3, 23, 29, nr + 1, 5, 5, 2, 2},         // batch, stride 2, more outputs than nr
        {1, 5, 3, 3, 4, 3, 3, 1, 2},                // padding = kernel - 1
        {1, 2, 8, 8, 3, 4, 4, 2, 1},                // even kernel, stride 2
        {2, 2 * nr, 5, 6, mr + 1, 3, 3, 1, 1},      // channels a multiple of nr
        {1, nr, 7, 6, 3, 3, 3, 2, 2},               // ... with stride 2
        // stride 1 with many outputs and taps: packed panels, not in-place tiles
        {2, 8192 / (9 * nr) + 1, 5, 6, 3 * mr, 3, 3, 1, 1},
        {1, 57, 5, 6, 3 * mr, 3, 3, 1, 1},  // 513 taps: weights by GEMM, not dot products
        {1, 1, 28, 28, 8, 5, 5, 1, 2},      // the first layer of mnist-small (C = 1)
        {3, 8, 14, 14, 16, 5, 5, 1, 2},     // its second layer
        // 3x3 stride 1 with 16+ channels: Winograd F(2x2, 3x3) (conv_winograd.h)
        {2, 16, 9, 11, 16, 3, 3, 1, 1},       // odd output rows and columns
        {1, 17, 8, 8, 2 * mr + 1, 3, 3, 1, 0},  // no padding, outputs not a multiple of mr
        {1, 16, 6, 7, 3 * mr, 3, 3, 1, 2},    // padding 2
        {1, kc + 5, 5, 6, 17, 3, 3, 1, 1},    // channels above kc: two depth blocks
        {3, 16, 40, 37, 20, 3, 3, 1, 1},      // many blocks of tile rows, across samples
        {2, 24, 4, 2 * nr + 3, 16, 3, 3, 1, 1},  // tile rows longer than a panel
        {2, 20, 6, 30, 2 * mr + 1, 3, 3, 1, 1},  // F(2x2), 15 tiles a row: 16-lane transforms
        // 256+ tiles of 4x4 outputs: F(4x4, 3x3)
        {8, 16, 23, 22, 17, 3, 3, 1, 1},         // last tile row and column partly outside
        {2, kc + 5, 40, 66, 16, 3, 3, 1, 0},     // two depth blocks, no padding
        {1, 16, 60, 61, 2 * mr + 3, 3, 3, 1, 2},  // padding 2, last vector group partial
        // 5x5 stride 1 with 16+ channels: F(2x2, 5x5)
        {2, 16, 16, 16, 20, 5, 5, 1, 2},        // CIFAR-10 net's second layer
        {3, 20, 8, 8, 20, 5, 5, 1, 2},          // ... its third
        {1, 17, 11, 13, 2 * mr + 1, 5, 5, 1, 0},  // no padding, odd sizes
        {1, kc + 3, 7, 9, 16, 5, 5, 1, 4},      // two depth blocks, padding = kernel - 1
    };
    for (const ConvCase& g : cases) check_conv(*t, g, rng);
  }
}

// ReLU forward and backward at lengths around the vector width, with NaN,
// zeros and both signs in x; outputs start as NaN, and the element past the
// end must stay untouched.
TEST(Variants, ReluMatchesScalar) {
  Rng rng(11);
  for (const KernelTable* t : simd_tables())
    for (int n : around({4, 8, 16})) {
      SCOPED_TRACE(testing::Message() << t->name << " n=" << n);
      auto x = random_vector(n, rng), dy = random_vector(n, rng);
      x[0] = 0.f;
      if (n > 2) x[n / 2] = std::numeric_limits<float>::quiet_NaN();
      std::vector<float> want = nan_vector(n + 1), got = want;
      ref().relu_forward(n, x.data(), want.data());
      t->relu_forward(n, x.data(), got.data());
      EXPECT_TRUE(std::isnan(got[n])) << "wrote past the end";
      got.pop_back(), want.pop_back();
      EXPECT_EQ(got, want) << "forward";  // no arithmetic: exact
      want = nan_vector(n + 1), got = want;
      ref().relu_backward(n, x.data(), dy.data(), want.data());
      t->relu_backward(n, x.data(), dy.data(), got.data());
      EXPECT_TRUE(std::isnan(got[n])) << "wrote past the end";
      got.pop_back(), want.pop_back();
      EXPECT_EQ(got, want) << "backward";
      std::vector<float> in_place = x;  // y may alias x
      t->relu_forward(n, in_place.data(), in_place.data());
      ref().relu_forward(n, x.data(), want.data());
      EXPECT_EQ(in_place, want) << "in place";
    }
}

// Max pooling against the scalar table: 2x2 stride 2 (the fast path) on odd
// and even planes, other windows (fallback), ties from coarsely rounded
// inputs. No arithmetic on the way, so the results must be equal.
TEST(Variants, MaxPoolMatchesScalar) {
  Rng rng(12);
  struct Case {
    int n, c, h, w, size, stride;
  };
  const Case cases[] = {{2, 3, 8, 8, 2, 2},
                        {1, 2, 7, 9, 2, 2},
                        {3, 1, 28, 28, 2, 2},
                        {1, 2, 2, 2, 2, 2},
                        {1, 2, 9, 7, 3, 2},
                        {2, 1, 6, 5, 2, 1},
                        // rows of 1, 2 and 4 vectors of 16 outputs plus tails
                        {2, 1, 4, 32, 2, 2},
                        {1, 2, 5, 67, 2, 2},
                        {1, 1, 3, 129, 2, 2},
                        // tails that rerun the last full vector of windows
                        // (7 outputs under 4 lanes, 19 under 8 and 16)
                        {2, 3, 14, 14, 2, 2},
                        {1, 1, 4, 39, 2, 2}};
  for (const KernelTable* t : simd_tables())
    for (const Case& c : cases) {
      SCOPED_TRACE(testing::Message() << t->name << " n" << c.n << " c" << c.c << " " << c.h << "x"
                                      << c.w << " size " << c.size << " stride " << c.stride);
      PoolShape s;
      s.n = c.n, s.c = c.c, s.h = c.h, s.w = c.w, s.size = c.size, s.stride = c.stride;
      const size_t x_size = size_t(s.n) * s.c * s.h * s.w;
      const size_t y_size = size_t(s.n) * s.c * s.oh() * s.ow();
      auto x = random_vector(x_size, rng);
      for (float& v : x) v = std::round(v * 2.f);  // -2..2: many ties
      const auto dy = random_vector(y_size, rng);
      std::vector<float> y_want = nan_vector(y_size), y_got = y_want;
      std::vector<int32_t> a_want(y_size, -1), a_got(y_size, -1);
      ref().maxpool2d_forward(s, x.data(), y_want.data(), a_want.data());
      t->maxpool2d_forward(s, x.data(), y_got.data(), a_got.data());
      EXPECT_EQ(y_got, y_want);
      EXPECT_EQ(a_got, a_want);
      std::vector<float> dx_want = nan_vector(x_size), dx_got = dx_want;
      ref().maxpool2d_backward(s, dy.data(), a_want.data(), dx_want.data());
      t->maxpool2d_backward(s, dy.data(), a_want.data(), dx_got.data());
      EXPECT_EQ(dx_got, dx_want);
    }
}

#ifndef __EMSCRIPTEN__
// Bit-identical results at 1 and 2 threads, for wide planes (split by
// columns), small ones (split by samples) and one small image (split by
// output channels).
void check_thread_independence(const ConvShape& shape) {
  SCOPED_TRACE(testing::Message() << "n" << shape.n << " c" << shape.c << " " << shape.h << "x"
                                  << shape.w);
  Rng rng(5);
  ConvShape s1 = shape, s2 = shape;
  s2.stride = 2;
  const size_t x_size = size_t(s1.n) * s1.c * s1.h * s1.w;
  const size_t w_size = size_t(s1.k) * s1.c * s1.kh * s1.kw;
  const size_t y1_size = size_t(s1.n) * s1.k * s1.oh() * s1.ow();
  const size_t y2_size = size_t(s2.n) * s2.k * s2.oh() * s2.ow();
  const auto x = random_vector(x_size, rng), w = random_vector(w_size, rng);
  const auto dy1 = random_vector(y1_size, rng), dy2 = random_vector(y2_size, rng);
  const auto a = random_vector(300 * 150, rng), b = random_vector(200 * 150, rng);
  for (const KernelTable* t : simd_tables()) {
    std::vector<float> results[2];
    for (int threads : {1, 2}) {
      set_threads(threads);
      Workspace ws;
      std::vector<float>& r = results[threads - 1];
      r.assign(y1_size + y2_size + 2 * x_size + w_size + 300 * 200, 0.f);
      float* out = r.data();
      t->conv2d_forward(s1, x.data(), w.data(), nullptr, out, ws);
      t->conv2d_forward(s2, x.data(), w.data(), nullptr, out += y1_size, ws);
      t->conv2d_backward_input(s1, dy1.data(), w.data(), out += y2_size, ws);
      t->conv2d_backward_input(s2, dy2.data(), w.data(), out += x_size, ws);
      t->conv2d_backward_weights(s1, x.data(), dy1.data(), out += x_size, nullptr, ws);
      t->gemm(false, true, 300, 200, 150, a.data(), 150, b.data(), 150, out += w_size, 200, false);
    }
    set_threads(1);
    EXPECT_EQ(results[0], results[1]) << t->name;
  }
}

// ReLU and 2x2 max pooling split large inputs over the threads.
TEST(Variants, ElementwiseAndPoolingDoNotDependOnThreadCount) {
  Rng rng(6);
  PoolShape s;
  s.n = 8, s.c = 16, s.h = 24, s.w = 30;  // above the threshold for splitting
  const size_t size = size_t(s.n) * s.c * s.h * s.w, pooled = size_t(s.n) * s.c * 12 * 15;
  const auto x = random_vector(size, rng), dy = random_vector(size, rng);
  for (const KernelTable* t : simd_tables()) {
    std::vector<float> results[2];
    std::vector<int32_t> argmax[2];
    for (int threads : {1, 2}) {
      set_threads(threads);
      std::vector<float>& r = results[threads - 1];
      r.assign(3 * size + pooled, 0.f);
      argmax[threads - 1].assign(pooled, -1);
      t->relu_forward(size, x.data(), r.data());
      t->relu_backward(size, x.data(), dy.data(), r.data() + size);
      t->maxpool2d_forward(s, x.data(), r.data() + 2 * size, argmax[threads - 1].data());
      t->maxpool2d_backward(s, dy.data(), argmax[threads - 1].data(), r.data() + 2 * size + pooled);
    }
    set_threads(1);
    EXPECT_EQ(results[0], results[1]) << t->name;
    EXPECT_EQ(argmax[0], argmax[1]) << t->name;
  }
}

TEST(Variants, ResultsDoNotDependOnThreadCount) {
  ConvShape wide, small, one, tiles4, five;
  wide.n = 2, wide.c = 16, wide.h = 20, wide.w = 22, wide.k = 24, wide.kh = wide.kw = 3;
  wide.pad = 1;
  small.n = 8, small.c = 32, small.h = 6, small.w = 6, small.k = 32, small.kh = small.kw = 3;
  small.pad = 1;
  // One small image is one block of Winograd tile rows: the threads split
  // its output channels (40: five register-tile panels of 8, split 2 + 3).
  one.n = 1, one.c = 48, one.h = 10, one.w = 10, one.k = 40, one.kh = one.kw = 3, one.pad = 1;
  // Enough 4x4 tiles for F(4x4, 3x3).
  tiles4.n = 2, tiles4.c = 16, tiles4.h = 48, tiles4.w = 46, tiles4.k = 24, tiles4.kh = 3;
  tiles4.kw = 3, tiles4.pad = 1;
  check_thread_independence(wide);
  check_thread_independence(small);
  check_thread_independence(one);
  check_thread_independence(tiles4);
  // 5x5: F(2x2, 5x5).
  five.n = 4, five.c = 16, five.h = 16, five.w = 16, five.k = 20, five.kh = 5, five.kw = 5;
  five.pad = 2;
  check_thread_independence(five);
}
#endif

}  // namespace
}  // namespace cnn::kernels
