// Pools and Flatten: hand-computed cases, PyTorch golden values, gradient
// checks (max-pool inputs without near-ties), shape errors.
#include "bricks/pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bricks/brick_test_util.h"
#include "bricks/flatten.h"
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

#define G(name) golden::tensor(golden::name, golden::name##_shape)

// x = 1..16 as 4x4: the 2x2 windows' maxima are 6, 8, 14, 16 (bottom right
// of each window), their means 3.5, 5.5, 11.5, 13.5.
const Tensor k4x4 = values({1, 1, 4, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

TEST(MaxPool2D, HandComputedRoutesGradientToTheMax) {
  MaxPool2D pool;
  Tensor y = run(pool, k4x4);
  EXPECT_TRUE(tensors_near(y, values({1, 1, 2, 2}, {6, 8, 14, 16}), 0, 0));
  Tensor dx = backprop(pool, k4x4, y, values({1, 1, 2, 2}, {1, 2, 3, 4}));
  EXPECT_TRUE(tensors_near(
      dx, values({1, 1, 4, 4}, {0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4}), 0, 0));
}

TEST(MaxPool2D, TiesGoToTheFirstElement) {
  MaxPool2D pool;
  const Tensor x(Shape{1, 1, 2, 2}, 5.f);
  Tensor y = run(pool, x);
  Tensor dx = backprop(pool, x, y, values({1, 1, 1, 1}, {1}));
  EXPECT_TRUE(tensors_near(dx, values({1, 1, 2, 2}, {1, 0, 0, 0}), 0, 0));
}

TEST(AvgPool2D, HandComputed) {
  AvgPool2D pool;
  Tensor y = run(pool, k4x4);
  EXPECT_TRUE(tensors_near(y, values({1, 1, 2, 2}, {3.5f, 5.5f, 11.5f, 13.5f})));
  Tensor dx = backprop(pool, k4x4, y, values({1, 1, 2, 2}, {4, 8, 12, 16}));
  EXPECT_TRUE(tensors_near(
      dx, values({1, 1, 4, 4}, {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}), 0, 0));
}

TEST(Pools, MatchPyTorch) {
  struct Case {
    int size, stride;
    Tensor x, dy, max_y, max_dx, avg_y, avg_dx;
  };
  Case cases[] = {
      {2, 2, G(maxpool_2x2_x), G(maxpool_2x2_dy), G(maxpool_2x2_y), G(maxpool_2x2_dx),
       G(avgpool_2x2_y), G(avgpool_2x2_dx)},
      {3, 2, G(maxpool_3s2_x), G(maxpool_3s2_dy), G(maxpool_3s2_y), G(maxpool_3s2_dx),
       G(avgpool_3s2_y), G(avgpool_3s2_dx)},
  };
  test::for_each_kernel_table([&] {
    for (Case& c : cases) {
      SCOPED_TRACE("size " + std::to_string(c.size) + " stride " + std::to_string(c.stride));
      MaxPool2D max({.size = c.size, .stride = c.stride});
      Tensor y = run(max, c.x);
      EXPECT_TRUE(tensors_near(y, c.max_y, 0, 0));  // a max is exact
      EXPECT_TRUE(tensors_near(backprop(max, c.x, y, c.dy), c.max_dx));
      AvgPool2D avg({.size = c.size, .stride = c.stride});
      y = run(avg, c.x);
      EXPECT_TRUE(tensors_near(y, c.avg_y));
      EXPECT_TRUE(tensors_near(backprop(avg, c.x, y, c.dy), c.avg_dx));
    }
  });
}

TEST(GlobalAvgPool, HandComputed) {
  GlobalAvgPool pool;
  const Tensor x = values({2, 2, 2, 2}, {1, 2, 3, 4, -1, -1, -1, -5, 0, 0, 0, 8, 10, 20, 30, 40});
  Tensor y = run(pool, x);
  EXPECT_TRUE(tensors_near(y, values({2, 2, 1, 1}, {2.5f, -2.f, 2.f, 25.f})));
  Tensor dx = backprop(pool, x, y, values({2, 2, 1, 1}, {4, 8, -4, 0}));
  EXPECT_TRUE(tensors_near(
      dx, values({2, 2, 2, 2}, {1, 1, 1, 1, 2, 2, 2, 2, -1, -1, -1, -1, 0, 0, 0, 0}), 0, 0));
}

TEST(Flatten, KeepsSampleOrder) {
  Flatten flat;
  Tensor x = values({2, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  Tensor y = run(flat, x);
  EXPECT_TRUE(tensors_near(y, values({2, 4, 1, 1}, {1, 2, 3, 4, 5, 6, 7, 8}), 0, 0));
  EXPECT_TRUE(tensors_near(backprop(flat, x, y, y), x, 0, 0));
}

// ---- gradient checks --------------------------------------------------------

TEST(PoolGradients, MaxPoolWithoutTies) {
  test::for_each_kernel_table([] {
    Rng rng(21);
    // Values 0.05 apart, h = 1e-2: x +- h never changes which element is the max.
    MaxPool2D two;
    EXPECT_TRUE(test::brick_gradients_match(two, test::distinct_tensor({2, 3, 6, 5}, rng, 0.05f)));
    MaxPool2D overlapping({.size = 3, .stride = 2});
    EXPECT_TRUE(
        test::brick_gradients_match(overlapping, test::distinct_tensor({1, 2, 7, 8}, rng, 0.05f)));
  });
}

TEST(PoolGradients, AveragesAndFlatten) {
  test::for_each_kernel_table([] {
    Rng rng(22);
    const Tensor x = test::uniform_tensor({2, 3, 7, 6}, rng, -1, 1);
    AvgPool2D avg;
    EXPECT_TRUE(test::brick_gradients_match(avg, x));
    AvgPool2D overlapping({.size = 3, .stride = 1});
    EXPECT_TRUE(test::brick_gradients_match(overlapping, x));
    GlobalAvgPool global;
    EXPECT_TRUE(test::brick_gradients_match(global, x));
    Flatten flat;
    EXPECT_TRUE(test::brick_gradients_match(flat, x));
  });
}

// ---- shapes and errors ------------------------------------------------------

TEST(Pools, OutputShapes) {
  EXPECT_EQ(MaxPool2D().output_shape({4, 8, 28, 28}), (Shape{4, 8, 14, 14}));
  EXPECT_EQ(MaxPool2D().output_shape({4, 8, 7, 7}), (Shape{4, 8, 3, 3}));  // last row dropped
  EXPECT_EQ(AvgPool2D({.size = 3, .stride = 2}).output_shape({1, 2, 7, 8}), (Shape{1, 2, 3, 3}));
  EXPECT_EQ(MaxPool2D({.size = 3}).options().stride, 3);  // stride 0 means size
  EXPECT_EQ(GlobalAvgPool().output_shape({5, 32, 7, 9}), (Shape{5, 32, 1, 1}));
  EXPECT_EQ(Flatten().output_shape({5, 32, 7, 9}), (Shape{5, 32 * 7 * 9, 1, 1}));
}

TEST(Pools, ReadableErrors) {
  EXPECT_THAT(error_of([] {
                MaxPool2D({.size = 3}).output_shape({1, 1, 2, 2});
              }),
              HasSubstr("maxpool2d: window 3x3 larger than input 2x2"));
  EXPECT_THAT(error_of([] {
                AvgPool2D().output_shape({1, 1, 8, 1});
              }),
              HasSubstr("avgpool2d: window 2x2 larger than input 8x1"));
  EXPECT_THAT(error_of([] { MaxPool2D({.size = 0}); }), HasSubstr("maxpool2d: size must be >= 1"));
  EXPECT_THAT(error_of([] { AvgPool2D({.stride = -1}); }), HasSubstr("avgpool2d: stride"));
}

}  // namespace
}  // namespace cnn
