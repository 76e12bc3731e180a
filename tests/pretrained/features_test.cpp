// The pieces of fine-tuning: a new head keeps the other weights, freezing by
// count or name (with errors naming the brick), per-parameter learning-rate
// factors in the optimiser, and pooled feature extraction.
#include "pretrained/features.h"

#include <gtest/gtest.h>

#include "bricks/all.h"
#include "optim/optimizer.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

Model small_net() {
  Model m({1, 1, 6, 6});
  m.add<Conv2D>({.filters = 2, .kernel = 3, .pad = 1});
  m.add<ReLU>();
  m.add<Dense>({.units = 4});
  m.build(3);
  return m;
}

TEST(Features, ReplaceHeadKeepsTheTrunkAndResizesTheHead) {
  Model pre = small_net();
  Model m = replace_head(pre, 7, 9);
  EXPECT_EQ(m.output_shape(m.num_nodes() - 1).c, 7);
  const Param* a = pre.brick(0).params()[0];
  const Param* b = m.brick(0).params()[0];
  for (size_t i = 0; i < a->value.size(); ++i) ASSERT_EQ(a->value[i], b->value[i]);
  Model no_dense({1, 1, 6, 6});
  no_dense.add<Conv2D>({.filters = 2, .kernel = 3});
  no_dense.build();
  EXPECT_ERROR_CONTAINS(replace_head(no_dense, 3, 1), "not a dense layer");
}

TEST(Features, FreezeByCountOrNameAndLearningRateFactors) {
  Model m = small_net();
  EXPECT_EQ(freeze_bricks(m, {"1"}), std::vector<std::string>{m.brick(0).name});
  EXPECT_FALSE(m.brick(0).trainable);
  EXPECT_ERROR_CONTAINS(freeze_bricks(m, {"nope"}), "nope", m.brick(2).name.c_str());
  EXPECT_ERROR_CONTAINS(freeze_bricks(m, {"3"}), "the model has 3");
  // Trainable: only the dense head (weight, bias), at factor 1.
  EXPECT_EQ(lr_multipliers(m, 0.1f), (std::vector<float>{1.f, 1.f}));
  Model all = small_net();
  EXPECT_EQ(lr_multipliers(all, 0.1f), (std::vector<float>{0.1f, 0.1f, 1.f, 1.f}));
}

TEST(Features, OptimizerAppliesPerParameterFactors) {
  Param a{"a", Tensor({1, 1, 1, 1}, 1.f), Tensor({1, 1, 1, 1}, 1.f)};
  Param b{"b", Tensor({1, 1, 1, 1}, 1.f), Tensor({1, 1, 1, 1}, 1.f)};
  Sgd sgd({.lr = 0.1f});
  sgd.lr_multipliers = {1.f, 0.5f};
  sgd.step({&a, &b});
  EXPECT_FLOAT_EQ(a.value[0], 0.9f);
  EXPECT_FLOAT_EQ(b.value[0], 0.95f);
  EXPECT_FLOAT_EQ(sgd.learning_rate, 0.1f);
  sgd.lr_multipliers = {1.f};
  EXPECT_ERROR_CONTAINS(sgd.step({&a, &b}), "1 learning-rate multipliers for 2 parameters");
}

TEST(Features, DeepestLayerFollowsTheNetworkOrder) {
  EXPECT_EQ(deepest_layer("resnet50", {"conv4_block2_out", "conv1_relu", "conv3_block4_out"}),
            "conv4_block2_out");
  EXPECT_EQ(deepest_layer("vgg19", {"relu1_1", "relu4_2", "relu3_1"}), "relu4_2");
  EXPECT_EQ(deepest_layer("vgg16", {"bogus"}), "pool5");  // all of it
}

}  // namespace
}  // namespace cnn
