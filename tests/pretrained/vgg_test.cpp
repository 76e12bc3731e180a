// VGG: the layer names and torchvision indices, the built chain, and weight
// loading from generated safetensors files (a VGG cut after conv1_2, whose
// real-sized weights are small: 3*64*9 + 64*64*9 floats and two biases).
#include "pretrained/vgg.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "data/safetensors.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

std::vector<int> conv_indices(int depth) {
  std::vector<int> idx;
  for (const VggLayer& l : vgg_layers(depth))
    if (l.kind == "conv") idx.push_back(l.features_index);
  return idx;
}

TEST(Vgg, TorchvisionIndicesOfTheConvolutions) {
  // As listed for timm's vgg19.tv_in1k (and torchvision's vgg19 / vgg16).
  EXPECT_EQ(conv_indices(19),
            (std::vector<int>{0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34}));
  EXPECT_EQ(conv_indices(16), (std::vector<int>{0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28}));
  const std::vector<VggLayer> l = vgg_layers(19);
  ASSERT_EQ(l.size(), 37u);  // 16 conv + 16 relu + 5 pool
  EXPECT_EQ(l[0].name, "conv1_1");
  EXPECT_EQ(l[1].name, "relu1_1");
  EXPECT_EQ(l[4].name, "pool1");
  EXPECT_EQ(l[22].name, "relu4_2");
  EXPECT_EQ(l[22].features_index, 22);
  EXPECT_EQ(l.back().name, "pool5");
  EXPECT_THROW(vgg_layers(11), Error);
}

TEST(Vgg, BuildsTheChainUpToTheChosenLayer) {
  Model m = build_vgg({.depth = 19, .last_layer = "relu5_1", .height = 64, .width = 48});
  EXPECT_EQ(m.num_nodes(), 30);  // blocks 1-4 (5 + 5 + 9 + 9 layers), conv5_1, relu5_1
  EXPECT_EQ(m.brick(m.num_nodes() - 1).name, "relu5_1");
  EXPECT_EQ(m.output_shape(vgg_node(m, "relu1_1")), (Shape{1, 64, 64, 48}));
  EXPECT_EQ(m.output_shape(vgg_node(m, "pool1")), (Shape{1, 64, 32, 24}));
  EXPECT_EQ(m.output_shape(vgg_node(m, "relu4_2")), (Shape{1, 512, 8, 6}));
  EXPECT_EQ(m.output_shape(vgg_node(m, "relu5_1")), (Shape{1, 512, 4, 3}));
  EXPECT_EQ(std::string(m.brick(vgg_node(m, "pool2")).type()), "maxpool2d");
  // Parameters: each 3x3 convolution has in*out*9 weights and out biases.
  const int channels[] = {3, 64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512};
  size_t want = 0;
  for (int i = 0; i + 1 < 14; ++i)
    want += size_t(channels[i]) * channels[i + 1] * 9 + channels[i + 1];
  m.build(1);
  EXPECT_EQ(m.param_count(), want);

  Model avg = build_vgg({.depth = 16, .last_layer = "pool2", .average_pooling = true});
  EXPECT_EQ(std::string(avg.brick(vgg_node(avg, "pool2")).type()), "avgpool2d");
  EXPECT_EQ(avg.num_nodes(), 10);
  EXPECT_ERROR_CONTAINS(build_vgg({.depth = 16, .last_layer = "conv3_4"}), "conv3_4");
  EXPECT_ERROR_CONTAINS(vgg_node(avg, "relu5_1"), "relu5_1", "conv1_1, relu1_1");
}

// features.0 and features.2 of a real VGG, filled with distinct values.
SafetensorsFile first_block() {
  SafetensorsFile f;
  auto add = [&](const std::string& name, std::vector<int64_t> shape, float base) {
    NamedTensor t{name, shape, {}};
    size_t n = 1;
    for (int64_t d : shape) n *= size_t(d);
    for (size_t i = 0; i < n; ++i) t.values.push_back(base + float(i % 97) * 1e-3f - 0.05f);
    f.tensors.push_back(t);
  };
  add("features.0.weight", {64, 3, 3, 3}, 0.f);
  add("features.0.bias", {64}, 0.1f);
  add("features.2.weight", {64, 64, 3, 3}, 0.01f);
  add("features.2.bias", {64}, -0.1f);
  add("classifier.0.bias", {4}, 0.f);  // ignored
  return f;
}

TEST(Vgg, LoadsTorchvisionWeightsIntoTheConvolutions) {
  const std::string dir = cnn::testing::temp_dir();
  const SafetensorsFile file = first_block();
  write_safetensors(dir + "/vgg.safetensors", file);
  Model m = build_vgg({.depth = 19, .last_layer = "relu1_2", .height = 6, .width = 5});
  load_vgg_weights(m, dir + "/vgg.safetensors");
  const std::vector<Param*> p = m.params();
  ASSERT_EQ(p.size(), 4u);
  for (size_t k = 0; k < 4; ++k) {
    ASSERT_EQ(p[k]->value.size(), file.tensors[k].values.size()) << k;
    for (size_t i = 0; i < p[k]->value.size(); ++i)
      ASSERT_EQ(p[k]->value[i], file.tensors[k].values[i]) << file.tensors[k].name << " " << i;
  }
  // conv1_1 at pixel (2, 3), output channel 5, by hand from the file's
  // [out, in, kh, kw] weights: the layout must match the brick's.
  Tensor x({1, 3, 6, 5});
  for (size_t i = 0; i < x.size(); ++i) x[i] = float(i % 11) / 11.f - 0.4f;
  m.forward(x);
  const std::vector<float>& w = file.tensors[0].values;
  double y = file.tensors[1].values[5];
  for (int c = 0; c < 3; ++c)
    for (int dy = 0; dy < 3; ++dy)
      for (int dx = 0; dx < 3; ++dx)
        y += double(w[((5 * 3 + c) * 3 + dy) * 3 + dx]) * x.at(0, c, 2 + dy - 1, 3 + dx - 1);
  EXPECT_NEAR(m.node_output(vgg_node(m, "conv1_1")).at(0, 5, 2, 3), y, 1e-5);
}

TEST(Vgg, MissingOrMisshapedTensorsNameFileTensorAndLayer) {
  const std::string dir = cnn::testing::temp_dir();
  const std::string path = dir + "/vgg.safetensors";
  SafetensorsFile f = first_block();
  f.tensors.erase(f.tensors.begin() + 3);  // features.2.bias
  write_safetensors(path, f);
  Model m = build_vgg({.last_layer = "conv1_2", .height = 8, .width = 8});
  EXPECT_ERROR_CONTAINS(load_vgg_weights(m, path), "vgg.safetensors", "'features.2.bias'",
                        "conv1_2");
  f = first_block();
  f.tensors[0].shape = {64, 3, 9, 1};  // same size, wrong shape
  write_safetensors(path, f);
  EXPECT_ERROR_CONTAINS(load_vgg_weights(m, path), "vgg.safetensors", "'features.0.weight'",
                        "conv1_1", "[64,3,9,1]", "expected [64,3,3,3]");
  // A model cut before conv1_2 does not need features.2.
  f = first_block();
  f.tensors.resize(2);
  write_safetensors(path, f);
  Model short_model = build_vgg({.last_layer = "relu1_1", .height = 8, .width = 8});
  EXPECT_NO_THROW(load_vgg_weights(short_model, path));
  EXPECT_ERROR_CONTAINS(load_vgg_weights(m, dir + "/none.safetensors"), "none.safetensors");
  Model plain({1, 3, 8, 8});
  EXPECT_ERROR_CONTAINS(load_vgg_weights(plain, path), "build_vgg");
}

// timm also publishes half-precision files. BF16 is the top half of a float,
// so values with few mantissa bits (k / 8 here) are exact and easy to write.
TEST(Vgg, LoadsBf16Weights) {
  const std::string dir = cnn::testing::temp_dir();
  const std::string path = dir + "/vgg_bf16.safetensors";
  std::vector<uint8_t> data;
  auto put = [&](float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    data.push_back(uint8_t(bits >> 16));
    data.push_back(uint8_t(bits >> 24));
  };
  auto value = [](size_t i) { return float(int(i % 16) - 8) / 8.f; };
  for (size_t i = 0; i < 64 * 3 * 9; ++i) put(value(i));
  for (size_t i = 0; i < 64; ++i) put(value(i + 5));
  const size_t w_bytes = 64 * 3 * 9 * 2;
  nlohmann::json header = {
      {"features.0.weight",
       {{"dtype", "BF16"}, {"shape", {64, 3, 3, 3}}, {"data_offsets", {0, w_bytes}}}},
      {"features.0.bias",
       {{"dtype", "BF16"}, {"shape", {64}}, {"data_offsets", {w_bytes, w_bytes + 128}}}}};
  const std::string text = header.dump();
  std::ofstream f(path, std::ios::binary);
  for (int i = 0; i < 8; ++i) f.put(char(uint64_t(text.size()) >> (8 * i)));
  f << text;
  f.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
  f.close();

  Model m = build_vgg({.last_layer = "relu1_1", .height = 4, .width = 4});
  load_vgg_weights(m, path);
  const std::vector<Param*> p = m.params();
  ASSERT_EQ(p.size(), 2u);
  for (size_t i = 0; i < p[0]->value.size(); ++i) ASSERT_EQ(p[0]->value[i], value(i)) << i;
  for (size_t i = 0; i < 64; ++i) ASSERT_EQ(p[1]->value[i], value(i + 5)) << i;
}

}  // namespace
}  // namespace cnn
