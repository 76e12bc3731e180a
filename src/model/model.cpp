#include "model/model.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "model/metrics.h"

namespace cnn {

Model::Model(Shape sample_shape) : input_shape_(sample_shape.with_batch(1)) {
  if (sample_shape.c < 1 || sample_shape.h < 1 || sample_shape.w < 1)
    throw Error("model input shape " + sample_shape.sample_str() + " is empty");
}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

int Model::add(std::unique_ptr<Brick> brick, int input) {
  if (input == kPrevious) input = nodes_.empty() ? kInput : int(nodes_.size()) - 1;
  return add(std::move(brick), std::vector<int>{input});
}

int Model::add(std::unique_ptr<Brick> brick, std::vector<int> inputs) {
  auto* merge = dynamic_cast<MergeBrick*>(brick.get());
  for (int& input : inputs) {
    if (input == kPrevious) input = nodes_.empty() ? kInput : int(nodes_.size()) - 1;
    if (input < kInput || input >= int(nodes_.size()))
      throw Error("cannot add " + std::string(brick->type()) + ": input node " +
                  std::to_string(input) + " does not exist");
  }
  if (inputs.empty() || (!merge && inputs.size() != 1) ||
      (merge && int(inputs.size()) < merge->min_inputs()))
    throw Error("cannot add " + std::string(brick->type()) + ": it reads " +
                (merge ? "at least " + std::to_string(merge->min_inputs()) + " input(s)"
                       : std::string("one input")) +
                ", got " + std::to_string(inputs.size()));
  brick->share_workspace(workspace_.get());
  if (brick->name.empty()) {
    // "<type>_<k>", k counting bricks of that type from 1.
    int k = 1;
    for (const Node& n : nodes_) k += std::string(n.brick->type()) == brick->type();
    brick->name = std::string(brick->type()) + "_" + std::to_string(k);
    while (find(brick->name) >= 0) brick->name += "_";
  } else if (find(brick->name) >= 0) {
    throw Error("cannot add " + brick->name + ": a brick of that name exists");
  }
  std::vector<Shape> in;
  for (int input : inputs) in.push_back(input == kInput ? input_shape_ : nodes_[input].shape);
  Shape out;
  try {
    out = merge ? merge->output_shape(in) : brick->output_shape(in[0]);
  } catch (const Error& e) {
    std::string from;
    for (const Shape& s : in) from += (from.empty() ? "" : ", ") + s.sample_str();
    throw Error(brick->name + " (input " + from + "): " + e.what());
  }
  Node node{std::move(brick), std::move(inputs), out, {}, {}, false, merge, {}, {}, {}};
  if (merge) {
    node.in_views.resize(node.inputs.size());
    node.dx_views.resize(node.inputs.size());
    node.dx_scratch.resize(node.inputs.size());
  }
  nodes_.push_back(std::move(node));
  outputs_ = {int(nodes_.size()) - 1};
  built_ = false;
  return int(nodes_.size()) - 1;
}

void Model::set_outputs(std::vector<int> nodes) {
  if (nodes.empty()) throw Error("a model needs at least one output");
  for (int n : nodes)
    if (n < 0 || n >= int(nodes_.size()))
      throw Error("output node " + std::to_string(n) + " does not exist");
  outputs_ = std::move(nodes);
}

int Model::find(const std::string& name) const {
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].brick->name == name) return int(i);
  return -1;
}

void Model::build(uint64_t seed) {
  if (nodes_.empty()) throw Error("the model has no bricks");
  rng_.reseed(seed);
  for (Node& n : nodes_) {
    // A merge brick is built for its first input (Add has no parameters).
    Shape in = n.inputs[0] == kInput ? input_shape_ : nodes_[n.inputs[0]].shape;
    n.brick->build(in, rng_);
  }
  built_ = true;
  all_params_ = params();
  // Parameters changed identity or shape: optimiser state restarts.
  if (optimizer_) {
    optimizer_ = make_optimizer(optimizer_->config());
    trainable_ = params(true);
  }
}

std::vector<Param*> Model::params(bool trainable_only) {
  std::vector<Param*> all;
  for (Node& n : nodes_) {
    if (trainable_only && !n.brick->trainable) continue;
    for (Param* p : n.brick->params()) all.push_back(p);
  }
  return all;
}

size_t Model::param_count() const {
  size_t count = 0;
  for (const Node& n : nodes_)
    for (Param* p : n.brick->params()) count += p->value.size();
  return count;
}

void Model::compile(CompileOptions options) {
  if (!built_) build();
  const size_t outs = outputs_.size();
  if (options.loss.size() == 1 && outs > 1) options.loss.resize(outs, options.loss[0]);
  if (options.loss.size() != outs)
    throw Error("compile: " + std::to_string(options.loss.size()) + " losses for " +
                std::to_string(outs) + " outputs");
  if (options.loss_weights.empty()) options.loss_weights.assign(outs, 1.f);
  if (options.loss_weights.size() != outs)
    throw Error("compile: " + std::to_string(options.loss_weights.size()) + " loss weights for " +
                std::to_string(outs) + " outputs");
  for (auto& m : options.metrics) m = canonical_metric(m);

  losses_.clear();
  for (const auto& l : options.loss) losses_.push_back(make_loss(l));
  loss_weights_ = options.loss_weights;
  metrics_ = options.metrics;
  optimizer_ = make_optimizer(options.optimizer);
  schedule_ = make_schedule(options.schedule);
  compile_options_ = std::move(options);
  trainable_ = params(true);

  log_names_ = {"loss"};
  for (size_t o = 0; o < outs; ++o) {
    const std::string prefix = outs == 1 ? "" : nodes_[outputs_[o]].brick->name + "_";
    if (outs > 1) log_names_.push_back(prefix + "loss");
    for (const auto& m : metrics_) log_names_.push_back(prefix + m);
  }
  doutputs_.resize(outs);
  doutput_views_.resize(outs);
  for (size_t o = 0; o < outs; ++o) doutput_views_[o] = &doutputs_[o];
}

void Model::check_compiled(const char* what) const {
  if (!optimizer_) throw Error(std::string(what) + ": compile() the model first");
}

const Tensor& Model::tensor_of(int node) const {
  return node == kInput ? *input_ : nodes_[node].out;
}

const Tensor& Model::node_input_tensor(int node) const {
  return tensor_of(nodes_[node].inputs[0]);
}

const Tensor& Model::node_output(int node) const {
  return nodes_.at(node).out;
}

const std::vector<const Tensor*>& Model::forward(const Tensor& x, Mode mode) {
  if (!built_) build();
  if (x.shape().with_batch(1) != input_shape_)
    throw Error("model input must be " + input_shape_.sample_str() + " per sample, got " +
                x.shape().sample_str());
  input_ = &x;
  ctx_.mode = mode;
  ctx_.rng = &rng_;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    Node& n = nodes_[i];
    const auto t0 = profiling_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    if (n.merge) {
      for (size_t j = 0; j < n.inputs.size(); ++j) n.in_views[j] = &tensor_of(n.inputs[j]);
      n.merge->forward(n.in_views, n.out, ctx_);
    } else {
      n.brick->forward(node_input_tensor(int(i)), n.out, ctx_);
    }
    if (profiling_)
      n.forward_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  output_views_.resize(outputs_.size());
  for (size_t o = 0; o < outputs_.size(); ++o) output_views_[o] = &nodes_[outputs_[o]].out;
  return output_views_;
}

void Model::zero_grads() {
  for (Param* p : all_params_) p->grad.zero();
}

void Model::backward(const std::vector<const Tensor*>& doutputs, bool want_input_grad) {
  if (doutputs.size() != outputs_.size()) throw Error("backward: one gradient per output needed");
  for (Node& n : nodes_) n.has_grad = false;
  // Seed the outputs. An output node may also feed other nodes; the
  // has_grad flag makes later contributions add rather than overwrite.
  for (size_t o = 0; o < outputs_.size(); ++o) {
    Node& n = nodes_[outputs_[o]];
    if (!n.has_grad) {
      n.grad.resize(doutputs[o]->shape());
      std::copy(doutputs[o]->data(), doutputs[o]->data() + doutputs[o]->size(), n.grad.data());
      n.has_grad = true;
    } else {
      for (size_t j = 0; j < n.grad.size(); ++j) n.grad[j] += (*doutputs[o])[j];
    }
  }
  bool input_has_grad = false;
  for (int i = int(nodes_.size()) - 1; i >= 0; --i) {
    Node& n = nodes_[i];
    if (!n.has_grad) continue;  // does not influence any output
    struct Timer {  // adds the node's time however its step ends (continue)
      Node& n;
      bool on;
      std::chrono::steady_clock::time_point t0;
      ~Timer() {
        if (on) n.backward_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      }
    } timer{n, profiling_, profiling_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{}};
    if (n.merge) {
      backward_merge(n, input_has_grad);
      continue;
    }
    const int input = n.inputs[0];
    const bool to_input = input == kInput;
    if (to_input && !want_input_grad && !n.brick->trainable) continue;
    bool* target_flag = to_input ? &input_has_grad : &nodes_[input].has_grad;
    Tensor* target = to_input ? &input_grad_ : &nodes_[input].grad;
    // First contribution writes straight into the input's gradient; further
    // ones (fan-out) go through scratch and add.
    Tensor* dx = *target_flag ? &scratch_grad_ : target;
    n.brick->need_input_grad = !to_input || want_input_grad;
    n.brick->backward(node_input_tensor(i), n.out, n.grad, *dx);
    if (!n.brick->need_input_grad) continue;
    if (*target_flag) {
      for (size_t j = 0; j < target->size(); ++j) (*target)[j] += scratch_grad_[j];
    }
    *target_flag = true;
  }
}

// Each input's gradient is written straight into that input's gradient when
// it is the first to arrive there; otherwise (fan-out, or one node read twice)
// it goes through the node's scratch and adds.
void Model::backward_merge(Node& n, bool& input_has_grad) {
  const size_t k = n.inputs.size();
  auto flag_of = [&](int in) -> bool& {
    return in == kInput ? input_has_grad : nodes_[in].has_grad;
  };
  auto grad_of = [&](int in) -> Tensor& { return in == kInput ? input_grad_ : nodes_[in].grad; };
  for (size_t j = 0; j < k; ++j) {
    const int in = n.inputs[j];
    bool repeated = false;
    for (size_t i = 0; i < j; ++i) repeated = repeated || n.inputs[i] == in;
    n.dx_views[j] = flag_of(in) || repeated ? &n.dx_scratch[j] : &grad_of(in);
  }
  n.merge->backward(n.in_views, n.out, n.grad, n.dx_views);
  for (size_t j = 0; j < k; ++j) {
    const int in = n.inputs[j];
    if (n.dx_views[j] == &n.dx_scratch[j]) {
      Tensor& target = grad_of(in);
      for (size_t e = 0; e < target.size(); ++e) target[e] += n.dx_scratch[j][e];
    }
    flag_of(in) = true;
  }
}

float Model::train_batch(const Tensor& x, const std::vector<const Tensor*>& y, Logs* logs) {
  begin_batch();
  const float total = accumulate_batch(x, y, 1.f, logs);
  // A non-finite loss would poison the weights: leave them untouched and let
  // the caller (the trainer) decide what to do.
  if (std::isfinite(total)) apply_batch();
  return total;
}

void Model::begin_batch() {
  check_compiled("train_batch");
  zero_grads();
}

void Model::apply_batch() {
  check_compiled("train_batch");
  optimizer_->step(trainable_);
}

bool Model::mixes_samples() const {
  for (const Node& n : nodes_)
    if (n.brick->mixes_samples()) return true;
  return false;
}

float Model::accumulate_batch(const Tensor& x, const std::vector<const Tensor*>& y,
                              float fraction, Logs* logs) {
  check_compiled("train_batch");
  if (y.size() != outputs_.size())
    throw Error("train_batch: " + std::to_string(y.size()) + " targets for " +
                std::to_string(outputs_.size()) + " outputs");
  const auto& outs = forward(x, Mode::kTraining);
  float total = 0.f;
  size_t log_index = 1;
  if (logs && logs->names != log_names_) logs->reset(log_names_);
  for (size_t o = 0; o < outs.size(); ++o) {
    if (y[o]->shape().n != x.shape().n)
      throw Error("targets for output " + std::to_string(o) + " have " +
                  std::to_string(y[o]->shape().n) + " samples, inputs " +
                  std::to_string(x.shape().n));
    float l = losses_[o]->forward(*outs[o], *y[o]);
    total += loss_weights_[o] * l;
    losses_[o]->backward(*outs[o], *y[o], doutputs_[o]);
    const float scale = loss_weights_[o] * fraction;
    if (scale != 1.f)
      for (size_t j = 0; j < doutputs_[o].size(); ++j) doutputs_[o][j] *= scale;
    if (logs) {
      if (outs.size() > 1) logs->values[log_index++] = l;
      for (const auto& m : metrics_)
        logs->values[log_index++] = compute_metric(m, *outs[o], *y[o], losses_[o]->output_kind());
    }
  }
  if (logs) logs->values[0] = total;
  if (!std::isfinite(total)) return total;
  backward(doutput_views_);  // parameter gradients accumulate
  return total;
}

std::string Model::summary() const {
  std::string s;
  char line[160];
  std::snprintf(line, sizeof line, "%-20s %-16s %-14s %-14s %10s\n", "brick", "type", "input from",
                "output", "params");
  s += line;
  s += std::string(78, '-') + "\n";
  size_t total = 0;
  for (const Node& n : nodes_) {
    size_t count = 0;
    for (Param* p : n.brick->params()) count += p->value.size();
    total += count;
    std::string from;
    for (int in : n.inputs)
      from += (from.empty() ? "" : "+") + (in == kInput ? "input" : nodes_[in].brick->name);
    std::snprintf(line, sizeof line, "%-20s %-16s %-14s %-14s %10zu\n", n.brick->name.c_str(),
                  n.brick->type(), from.c_str(), n.shape.sample_str().c_str(), count);
    s += line;
  }
  s += std::string(78, '-') + "\n";
  std::snprintf(line, sizeof line, "input %s, %zu parameters%s\n",
                input_shape_.sample_str().c_str(), total, built_ ? "" : " (not built yet)");
  s += line;
  return s;
}

nlohmann::json Model::architecture() const {
  nlohmann::json nodes = nlohmann::json::array();
  for (const Node& n : nodes_) {
    // One input: "input": k, as files before merge bricks; several: "inputs": [..].
    nlohmann::json node = {{"name", n.brick->name}, {"brick", n.brick->config()}};
    if (n.inputs.size() == 1)
      node["input"] = n.inputs[0];
    else
      node["inputs"] = n.inputs;
    if (!n.brick->trainable) node["trainable"] = false;
    nodes.push_back(node);
  }
  return {{"input", {input_shape_.c, input_shape_.h, input_shape_.w}},
          {"nodes", nodes},
          {"outputs", outputs_}};
}

Model Model::from_architecture(const nlohmann::json& a) {
  try {
    const auto& in = a.at("input");
    if (!in.is_array() || in.size() != 3) throw Error("\"input\" must be [C, H, W]");
    Model m({1, in[0].get<int>(), in[1].get<int>(), in[2].get<int>()});
    for (const auto& node : a.at("nodes")) {
      auto brick = make_brick(node.at("brick"));
      brick->name = node.at("name").get<std::string>();
      brick->trainable = node.value("trainable", true);
      if (node.contains("inputs"))
        m.add(std::move(brick), node.at("inputs").get<std::vector<int>>());
      else
        m.add(std::move(brick), node.at("input").get<int>());
    }
    m.set_outputs(a.at("outputs").get<std::vector<int>>());
    return m;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("architecture: ") + e.what());
  }
}

}  // namespace cnn
