// Helpers to read the PyTorch fixtures (bricks_golden.h, losses_golden.h) as
// tensors and compare tensors elementwise with a tolerance.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>

#include "core/tensor.h"

namespace cnn::golden {

// A fixture array and its {N, C, H, W} shape as a tensor.
template <size_t N>
Tensor tensor(const float (&data)[N], const int (&shape)[4]) {
  Tensor t({shape[0], shape[1], shape[2], shape[3]});
  EXPECT_EQ(t.size(), N) << "fixture shape does not match its data";
  for (size_t i = 0; i < N && i < t.size(); ++i) t[i] = data[i];
  return t;
}

// Same shape, and |a - e| <= atol + rtol * |e| everywhere; names the first
// few differing indices. Default tolerances: float sums of tens of terms in
// another order differ by a few ulps of the largest term (~1e-6 for O(1)).
inline ::testing::AssertionResult tensors_near(const Tensor& actual, const Tensor& expected,
                                               double rtol = 1e-5, double atol = 2e-6) {
  if (actual.shape() != expected.shape())
    return ::testing::AssertionFailure()
           << "shape " << actual.shape().str() << ", expected " << expected.shape().str();
  std::ostringstream msg;
  int bad = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i], e = expected[i];
    if (std::abs(a - e) <= atol + rtol * std::abs(e)) continue;
    if (bad++ < 6) msg << "\n  [" << i << "] " << a << ", expected " << e;
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << bad << " of " << actual.size() << " elements differ" << msg.str();
}

// A tensor of shape s holding the listed values (hand-computed cases).
inline Tensor values(Shape s, std::initializer_list<float> v) {
  Tensor t(s);
  EXPECT_EQ(v.size(), t.size()) << "value count does not match shape " << s.str();
  size_t i = 0;
  for (float f : v)
    if (i < t.size()) t[i++] = f;
  return t;
}

}  // namespace cnn::golden
