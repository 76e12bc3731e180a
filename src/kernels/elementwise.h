// Element-wise kernels (ReLU forward and backward), generic over a table's
// vector vocabulary Vec; included only by the per-ISA table files.
//
// Vec provides: lanes, V, zero(), splat(f), load(p), store(p, v) (unaligned),
// load_first(p, n), store_first(p, v, n) (only the first n lanes touched),
// add, sub, madd(a, b, c) = a*b + c, sum(v) (lanes added in a fixed order),
// relu(v) = v > 0 ? v : 0, pass_if_positive(x, g) = x > 0 ? g : 0
// (NaN counts as not positive, as in the scalar loops); pool2x2.h adds masks.
#pragma once
#include <cstddef>

#include "kernels/threads.h"

namespace cnn::kernels {

template <class Vec>
struct Elementwise {
  static constexpr int L = Vec::lanes;

  // d[0, n) = s[0, n); inline, for the short rows (a few dozen floats) where
  // a call to memcpy costs more than the copy.
  static void copy(float* d, const float* s, int n) {
    int i = 0;
    for (; i + L <= n; i += L) Vec::store(d + i, Vec::load(s + i));
    if (i < n) Vec::store_first(d + i, Vec::load_first(s + i, n - i), n - i);
  }

  // Runs f(begin, end) over [0, n) in parts for the threads when n is large
  // enough to pay for waking them (element-wise: any split gives the same bits).
  template <class F>
  static void split(size_t n, const F& f) {
    const int parts = n < (size_t(1) << 16) ? 1 : threads();
    parallel_for(parts, [&](int part) {
      f(n / L * part / parts * L, part + 1 == parts ? n : n / L * (part + 1) / parts * L);
    });
  }

  // y = max(x, 0)
  static void relu_forward(size_t n, const float* x, float* y) {
    split(n, [=](size_t begin, size_t end) {
      size_t i = begin;
      for (; i + L <= end; i += L) Vec::store(y + i, Vec::relu(Vec::load(x + i)));
      for (; i < end; ++i) y[i] = x[i] > 0 ? x[i] : 0.f;
    });
  }
  // dx = x > 0 ? dy : 0
  static void relu_backward(size_t n, const float* x, const float* dy, float* dx) {
    split(n, [=](size_t begin, size_t end) {
      size_t i = begin;
      for (; i + L <= end; i += L)
        Vec::store(dx + i, Vec::pass_if_positive(Vec::load(x + i), Vec::load(dy + i)));
      for (; i < end; ++i) dx[i] = x[i] > 0 ? dy[i] : 0.f;
    });
  }
};

}  // namespace cnn::kernels
