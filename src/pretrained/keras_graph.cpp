#include "pretrained/keras_graph.h"

#include <cmath>
#include <memory>
#include <set>

#include "bricks/activations.h"
#include "bricks/add.h"
#include "bricks/batch_norm.h"
#include "bricks/conv2d.h"
#include "bricks/dense.h"
#include "bricks/dropout.h"
#include "bricks/flatten.h"
#include "bricks/pool.h"
#include "bricks/softmax.h"
#include "bricks/zero_pad.h"
#include "core/error.h"

namespace cnn {

namespace {

using Json = nlohmann::json;

std::string dims(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

// The layer a weight belongs to: "res2a_branch2a/kernel" -> "res2a_branch2a".
std::string layer_of_weight(const std::string& name) {
  const size_t slash = name.find_last_of('/');
  return slash == std::string::npos ? name : name.substr(0, slash);
}

// What to load into a node once the model is built.
struct Pending {
  enum Kind { kConv, kDense, kBatchNorm } kind;
  const TfjsLayer* layer;
  int node;
  const TfjsLayer* folded_bn = nullptr;  // kConv: batch norm folded into it
  Shape flatten_from{};                  // kDense after Flatten of a feature map (NHWC order)
};

class Builder {
 public:
  Builder(const TfjsModel& m, const std::string& path, const KerasGraphOptions& o)
      : m_(m), path_(path), o_(o) {}

  Model build();

 private:
  FileError fail(const TfjsLayer& l, const std::string& problem) const {
    return FileError(path_, "layer '" + l.name + "' (" + l.class_name + "): " + problem);
  }
  // An int or a list of equal ints ("kernel_size": [3, 3]); `what` for messages.
  int square(const TfjsLayer& l, const char* key, int fallback) const;
  std::string str(const TfjsLayer& l, const char* key, const std::string& fallback) const;
  void check_channels_last(const TfjsLayer& l) const;
  std::string brick_name(const TfjsLayer& l) const {
    auto r = o_.rename.find(l.name);
    return r == o_.rename.end() ? l.name : r->second;
  }
  Shape shape_of(int node) const {
    return node == Model::kInput ? model_->input_shape() : model_->output_shape(node);
  }
  int add(std::unique_ptr<Brick> b, const std::string& name, std::vector<int> inputs) {
    b->name = name;
    return model_->add(std::move(b), std::move(inputs));
  }
  // Appends the node of a Keras activation name after `node`; returns the new output node.
  int activation(const TfjsLayer& l, const std::string& act, int node, const std::string& name);
  int input_node(const TfjsLayer& l, size_t i = 0) const;
  void add_layer(const TfjsLayer& l);
  void load(const Pending& p);
  const NamedTensor& need(const TfjsLayer& l, const std::string& suffix,
                          const std::vector<int64_t>& shape) const;

  const TfjsModel& m_;
  const std::string& path_;
  const KerasGraphOptions& o_;
  std::unique_ptr<Model> model_;
  std::map<std::string, int> node_of_;                         // layer -> node of its output
  std::map<std::string, std::vector<std::string>> consumers_;  // within the needed layers
  std::vector<Pending> pending_;
};

int Builder::square(const TfjsLayer& l, const char* key, int fallback) const {
  auto it = l.config.find(key);
  if (it == l.config.end() || it->is_null()) return fallback;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_array() && !it->empty() && (*it)[0].is_number_integer()) {
    for (const Json& v : *it)
      if (v != (*it)[0])
        throw fail(l, std::string("\"") + key + "\" " + it->dump() +
                          " is not supported (only equal values: square kernels, equal strides)");
    return (*it)[0].get<int>();
  }
  throw fail(l, std::string("\"") + key + "\" must be an integer or a list, got " + it->dump());
}

std::string Builder::str(const TfjsLayer& l, const char* key, const std::string& fallback) const {
  auto it = l.config.find(key);
  if (it == l.config.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw fail(l, std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

void Builder::check_channels_last(const TfjsLayer& l) const {
  if (str(l, "data_format", "channels_last") != "channels_last")
    throw fail(l, "data_format " + str(l, "data_format", "") + " is not supported (channels_last)");
}

int Builder::input_node(const TfjsLayer& l, size_t i) const {
  if (l.inbound.size() <= i) throw fail(l, "has no input");
  auto it = node_of_.find(l.inbound[i]);
  if (it == node_of_.end()) throw fail(l, "reads '" + l.inbound[i] + "', which was not built");
  return it->second;
}

int Builder::activation(const TfjsLayer& l, const std::string& act, int node,
                        const std::string& name) {
  if (act == "linear") return node;
  std::unique_ptr<Brick> b;
  if (act == "relu")
    b = std::make_unique<ReLU>();
  else if (act == "sigmoid")
    b = std::make_unique<Sigmoid>();
  else if (act == "tanh")
    b = std::make_unique<Tanh>();
  else if (act == "softmax")
    b = std::make_unique<Softmax>();
  else
    throw fail(l,
               "activation '" + act + "' is not supported (linear, relu, sigmoid, tanh, softmax)");
  return add(std::move(b), name, {node});
}

void Builder::add_layer(const TfjsLayer& l) {
  const std::string& c = l.class_name;
  if (c == "InputLayer") {
    node_of_[l.name] = Model::kInput;
    return;
  }
  if (c == "BatchNormalization" && node_of_.count(l.name)) return;  // folded into its conv
  if (c != "Add" && l.inbound.size() != 1)
    throw fail(l, "reads " + std::to_string(l.inbound.size()) + " inputs; expected one");
  const int in = input_node(l);
  const Shape in_shape = shape_of(in);
  int out = -1;
  if (c == "Conv2D") {
    check_channels_last(l);
    const int k = square(l, "kernel_size", 0), stride = square(l, "strides", 1);
    if (k < 1) throw fail(l, "no \"kernel_size\"");
    if (square(l, "dilation_rate", 1) != 1) throw fail(l, "dilated convolutions are not supported");
    if (square(l, "groups", 1) != 1) throw fail(l, "grouped convolutions are not supported");
    const std::string padding = str(l, "padding", "valid");
    const std::string act = str(l, "activation", "linear");
    // Fold a batch norm that is this convolution's only reader.
    const TfjsLayer* bn = nullptr;
    const auto& readers = consumers_[l.name];
    if (o_.fold_batchnorm && act == "linear" && readers.size() == 1 &&
        m_.layer(readers[0])->class_name == "BatchNormalization")
      bn = m_.layer(readers[0]);
    // "uniform": the cheapest initialiser; the weights are overwritten at once.
    Conv2DOptions co{.filters = square(l, "filters", 0), .kernel = k, .stride = stride, .pad = 0};
    co.init = "uniform";
    co.bias = bn || !l.config.contains("use_bias") || l.config["use_bias"] == true;
    int from = in;
    if (padding == "same") {
      // TensorFlow: output ceil(H / stride), the padding split with the odd one at the
      // bottom/right.
      auto split = [&](int size, int& lo, int& hi) {
        const int outs = (size + stride - 1) / stride;
        const int total = std::max((outs - 1) * stride + k - size, 0);
        lo = total / 2, hi = total - lo;
      };
      ZeroPad2DOptions p;
      split(in_shape.h, p.top, p.bottom);
      split(in_shape.w, p.left, p.right);
      if (p.top == p.bottom && p.left == p.right && p.top == p.left)
        co.pad = p.top;
      else
        from = add(std::make_unique<ZeroPad2D>(p), l.name + "_pad", {in});
    } else if (padding != "valid") {
      throw fail(l, "padding '" + padding + "' is not supported (valid, same)");
    }
    const int conv = add(std::make_unique<Conv2D>(co), l.name, {from});
    pending_.push_back({Pending::kConv, &l, conv, bn, {}});
    out = activation(l, act, conv, brick_name(l) == l.name ? l.name + "_" + act : brick_name(l));
    if (bn) node_of_[bn->name] = out;
  } else if (c == "BatchNormalization") {
    const Json& axis = l.config.value("axis", Json(-1));
    const Json a = axis.is_array() && axis.size() == 1 ? axis[0] : axis;
    if (!(a == -1 || a == 3)) throw fail(l, "axis " + axis.dump() + " is not the channel axis");
    BatchNormOptions bo;
    bo.eps = l.config.value("epsilon", 1e-3f);
    bo.momentum = l.config.value("momentum", 0.99f);
    out = add(std::make_unique<BatchNorm>(bo), brick_name(l), {in});
    pending_.push_back({Pending::kBatchNorm, &l, out});
  } else if (c == "Dense") {
    Shape flat{};
    if (in_shape.h * in_shape.w > 1) {
      if (in == Model::kInput || model_->brick(in).type() != std::string("flatten"))
        throw fail(l, "reads a feature map " + in_shape.sample_str() +
                          "; only flat inputs (after Flatten or global pooling) are supported");
      flat = shape_of(model_->node_input(in));
    }
    const std::string act = str(l, "activation", "linear");
    DenseOptions d{.units = square(l, "units", 0)};
    d.init = "uniform";
    d.bias = !l.config.contains("use_bias") || l.config["use_bias"] == true;
    const int dense = add(std::make_unique<Dense>(d), l.name, {in});
    pending_.push_back({Pending::kDense, &l, dense, nullptr, flat});
    out = activation(l, act, dense, brick_name(l) == l.name ? l.name + "_" + act : brick_name(l));
  } else if (c == "Activation") {
    out = activation(l, str(l, "activation", "linear"), in, brick_name(l));
  } else if (c == "Add") {
    std::vector<int> ins;
    for (size_t i = 0; i < l.inbound.size(); ++i) ins.push_back(input_node(l, i));
    if (ins.size() < 2) throw fail(l, "needs at least two inputs");
    out = add(std::make_unique<Add>(), brick_name(l), ins);
  } else if (c == "ZeroPadding2D") {
    check_channels_last(l);
    const Json& p = l.config.value("padding", Json(1));
    ZeroPad2DOptions z;
    if (p.is_number_integer()) {
      z.top = z.bottom = z.left = z.right = p.get<int>();
    } else if (p.is_array() && p.size() == 2 && p[0].is_number_integer()) {
      z.top = z.bottom = p[0].get<int>(), z.left = z.right = p[1].get<int>();
    } else if (p.is_array() && p.size() == 2 && p[0].is_array() && p[0].size() == 2 &&
               p[1].is_array() && p[1].size() == 2) {
      z = {p[0][0].get<int>(), p[0][1].get<int>(), p[1][0].get<int>(), p[1][1].get<int>()};
    } else {
      throw fail(l, "padding " + p.dump() + " is not understood");
    }
    out = add(std::make_unique<ZeroPad2D>(z), brick_name(l), {in});
  } else if (c == "MaxPooling2D" || c == "AveragePooling2D") {
    check_channels_last(l);
    if (str(l, "padding", "valid") != "valid")
      throw fail(l, "padding '" + str(l, "padding", "") + "' is not supported (valid)");
    PoolOptions po{.size = square(l, "pool_size", 2), .stride = 0};
    po.stride = square(l, "strides", po.size);
    std::unique_ptr<Brick> b;
    if (c == "MaxPooling2D")
      b = std::make_unique<MaxPool2D>(po);
    else
      b = std::make_unique<AvgPool2D>(po);
    out = add(std::move(b), brick_name(l), {in});
  } else if (c == "GlobalAveragePooling2D") {
    check_channels_last(l);
    out = add(std::make_unique<GlobalAvgPool>(), brick_name(l), {in});
  } else if (c == "Flatten") {
    out = add(std::make_unique<Flatten>(), brick_name(l), {in});
  } else if (c == "Dropout") {
    out = add(std::make_unique<Dropout>(DropoutOptions{.rate = l.config.value("rate", 0.5f)}),
              brick_name(l), {in});
  } else {
    throw fail(l, "layer type '" + c +
                      "' is not supported (InputLayer, Conv2D, Dense, BatchNormalization, "
                      "Activation, Add, ZeroPadding2D, MaxPooling2D, AveragePooling2D, "
                      "GlobalAveragePooling2D, Flatten, Dropout)");
  }
  node_of_[l.name] = out;
}

const NamedTensor& Builder::need(const TfjsLayer& l, const std::string& suffix,
                                 const std::vector<int64_t>& shape) const {
  const std::string name = l.name + "/" + suffix;
  const NamedTensor* t = m_.weight(name);
  if (!t)
    throw FileError(path_, "no weight '" + name + "' for layer '" + l.name + "' (" + l.class_name +
                               ") in the weightsManifest");
  if (t->shape != shape)
    throw FileError(path_, "weight '" + name + "' has shape " + dims(t->shape) + ", but layer '" +
                               l.name + "' (" + l.class_name + ") needs " + dims(shape));
  return *t;
}

Param& param(Model& m, int node, const std::string& name) {
  for (Param* p : m.brick(node).params())
    if (p->name == name) return *p;
  throw Error("internal: brick " + m.brick(node).name + " has no parameter " + name);
}

void Builder::load(const Pending& p) {
  Model& m = *model_;
  const TfjsLayer& l = *p.layer;
  if (p.kind == Pending::kConv) {
    auto& conv = static_cast<Conv2D&>(m.brick(p.node));
    const int k = conv.options().kernel, f = conv.options().filters;
    const int cin = shape_of(m.node_input(p.node)).c;
    Param& w = param(m, p.node, "weight");
    w.value = keras_conv_kernel(need(l, "kernel", {k, k, cin, f}));
    const bool keras_bias = !l.config.contains("use_bias") || l.config["use_bias"] == true;
    Tensor* b = conv.options().bias ? &param(m, p.node, "bias").value : nullptr;
    if (b) b->fill(0.f);
    if (keras_bias) {
      const NamedTensor& kb = need(l, "bias", {f});
      std::copy(kb.values.begin(), kb.values.end(), b->data());
    }
    if (p.folded_bn) {
      // y = gamma (conv(x) + b - mean) / sqrt(var + eps) + beta = conv'(x) + b'.
      const TfjsLayer& bn = *p.folded_bn;
      const float eps = bn.config.value("epsilon", 1e-3f);
      const bool scale = bn.config.value("scale", true), center = bn.config.value("center", true);
      const NamedTensor& mean = need(bn, "moving_mean", {f});
      const NamedTensor& var = need(bn, "moving_variance", {f});
      const NamedTensor* gamma = scale ? &need(bn, "gamma", {f}) : nullptr;
      const NamedTensor* beta = center ? &need(bn, "beta", {f}) : nullptr;
      const size_t per_filter = w.value.size() / size_t(f);
      for (int o = 0; o < f; ++o) {
        const float s = (gamma ? gamma->values[o] : 1.f) / std::sqrt(var.values[o] + eps);
        float* wo = w.value.data() + size_t(o) * per_filter;
        for (size_t i = 0; i < per_filter; ++i) wo[i] *= s;
        (*b)[o] = ((*b)[o] - mean.values[o]) * s + (beta ? beta->values[o] : 0.f);
      }
    }
  } else if (p.kind == Pending::kDense) {
    auto& dense = static_cast<Dense&>(m.brick(p.node));
    const int units = dense.options().units;
    const Shape in = shape_of(m.node_input(p.node));
    const int fan_in = in.c * in.h * in.w;
    const NamedTensor& kk = need(l, "kernel", {fan_in, units});
    Tensor& w = param(m, p.node, "weight").value;
    w = keras_dense_kernel(kk);
    if (p.flatten_from.c) {
      // Keras flattened (h, w, c); this engine flattens (c, h, w).
      const Shape s = p.flatten_from;
      for (int o = 0; o < units; ++o)
        for (int y = 0; y < s.h; ++y)
          for (int x = 0; x < s.w; ++x)
            for (int ch = 0; ch < s.c; ++ch)
              w[size_t(o) * fan_in + (size_t(ch) * s.h + y) * s.w + x] =
                  kk.values[((size_t(y) * s.w + x) * s.c + ch) * units + o];
    }
    if (dense.options().bias) {
      const NamedTensor& kb = need(l, "bias", {units});
      std::copy(kb.values.begin(), kb.values.end(), param(m, p.node, "bias").value.data());
    }
  } else {
    auto& bn = m.brick(p.node);
    const int c = shape_of(p.node).c;
    auto fill = [&](Tensor& t, const char* suffix, bool present, float fallback) {
      if (!present) return t.fill(fallback);
      const NamedTensor& v = need(l, suffix, {c});
      std::copy(v.values.begin(), v.values.end(), t.data());
    };
    fill(param(m, p.node, "gamma").value, "gamma", l.config.value("scale", true), 1.f);
    fill(param(m, p.node, "beta").value, "beta", l.config.value("center", true), 0.f);
    for (Buffer buf : bn.buffers())
      fill(*buf.value, buf.name == "running_mean" ? "moving_mean" : "moving_variance", true, 0.f);
  }
}

Model Builder::build() {
  const std::vector<std::string> outputs = o_.outputs.empty() ? m_.outputs : o_.outputs;
  const std::vector<std::string> needed = keras_layers_needed(m_, path_, outputs);
  const std::set<std::string> wanted(needed.begin(), needed.end());
  for (const std::string& name : needed)
    for (const std::string& in : m_.layer(name)->inbound) consumers_[in].push_back(name);
  // The input shape: (C, H, W) from the InputLayer's [null, H, W, C].
  const TfjsLayer* input = nullptr;
  for (const std::string& name : needed)
    if (m_.layer(name)->class_name == "InputLayer") {
      if (input) throw FileError(path_, "models with several inputs are not supported");
      input = m_.layer(name);
    }
  if (!input) throw FileError(path_, "no InputLayer feeds " + outputs.back());
  const Json& shape =
      input->config.value("batch_input_shape", input->config.value("batch_shape", Json()));
  if (!shape.is_array() || shape.size() != 4 || !shape[3].is_number_integer())
    throw fail(*input, "batch_input_shape " + shape.dump() + " is not [batch, H, W, C]");
  const int h = o_.height ? o_.height : shape[1].is_number_integer() ? shape[1].get<int>() : 0;
  const int w = o_.width ? o_.width : shape[2].is_number_integer() ? shape[2].get<int>() : 0;
  if (h < 1 || w < 1) throw fail(*input, "the input size is not fixed; give a height and width");
  model_ = std::make_unique<Model>(Shape{1, shape[3].get<int>(), h, w});
  for (const TfjsLayer& l : m_.layers) {
    if (!wanted.count(l.name)) continue;
    try {
      add_layer(l);
    } catch (const FileError&) {
      throw;
    } catch (const Error& e) {  // a shape that does not fit (from Model::add)
      throw fail(l, e.what());
    } catch (const Json::exception& e) {
      throw fail(l, std::string("unexpected config (") + e.what() + ")");
    }
  }
  std::vector<int> outs;
  for (const std::string& name : outputs) outs.push_back(node_of_.at(name));
  if (outs.back() == Model::kInput) throw FileError(path_, outputs.back() + " is the input");
  model_->set_outputs(outs);
  model_->build();
  for (const Pending& p : pending_) load(p);
  return std::move(*model_);
}

}  // namespace

std::vector<std::string> keras_layers_needed(const TfjsModel& m, const std::string& path,
                                             const std::vector<std::string>& outputs) {
  std::set<std::string> needed;
  std::vector<std::string> stack;
  for (const std::string& name : outputs) {
    if (!m.layer(name)) throw FileError(path, "no layer named '" + name + "'");
    stack.push_back(name);
  }
  while (!stack.empty()) {
    const std::string name = stack.back();
    stack.pop_back();
    if (!needed.insert(name).second) continue;
    for (const std::string& in : m.layer(name)->inbound) stack.push_back(in);
  }
  std::vector<std::string> ordered;  // in topology order
  for (const TfjsLayer& l : m.layers)
    if (needed.count(l.name)) ordered.push_back(l.name);
  return ordered;
}

Model build_keras_model(const TfjsModel& m, const std::string& path,
                        const KerasGraphOptions& options) {
  return Builder(m, path, options).build();
}

Model load_keras_model(const std::string& path, const KerasGraphOptions& options) {
  const TfjsModel topology = read_tfjs_layers(path, {.topology_only = true});
  const auto needed = keras_layers_needed(
      topology, path, options.outputs.empty() ? topology.outputs : options.outputs);
  const std::set<std::string> layers(needed.begin(), needed.end());
  const TfjsModel full = read_tfjs_layers(
      path, {.keep = [&](const std::string& w) { return layers.count(layer_of_weight(w)) > 0; }});
  return build_keras_model(full, path, options);
}

}  // namespace cnn
