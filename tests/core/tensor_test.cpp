#include "core/tensor.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/error.h"

namespace cnn {

TEST(Tensor, IndexesNCHWRowMajor) {
  Tensor t({2, 3, 4, 5});
  EXPECT_EQ(t.size(), 120u);
  t.at(1, 2, 3, 4) = 7.f;
  EXPECT_EQ(t[119], 7.f);
  t.at(1, 0, 0, 0) = 3.f;
  EXPECT_EQ(t[60], 3.f);
  EXPECT_EQ(t.sample(1)[0], 3.f);
}

TEST(Tensor, ResizeKeepsCapacityAndReshapeChecksSize) {
  Tensor t({4, 8, 1, 1});
  const float* before = t.data();
  t.resize({2, 8, 1, 1});
  t.resize({4, 8, 1, 1});
  EXPECT_EQ(t.data(), before);  // no reallocation when shrinking and growing back
  t.reshape({4, 2, 2, 2});
  EXPECT_EQ(t.shape(), (Shape{4, 2, 2, 2}));
  EXPECT_THROW(t.reshape({4, 3, 1, 1}), Error);
}

TEST(Tensor, FirstNonFiniteFindsTheFirstNaNOrInfinity) {
  // Sizes around the 4096-value blocks it scans; every position kind: first,
  // last, either side of a block boundary; NaN, +inf, -inf; the largest
  // finite value and a negative zero are finite.
  for (int n : {1, 7, 4095, 4096, 4097, 10000}) {
    Tensor t({n, 1, 1, 1});
    t.fill(1.f);
    t[size_t(n) / 2] = std::numeric_limits<float>::max();
    t[size_t(n) - 1] = -0.f;
    EXPECT_EQ(first_non_finite(t), size_t(n)) << n;
    const float bad[] = {std::numeric_limits<float>::quiet_NaN(),
                         std::numeric_limits<float>::infinity(),
                         -std::numeric_limits<float>::infinity()};
    for (size_t at : {size_t(0), size_t(n) - 1, size_t(4095), size_t(4096)}) {
      if (at >= size_t(n)) continue;
      for (float value : bad) {
        Tensor u = t;
        u[at] = value;
        if (at + 1 < size_t(n)) u[size_t(n) - 1] = value;  // a later one is not the first
        EXPECT_EQ(first_non_finite(u), at) << n << " " << at << " " << value;
      }
    }
  }
  EXPECT_EQ(first_non_finite(Tensor()), 0u);
}

TEST(Shape, Prints) {
  EXPECT_EQ((Shape{64, 10, 1, 1}).str(), "(64, 10)");
  EXPECT_EQ((Shape{64, 16, 14, 14}).sample_str(), "16x14x14");
}

}  // namespace cnn
