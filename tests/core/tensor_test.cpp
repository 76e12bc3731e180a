#include "core/tensor.h"

#include <gtest/gtest.h>

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

TEST(Shape, Prints) {
  EXPECT_EQ((Shape{64, 10, 1, 1}).str(), "(64, 10)");
  EXPECT_EQ((Shape{64, 16, 14, 14}).sample_str(), "16x14x14");
}

}  // namespace cnn
