// The layer/weight fields of style transfer (command line and playground):
// parsed with clear messages; the defaults per backbone name real layers.
#include "style/layer_weights.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace cnn {
namespace {

TEST(LayerWeights, FieldsAndMessages) {
  auto l = parse_layer_weights(" conv1_relu, conv2_block3_out ", "", "style layers");
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[1].layer, "conv2_block3_out");
  EXPECT_FLOAT_EQ(l[0].weight, 0.5f);
  l = parse_layer_weights("a,b", "2, 0.25", "style layers");
  EXPECT_FLOAT_EQ(l[0].weight, 2.f);
  EXPECT_FLOAT_EQ(l[1].weight, 0.25f);
  EXPECT_ERROR_CONTAINS(parse_layer_weights("", "", "content layers"), "content layers",
                        "no layer");
  EXPECT_ERROR_CONTAINS(parse_layer_weights("a,b", "1", "style layers"), "style layers",
                        "1 weights for 2 layers");
  EXPECT_ERROR_CONTAINS(parse_layer_weights("a", "x", "style layers"), "\"x\"",
                        "not a weight >= 0");
  EXPECT_ERROR_CONTAINS(parse_layer_weights("a", "-1", "style layers"), "\"-1\"");
  EXPECT_ERROR_CONTAINS(parse_layer_weights("a", "1e9999", "style layers"), "1e9999");
}

TEST(LayerWeights, DefaultsPerBackbone) {
  const StyleDefaults vgg = style_defaults(StyleBackbone::kVgg);
  EXPECT_EQ(vgg.content_layers, "relu4_2");
  EXPECT_EQ(parse_layer_weights(vgg.style_layers, "", "s").size(), 5u);
  EXPECT_EQ(vgg.smoothing, 0.f);
  const StyleDefaults full = style_defaults(StyleBackbone::kResNet50);
  const StyleDefaults stage3 = style_defaults(StyleBackbone::kResNet50Stage3);
  EXPECT_EQ(full.content_layers, "conv4_block6_out");
  EXPECT_EQ(stage3.content_layers, "conv3_block4_out");
  // The embedded asset ends at stage 3: its defaults are the full net's minus stage 4.
  EXPECT_EQ(full.style_layers, stage3.style_layers + ",conv4_block6_out");
  EXPECT_GT(stage3.smoothing, 0.f);
  EXPECT_EQ(full.style_weight, stage3.style_weight);
}

}  // namespace
}  // namespace cnn
