// Dense: a hand-computed case, PyTorch golden values, gradient checks (4-D
// and vector inputs, with and without bias), shapes and errors.
#include "bricks/dense.h"

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

#define G(name) golden::tensor(golden::name, golden::name##_shape)

// W = [[1,2,3],[4,5,6]], b = [0.5,-1]; x rows [1,0,-1] and [2,1,0]:
//   y = [[1-3+0.5, 4-6-1], [2+2+0.5, 8+5-1]] = [[-1.5,-3],[4.5,12]]
TEST(Dense, HandComputed) {
  Rng rng;
  Dense dense({.units = 2});
  const Tensor x = values({2, 3, 1, 1}, {1, 0, -1, 2, 1, 0});
  dense.build(x.shape(), rng);
  test::set_param(dense, "weight", values({2, 3, 1, 1}, {1, 2, 3, 4, 5, 6}));
  test::set_param(dense, "bias", values({1, 2, 1, 1}, {0.5f, -1.f}));
  Tensor y = run(dense, x);
  EXPECT_TRUE(tensors_near(y, values({2, 2, 1, 1}, {-1.5f, -3.f, 4.5f, 12.f})));
  // dy = [[1,0],[0,1]]: dx rows are W's rows; dW rows are x's rows; db = [1,1].
  Tensor dx = backprop(dense, x, y, values({2, 2, 1, 1}, {1, 0, 0, 1}));
  EXPECT_TRUE(tensors_near(dx, values({2, 3, 1, 1}, {1, 2, 3, 4, 5, 6})));
  EXPECT_TRUE(
      tensors_near(test::param(dense, "weight").grad, values({2, 3, 1, 1}, {1, 0, -1, 2, 1, 0})));
  EXPECT_TRUE(tensors_near(test::param(dense, "bias").grad, values({1, 2, 1, 1}, {1, 1})));
}

TEST(Dense, MatchesPyTorchOnAFeatureMapInput) {
  test::for_each_kernel_table([] {
    Rng rng;
    Dense dense({.units = 5});
    const Tensor x = G(dense_x);  // (3, 3, 2, 2): read as 12 features per sample
    dense.build(x.shape(), rng);
    test::set_param(dense, "weight", G(dense_weight));
    test::set_param(dense, "bias", G(dense_bias));
    Tensor y = run(dense, x);
    EXPECT_TRUE(tensors_near(y, G(dense_y)));
    Tensor dx = backprop(dense, x, y, G(dense_dy));
    EXPECT_TRUE(tensors_near(dx, G(dense_dx)));
    Tensor dw = G(dense_dweight);
    dw.reshape({5, 12, 1, 1});
    EXPECT_TRUE(tensors_near(test::param(dense, "weight").grad, dw));
    Tensor db = G(dense_dbias);
    db.reshape({1, 5, 1, 1});
    EXPECT_TRUE(tensors_near(test::param(dense, "bias").grad, db));
  });
}

void gradcheck(Dense::Options o, Shape in) {
  test::for_each_kernel_table([&] {
    Rng rng(31);
    Dense dense(o);
    dense.build(in, rng);
    if (o.bias) {
      Param& b = test::param(dense, "bias");
      for (size_t i = 0; i < b.value.size(); ++i) b.value[i] = rng.uniform(-1.f, 1.f);
    }
    EXPECT_TRUE(test::brick_gradients_match(dense, test::uniform_tensor(in, rng, -1, 1)))
        << "units " << o.units << " input " << in.str();
  });
}

TEST(DenseGradients, VectorsAndFeatureMaps) {
  gradcheck({.units = 4}, {3, 6, 1, 1});
  gradcheck({.units = 3}, {2, 2, 3, 2});
  gradcheck({.units = 5, .bias = false}, {4, 7, 1, 1});
  gradcheck({.units = 1}, {1, 9, 1, 1});
}

TEST(Dense, ShapesAndErrors) {
  Dense dense({.units = 10});
  EXPECT_EQ(dense.output_shape({32, 16, 4, 4}), (Shape{32, 10, 1, 1}));
  Rng rng;
  dense.build({32, 16, 4, 4}, rng);
  EXPECT_EQ(test::param(dense, "weight").value.shape(), (Shape{10, 256, 1, 1}));
  EXPECT_FALSE(test::param(dense, "bias").decay);
  EXPECT_TRUE(test::param(dense, "weight").decay);
  EXPECT_EQ(dense.output_shape({7, 256, 1, 1}), (Shape{7, 10, 1, 1}));  // same features
  EXPECT_THAT(error_of([&] {
                dense.output_shape({7, 16, 5, 5});
              }),
              HasSubstr("dense: built for 256 input features, got input (7, 16, 5, 5) (400"));
  EXPECT_THAT(error_of([] { Dense({.units = 0}); }), HasSubstr("dense: units must be >= 1"));
  Dense unbuilt({.units = 3});
  Tensor x({1, 3, 1, 1}), y;
  Context ctx;
  EXPECT_THAT(error_of([&] { unbuilt.forward(x, y, ctx); }), HasSubstr("dense: forward() before"));
}

}  // namespace
}  // namespace cnn
