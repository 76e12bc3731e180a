// The Keras-layers -> Model builder on small TF.js layers models written here
// (model.json + one shard): outputs against a hand computation, batch-norm
// folding, "same" padding, and every broken model's message (missing,
// mis-shaped or wrongly typed weight, truncated shard, unknown layer type).
#include "pretrained/keras_graph.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "core/error.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

using Json = nlohmann::json;

struct W {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> values;
};

// input (4x4x3) -> conv (1x1, 2 filters) -> bn -> relu -> global pool -> dense (2, softmax)
Json topology(const std::string& conv_class = "Conv2D") {
  return Json::parse(R"({"class_name": "Model", "config": {"layers": [
    {"name": "in", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 4, 3]},
     "inbound_nodes": []},
    {"name": "conv", "class_name": ")" +
                     conv_class + R"(", "config": {"filters": 2, "kernel_size": [1, 1],
     "strides": [1, 1], "padding": "valid", "activation": "linear", "use_bias": true},
     "inbound_nodes": [[["in", 0, 0, {}]]]},
    {"name": "bn", "class_name": "BatchNormalization", "config": {"axis": [3], "epsilon": 0.001},
     "inbound_nodes": [[["conv", 0, 0, {}]]]},
    {"name": "act", "class_name": "Activation", "config": {"activation": "relu"},
     "inbound_nodes": [[["bn", 0, 0, {}]]]},
    {"name": "pool", "class_name": "GlobalAveragePooling2D", "config": {},
     "inbound_nodes": [[["act", 0, 0, {}]]]},
    {"name": "fc", "class_name": "Dense", "config": {"units": 2, "activation": "softmax"},
     "inbound_nodes": [[["pool", 0, 0, {}]]]}],
    "input_layers": [["in", 0, 0]], "output_layers": [["fc", 0, 0]]}})");
}

std::vector<W> weights() {
  return {{"fc/kernel", {2, 2}, {1.f, -1.f, 0.5f, 2.f}},  // by name: order does not matter
          {"fc/bias", {2}, {0.1f, -0.2f}},
          {"conv/kernel", {1, 1, 3, 2}, {1.f, 0.5f, -2.f, 1.f, 0.25f, -1.f}},
          {"conv/bias", {2}, {0.1f, 0.2f}},
          {"bn/gamma", {2}, {2.f, 0.5f}},
          {"bn/beta", {2}, {0.3f, -0.1f}},
          {"bn/moving_mean", {2}, {0.2f, -0.4f}},
          {"bn/moving_variance", {2}, {4.f, 0.25f}}};
}

// Writes dir/model.json and dir/group1-shard1of1.bin; returns the model.json path.
std::string write_model(const std::string& dir, const Json& topo, const std::vector<W>& ws,
                        const std::string& dtype = "float32") {
  Json manifest = Json::array();
  std::ofstream shard(dir + "/group1-shard1of1.bin", std::ios::binary | std::ios::trunc);
  for (const W& w : ws) {
    manifest.push_back({{"name", w.name}, {"shape", w.shape}, {"dtype", dtype}});
    shard.write(reinterpret_cast<const char*>(w.values.data()),
                std::streamsize(w.values.size() * 4));
  }
  shard.close();
  Json root = {{"format", "layers-model"},
               {"modelTopology", {{"model_config", topo}}},
               {"weightsManifest", {{{"paths", {"group1-shard1of1.bin"}}, {"weights", manifest}}}}};
  std::ofstream(dir + "/model.json", std::ios::trunc) << root.dump();
  return dir + "/model.json";
}

// The model by hand, from the same numbers, for an NCHW input x.
std::vector<float> reference(const Tensor& x) {
  const auto w = weights();
  const std::vector<float>&k = w[2].values, &cb = w[3].values, &g = w[4].values, &be = w[5].values,
        &mu = w[6].values, &var = w[7].values;
  float pooled[2] = {0, 0};
  for (int o = 0; o < 2; ++o)
    for (int p = 0; p < 16; ++p) {
      float v = cb[o];
      for (int c = 0; c < 3; ++c) v += x[size_t(c) * 16 + p] * k[size_t(c) * 2 + o];
      v = g[o] * (v - mu[o]) / std::sqrt(var[o] + 1e-3f) + be[o];
      pooled[o] += std::max(v, 0.f) / 16.f;
    }
  const std::vector<float>&fk = w[0].values, &fb = w[1].values;
  float z[2];
  for (int o = 0; o < 2; ++o) z[o] = fb[o] + pooled[0] * fk[o] + pooled[1] * fk[2 + o];
  const float m = std::max(z[0], z[1]);
  const float e0 = std::exp(z[0] - m), e1 = std::exp(z[1] - m);
  return {e0 / (e0 + e1), e1 / (e0 + e1)};
}

TEST(KerasGraph, MatchesAHandComputationFoldedOrNot) {
  const std::string path = write_model(cnn::testing::temp_dir(), topology(), weights());
  Tensor x({1, 3, 4, 4});
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(float(i)) * 2.f;
  const std::vector<float> want = reference(x);
  for (bool fold : {true, false}) {
    SCOPED_TRACE(fold ? "folded" : "separate batch norm");
    Model m = load_keras_model(path, {.fold_batchnorm = fold});
    EXPECT_EQ(m.find("bn") >= 0, !fold);
    EXPECT_EQ(m.input_shape(), (Shape{1, 3, 4, 4}));
    const Tensor& y = *m.forward(x)[0];
    ASSERT_EQ(y.size(), 2u);
    for (int o = 0; o < 2; ++o) EXPECT_NEAR(y[o], want[o], 1e-5f);
  }
}

TEST(KerasGraph, StopsAtALayerAndRenamesNodes) {
  const std::string path = write_model(cnn::testing::temp_dir(), topology(), weights());
  Model m = load_keras_model(path, {.outputs = {"act"}, .rename = {{"act", "stem_out"}}});
  EXPECT_EQ(m.brick(m.outputs()[0]).name, "stem_out");
  EXPECT_EQ(m.find("fc"), -1);
  EXPECT_EQ(m.output_shape(m.outputs()[0]), (Shape{1, 2, 4, 4}));
  EXPECT_ERROR_CONTAINS(load_keras_model(path, {.outputs = {"nope"}}), "model.json",
                        "no layer named 'nope'");
}

TEST(KerasGraph, SamePaddingOfAStridedConvIsAsymmetricAsInTensorFlow) {
  Json topo = topology();
  auto& conv = topo["config"]["layers"][1]["config"];
  conv["kernel_size"] = {2, 2};
  conv["strides"] = {2, 2};
  conv["padding"] = "same";
  std::vector<W> ws = weights();
  ws[2] = {"conv/kernel", {2, 2, 3, 2}, std::vector<float>(24, 0.1f)};
  const std::string path = write_model(cnn::testing::temp_dir(), topo, ws);
  Model m = load_keras_model(path, {.outputs = {"conv"}, .height = 5, .width = 5});
  // TF: output ceil(5/2) = 3, total padding (3-1)*2+2-5 = 1, all of it bottom/right.
  const int pad = m.find("conv_pad");
  ASSERT_GE(pad, 0);
  EXPECT_EQ(m.brick(pad).config()["bottom"], 1);
  EXPECT_EQ(m.brick(pad).config()["top"], 0);
  EXPECT_EQ(m.output_shape(m.outputs()[0]), (Shape{1, 2, 3, 3}));
}

TEST(KerasGraphErrors, MissingWeightNamesFileTensorAndLayer) {
  std::vector<W> ws = weights();
  ws.erase(ws.begin() + 4);  // bn/gamma
  const std::string path = write_model(cnn::testing::temp_dir(), topology(), ws);
  for (bool fold : {true, false})
    EXPECT_ERROR_CONTAINS(load_keras_model(path, {.fold_batchnorm = fold}), "model.json",
                          "no weight 'bn/gamma'", "layer 'bn' (BatchNormalization)");
}

TEST(KerasGraphErrors, MisShapedWeightNamesBothShapes) {
  std::vector<W> ws = weights();
  ws[2] = {"conv/kernel", {1, 1, 2, 3}, {1, 2, 3, 4, 5, 6}};
  const std::string path = write_model(cnn::testing::temp_dir(), topology(), ws);
  EXPECT_ERROR_CONTAINS(load_keras_model(path), "model.json", "'conv/kernel' has shape [1,1,2,3]",
                        "layer 'conv' (Conv2D) needs [1,1,3,2]");
}

TEST(KerasGraphErrors, WrongDtypeNamesTheTensor) {
  const std::string path = write_model(cnn::testing::temp_dir(), topology(), weights(), "int32");
  EXPECT_ERROR_CONTAINS(load_keras_model(path), "model.json", "fc/kernel",
                        "dtype int32 is not supported");
}

TEST(KerasGraphErrors, TruncatedShardNamesShardAndTensor) {
  const std::string dir = cnn::testing::temp_dir();
  const std::string path = write_model(dir, topology(), weights());
  std::vector<W> ws = weights();
  ws.pop_back();  // the shard now lacks bn/moving_variance's bytes
  std::ofstream shard(dir + "/group1-shard1of1.bin", std::ios::binary | std::ios::trunc);
  for (const W& w : ws)
    shard.write(reinterpret_cast<const char*>(w.values.data()),
                std::streamsize(w.values.size() * 4));
  shard.close();
  EXPECT_ERROR_CONTAINS(load_keras_model(path), "group1-shard1of1.bin", "truncated",
                        "bn/moving_variance");
}

TEST(KerasGraphErrors, UnknownLayerTypeNamesLayerAndType) {
  const std::string path =
      write_model(cnn::testing::temp_dir(), topology("SeparableConv2D"), weights());
  EXPECT_ERROR_CONTAINS(load_keras_model(path), "model.json", "layer 'conv' (SeparableConv2D)",
                        "not supported");
  Json topo = topology();
  topo["config"]["layers"][3]["config"]["activation"] = "gelu";
  const std::string p2 = write_model(cnn::testing::temp_dir(), topo, weights());
  EXPECT_ERROR_CONTAINS(load_keras_model(p2), "model.json", "layer 'act'", "activation 'gelu'");
}

}  // namespace
}  // namespace cnn
