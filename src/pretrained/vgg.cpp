#include "pretrained/vgg.h"

#include <memory>

#include "bricks/activations.h"
#include "bricks/conv2d.h"
#include "bricks/pool.h"
#include "core/error.h"
#include "data/safetensors.h"

namespace cnn {

namespace {

std::string dims(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

int depth_of(const Model& model) {
  const nlohmann::json& d = model.metadata.value("vgg_depth", nlohmann::json());
  if (!d.is_number_integer())
    throw Error("load_vgg_weights: the model was not made by build_vgg()");
  return d.get<int>();
}

void load_param(Param& p, const SafetensorsFile& file, const std::string& path,
                const std::string& tensor, const std::string& layer, int depth) {
  const NamedTensor* t = file.find(tensor);
  if (!t)
    throw FileError(path, "no tensor '" + tensor + "' (" + layer + " of VGG" +
                              std::to_string(depth) +
                              "); expected torchvision/timm names features.{i}.weight/bias");
  const Shape s = p.value.shape();
  // Weights are [out, in, 3, 3]; biases are [out] (stored here as (1, out, 1, 1)).
  const std::vector<int64_t> want =
      p.name == "bias" ? std::vector<int64_t>{s.c} : std::vector<int64_t>{s.n, s.c, s.h, s.w};
  if (t->shape != want)
    throw FileError(path, "tensor '" + tensor + "' (" + layer + " of VGG" + std::to_string(depth) +
                              ") has shape " + dims(t->shape) + ", expected " + dims(want));
  std::copy(t->values.begin(), t->values.end(), p.value.data());
}

}  // namespace

std::vector<VggLayer> vgg_layers(int depth) {
  if (depth != 16 && depth != 19)
    throw Error("VGG depth must be 16 or 19, got " + std::to_string(depth));
  const int convs[5] = {2, 2, depth == 19 ? 4 : 3, depth == 19 ? 4 : 3, depth == 19 ? 4 : 3};
  const int channels[5] = {64, 128, 256, 512, 512};
  std::vector<VggLayer> layers;
  int index = 0;
  for (int b = 0; b < 5; ++b) {
    for (int k = 1; k <= convs[b]; ++k) {
      const std::string id = std::to_string(b + 1) + "_" + std::to_string(k);
      layers.push_back({"conv" + id, "conv", index++, channels[b]});
      layers.push_back({"relu" + id, "relu", index++, channels[b]});
    }
    layers.push_back({"pool" + std::to_string(b + 1), "pool", index++, channels[b]});
  }
  return layers;
}

Model build_vgg(const VggOptions& o) {
  const std::vector<VggLayer> layers = vgg_layers(o.depth);
  bool known = false;
  for (const VggLayer& l : layers) known = known || l.name == o.last_layer;
  if (!known)
    throw Error("VGG" + std::to_string(o.depth) + " has no layer \"" + o.last_layer + "\"");

  Model m({1, 3, o.height, o.width});
  for (const VggLayer& l : layers) {
    std::unique_ptr<Brick> brick;
    if (l.kind == "conv")
      brick = std::make_unique<Conv2D>(Conv2DOptions{.filters = l.channels, .kernel = 3, .pad = 1});
    else if (l.kind == "relu")
      brick = std::make_unique<ReLU>();
    else if (o.average_pooling)
      brick = std::make_unique<AvgPool2D>(PoolOptions{.size = 2});
    else
      brick = std::make_unique<MaxPool2D>(PoolOptions{.size = 2});
    brick->name = l.name;
    m.add(std::move(brick));
    if (l.name == o.last_layer) break;
  }
  m.metadata["vgg_depth"] = o.depth;
  return m;
}

void load_vgg_weights(Model& model, const std::string& path) {
  const int depth = depth_of(model);
  if (!model.built()) model.build();
  const SafetensorsFile file = read_safetensors(path);
  for (const VggLayer& l : vgg_layers(depth)) {
    if (l.kind != "conv") continue;
    const int node = model.find(l.name);
    if (node < 0) break;  // the model stops before this layer
    const std::string prefix = "features." + std::to_string(l.features_index) + ".";
    for (Param* p : model.brick(node).params())
      load_param(*p, file, path, prefix + p->name, l.name, depth);
  }
}

int vgg_node(const Model& model, const std::string& layer) {
  const int node = model.find(layer);
  if (node >= 0) return node;
  std::string names;
  for (int i = 0; i < model.num_nodes(); ++i) names += (i ? ", " : "") + model.brick(i).name;
  throw Error("the model has no layer \"" + layer + "\"; it has " + names);
}

}  // namespace cnn
