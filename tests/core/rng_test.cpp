#include "core/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace cnn {

TEST(Rng, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(7), b(7), c(8);
  int differ = 0;
  for (int i = 0; i < 100; ++i) {
    uint32_t x = a.next_u32();
    EXPECT_EQ(x, b.next_u32());
    differ += x != c.next_u32();
  }
  EXPECT_GT(differ, 90);
}

TEST(Rng, UniformAndNormalHaveTheRightMoments) {
  Rng r(1);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0;
  for (int i = 0; i < n; ++i) {
    float u = r.uniform();
    ASSERT_GE(u, 0.f);
    ASSERT_LT(u, 1.f);
    su += u;
    double z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  EXPECT_NEAR(su / n, 0.5, 0.005);
  EXPECT_NEAR(sn / n, 0.0, 0.01);
  EXPECT_NEAR(sn2 / n, 1.0, 0.02);
}

TEST(Rng, ShuffleIsAPermutation) {
  Rng r(3);
  std::vector<int> v(1000);
  for (int i = 0; i < 1000; ++i) v[i] = i;
  r.shuffle(v);
  EXPECT_FALSE(std::is_sorted(v.begin(), v.end()));
  std::sort(v.begin(), v.end());
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(v[i], i);
}

}  // namespace cnn
