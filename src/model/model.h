// A model: bricks wired into a graph, compiled with losses and an optimiser,
// trained with fit(), as in Keras.
//
//   Model m({1, 1, 28, 28});                       // per-sample input shape
//   m.add<Conv2D>({.filters = 8, .kernel = 5, .pad = 2});
//   m.add<ReLU>({});
//   ...
//   m.compile({.loss = {"softmax_crossentropy"}, .optimizer = "adam", .metrics = {"accuracy"}});
//   History h = m.fit(x, y, {.epochs = 2, .batch_size = 64});
//
// Graph. Every node is one brick reading from earlier nodes (or from the
// model input): an ordinary brick reads one, a merge brick (bricks/merge.h,
// e.g. the residual Add of ResNet) reads several:
//   int a = m.add<ReLU>();
//   int b = m.add<Conv2D>({.filters = 8, .pad = 1});
//   m.add(std::make_unique<Add>(), {a, b});         // y = out(a) + out(b)
// Nodes are stored in a valid forward order and backward simply runs them in
// reverse. A node may feed several others (a shared trunk, a shortcut), and
// several nodes may be outputs, each with its own loss and loss weight.
// Gradients arriving at a node from several consumers add up.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bricks/brick.h"
#include "bricks/merge.h"
#include "kernels/kernels.h"
#include "losses/loss.h"
#include "model/fit_types.h"
#include "model/logs.h"
#include "optim/optimizer.h"
#include "optim/schedule.h"

namespace cnn {

struct CompileOptions {
  // One loss per output, by name or config; a single loss applies to all outputs.
  std::vector<nlohmann::json> loss = {"softmax_crossentropy"};
  // Weight of each output's loss in the total (Keras loss_weights); default 1 each.
  std::vector<float> loss_weights{};
  nlohmann::json optimizer = "adam";
  // Per output: "accuracy" (alias "acc", "sparse_categorical_accuracy").
  std::vector<std::string> metrics = {"accuracy"};
  // Learning-rate schedule: null, {"type":"step",...} or {"type":"plateau",...}.
  nlohmann::json schedule = nullptr;
};

class Model {
 public:
  static constexpr int kInput = -1;     // "read from the model input"
  static constexpr int kPrevious = -2;  // "read from the node added last"

  // sample_shape: the shape of one input sample; its batch size is ignored.
  explicit Model(Shape sample_shape);
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  // --- Building -----------------------------------------------------------
  // Adds a brick fed by node `input`; names it "<type>_<k>" unless it has a
  // name. Returns the node id. Shapes are checked immediately: an invalid
  // architecture throws cnn::Error naming the brick.
  int add(std::unique_ptr<Brick> brick, int input = kPrevious);
  template <class B>
  int add(typename B::Options options, int input = kPrevious) {
    return add(std::make_unique<B>(options), input);
  }
  // For bricks without options (activations, flatten): add<ReLU>().
  template <class B>
  int add(int input = kPrevious) {
    return add(std::make_unique<B>(), input);
  }
  // A brick reading several nodes (kInput allowed): a merge brick, or any
  // brick with a one-element list. Throws cnn::Error naming the brick if the
  // count or the shapes do not fit.
  int add(std::unique_ptr<Brick> brick, std::vector<int> inputs);
  // Declares the output nodes (default: the last node added).
  void set_outputs(std::vector<int> nodes);
  // Creates and initialises all parameters from `seed`. Called by compile()
  // if not done before; calling it again re-initialises (a "Reset").
  void build(uint64_t seed = 42);
  bool built() const { return built_; }

  // --- Training, Keras style ---------------------------------------------
  void compile(CompileOptions options);
  bool compiled() const { return optimizer_ != nullptr; }

  // Keras-style entry points (implemented by model/trainer.cpp). Targets:
  // one tensor per output; the single-tensor forms are for one output.
  History fit(const Tensor& x, const Tensor& y, FitOptions options = {});
  History fit(const Tensor& x, std::vector<const Tensor*> y, FitOptions options = {});
  Logs evaluate(const Tensor& x, const Tensor& y, int batch_size = 256);
  // `predictions`, when given, receives what predict() would return, from the
  // same forward passes (one pass over the data for both).
  Logs evaluate(const Tensor& x, const std::vector<const Tensor*>& y, int batch_size = 256,
                std::vector<Tensor>* predictions = nullptr);
  std::vector<Tensor> predict(const Tensor& x, int batch_size = 256);

  // Low-level step used by fit() and the UI: forward, losses, backward and
  // one optimiser update on a batch. Returns the weighted total loss and
  // fills `logs` (if given) with the per-output losses and metrics of the
  // batch. Targets: one tensor per output.
  float train_batch(const Tensor& x, const std::vector<const Tensor*>& y, Logs* logs = nullptr);

  // train_batch() in three calls, so that a batch can be fed in parts (the
  // playground does, so that no UI frame waits for a whole batch):
  // begin_batch() clears the gradients; accumulate_batch() runs forward,
  // losses and backward on one part, whose gradients are scaled by
  // `fraction` (the part's share of the batch) and added; apply_batch()
  // takes the optimiser step. Parts that add up to a batch give that batch's
  // update (up to float summation order) unless mixes_samples(). Returns and
  // logs the part's loss; a non-finite loss skips backward.
  void begin_batch();
  float accumulate_batch(const Tensor& x, const std::vector<const Tensor*>& y, float fraction,
                         Logs* logs = nullptr);
  void apply_batch();
  // True if some brick's training output depends on the rest of the batch.
  bool mixes_samples() const;

  // Runs the model in inference mode; returns one tensor per output (views
  // into the model's buffers, valid until the next call).
  const std::vector<const Tensor*>& forward(const Tensor& x, Mode mode = Mode::kInference);
  // Backpropagates per-output gradients (after forward()); parameter
  // gradients accumulate. When want_input_grad, input_grad() holds dE/dx.
  void backward(const std::vector<const Tensor*>& doutputs, bool want_input_grad = false);
  const Tensor& input_grad() const { return input_grad_; }
  // Output of any node after forward() (activation maps for the UI).
  const Tensor& node_output(int node) const;
  void zero_grads();

  // --- Introspection ------------------------------------------------------
  int num_nodes() const { return int(nodes_.size()); }
  Brick& brick(int node) { return *nodes_[node].brick; }
  const Brick& brick(int node) const { return *nodes_[node].brick; }
  int node_input(int node) const { return nodes_[node].inputs[0]; }  // the first input
  const std::vector<int>& node_inputs(int node) const { return nodes_[node].inputs; }
  int find(const std::string& name) const;            // node id by brick name, -1 if none
  Shape input_shape() const { return input_shape_; }  // per sample (n = 1)
  Shape output_shape(int node) const { return nodes_[node].shape; }  // per sample
  const std::vector<int>& outputs() const { return outputs_; }
  // Every parameter (trainable_only: of bricks with trainable = true).
  std::vector<Param*> params(bool trainable_only = false);
  size_t param_count() const;
  // Human-readable table: name, type, output shape, parameters.
  std::string summary() const;
  // Per-brick timing (`cnn bench --profile`): while on, forward() and
  // backward() add each node's wall time to its totals (off: no clock reads).
  void set_profiling(bool on) { profiling_ = on; }
  double forward_seconds(int node) const { return nodes_[node].forward_s; }
  double backward_seconds(int node) const { return nodes_[node].backward_s; }

  // --- State shared with the trainer and model files ----------------------
  Optimizer* optimizer() { return optimizer_.get(); }
  LrSchedule* schedule() { return schedule_.get(); }
  const CompileOptions& compile_options() const { return compile_options_; }
  Loss& loss(size_t output) { return *losses_[output]; }
  Rng& rng() { return rng_; }
  // Architecture as JSON ({"input": [C,H,W], "nodes": [...], "outputs": [...]}); a node
  // has "input": k (one input) or "inputs": [k, ...] (merge bricks).
  nlohmann::json architecture() const;
  static Model from_architecture(const nlohmann::json& architecture);
  // Visits every tensor of the model's state as visit(name, tensor), in a
  // fixed order: parameters "<brick>.<param>", buffers "<brick>.<buffer>"
  // and, with with_optimizer, optimiser state
  // "optimizer.<brick>.<param>.<slot>" (allocated first if need be). Model
  // files and the trainer's divergence snapshot both walk the state this way.
  template <class Visit>
  void for_each_state_tensor(bool with_optimizer, Visit visit);
  // Names of the values train_batch() reports, in order: "loss", then per
  // output "<out>_loss" and "<out>_<metric>" (just "accuracy" etc. with one output).
  const std::vector<std::string>& log_names() const { return log_names_; }
  // Free-form metadata saved with the model (dataset, preprocessing, epoch).
  nlohmann::json metadata = nlohmann::json::object();

 private:
  struct Node {
    std::unique_ptr<Brick> brick;
    std::vector<int> inputs;  // one for ordinary bricks
    Shape shape;              // per-sample output shape
    Tensor out;               // latest forward output
    Tensor grad;              // dE/d(out) during backward
    bool has_grad = false;
    MergeBrick* merge = nullptr;  // brick, if it is a merge brick
    // Merge nodes only, kept to stay allocation-free after the first pass:
    std::vector<const Tensor*> in_views;
    std::vector<Tensor*> dx_views;
    std::vector<Tensor> dx_scratch;  // for inputs whose gradient must be added
    double forward_s = 0, backward_s = 0;  // totals while profiling
  };
  const Tensor& node_input_tensor(int node) const;
  const Tensor& tensor_of(int node) const;  // kInput: the model input
  void backward_merge(Node& n, bool& input_has_grad);
  void check_compiled(const char* what) const;

  Shape input_shape_;
  std::vector<Node> nodes_;
  // The bricks' one scratch buffer (Brick::share_workspace). Behind a pointer:
  // the bricks keep its address when the model moves.
  std::unique_ptr<kernels::Workspace> workspace_ = std::make_unique<kernels::Workspace>();
  std::vector<int> outputs_;
  bool built_ = false;
  bool profiling_ = false;
  const Tensor* input_ = nullptr;  // input of the latest forward()
  Tensor input_grad_, scratch_grad_;
  std::vector<const Tensor*> output_views_;

  CompileOptions compile_options_;
  std::vector<std::unique_ptr<Loss>> losses_;
  std::vector<float> loss_weights_;
  std::vector<std::string> metrics_;
  std::unique_ptr<Optimizer> optimizer_;
  std::unique_ptr<LrSchedule> schedule_;
  std::vector<std::string> log_names_;
  std::vector<Tensor> doutputs_;
  std::vector<const Tensor*> doutput_views_;
  std::vector<Param*> trainable_;
  std::vector<Param*> all_params_;  // cached at build(): zero_grads() must not allocate
  Rng rng_;
  Context ctx_;
};

template <class Visit>
void Model::for_each_state_tensor(bool with_optimizer, Visit visit) {
  for (Node& n : nodes_) {
    Brick& b = *n.brick;
    for (Param* p : b.params()) visit(b.name + "." + p->name, p->value);
    for (Buffer buf : b.buffers()) visit(b.name + "." + buf.name, *buf.value);
  }
  if (!with_optimizer || !optimizer_) return;
  auto trainable = params(true);
  optimizer_->prepare(trainable);
  size_t k = 0;  // index into the trainable list, whose order this loop follows
  for (Node& n : nodes_) {
    Brick& b = *n.brick;
    if (!b.trainable) continue;
    for (Param* p : b.params()) {
      for (StateSlot s : optimizer_->state(k))
        visit("optimizer." + b.name + "." + p->name + "." + s.name, *s.value);
      ++k;
    }
  }
}

}  // namespace cnn
