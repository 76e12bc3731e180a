// A brick is one differentiable step of a network: forward computes y from x,
// backward computes dE/dx from dE/dy. Bricks are chained forward in order and
// backward in reverse by the model (model/model.h).
//
// The gradient contract, once for all bricks:
//   - backward() WRITES dx (=), the gradient with respect to its input;
//   - backward() ACCUMULATES parameter gradients (+=) into Param::grad, so
//     several backward passes (e.g. outputs sharing a trunk) add up; the
//     optimiser zeroes them after each step.
// backward() receives the x and y of the most recent forward() (the model
// keeps them), so a brick need not copy its input.
#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"

namespace cnn::kernels {
class Workspace;
}

namespace cnn {

// A learnable tensor and its gradient.
struct Param {
  std::string name;  // "weight", "bias", "gamma", "beta"
  Tensor value;
  Tensor grad;        // same shape as value; accumulated by backward()
  bool decay = true;  // L2 weight decay applies (weights yes; biases, BN scale/shift no)
};

// A non-learned tensor that is part of the model state (BatchNorm running
// averages): saved in model files, never touched by optimisers.
struct Buffer {
  std::string name;
  Tensor* value;
};

enum class Mode { kInference, kTraining };

// Per-call state a forward pass may need.
struct Context {
  Mode mode = Mode::kInference;
  Rng* rng = nullptr;  // dropout masks; required in training mode by bricks that draw
  bool training() const { return mode == Mode::kTraining; }
};

class Brick {
 public:
  virtual ~Brick() = default;

  // Registry name, e.g. "conv2d"; the "type" key of config().
  virtual const char* type() const = 0;

  // The output shape for an input shape (batch size passes through). Throws
  // cnn::Error with a readable reason if this brick cannot take that input,
  // e.g. "conv2d: kernel 5x5 larger than padded input 3x3".
  virtual Shape output_shape(const Shape& in) const = 0;

  // Creates the parameters for this input shape and initialises them from
  // rng. Called once by the model when it is built; a brick without
  // parameters need not override it.
  virtual void build(const Shape& in, Rng& rng) {
    (void)in;
    (void)rng;
  }

  // x -> y. The brick resizes y.
  virtual void forward(const Tensor& x, Tensor& y, Context& ctx) = 0;

  // dy -> dx (written, resized by the brick); parameter gradients accumulated.
  // x and y are those of the latest forward().
  virtual void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) = 0;

  virtual std::vector<Param*> params() { return {}; }
  virtual std::vector<Buffer> buffers() { return {}; }

  // True if one sample's training output depends on the other samples of the
  // batch (batch norm's batch statistics): then a batch fed in parts
  // (Model::accumulate_batch) would not train like the whole batch.
  virtual bool mixes_samples() const { return false; }

  // Hyperparameters as JSON, including "type"; make_brick(config()) rebuilds
  // an equivalent (unbuilt) brick.
  virtual nlohmann::json config() const = 0;

  // Scratch memory for the kernels, shared by all the bricks of a model
  // (Model::add): they run one at a time, so one buffer the size of the
  // largest need serves them all (VGG19 to conv5_1 at 256 px, one buffer per
  // convolution: 733 MB peak, one per model: 476 MB). Bricks that use none
  // ignore it; one outside a model uses its own.
  virtual void share_workspace(kernels::Workspace*) {}

  // Name unique within a model ("conv2d_1"), used in model files and the UI.
  std::string name;
  // Frozen bricks (fine-tuning) still pass gradients to their input but their
  // parameters are not updated; their backward() may skip (leave untouched)
  // the parameter gradients, since nothing reads them.
  bool trainable = true;
  // Cleared by the model for a brick that reads the model input when nobody
  // asked for dE/dinput: the brick may then leave dx unwritten and skip the
  // work (the first convolution's input gradient is a whole extra pass).
  bool need_input_grad = true;
};

// Builds a brick from its JSON config. Throws cnn::Error naming the problem
// for an unknown type or a bad hyperparameter.
std::unique_ptr<Brick> make_brick(const nlohmann::json& config);

}  // namespace cnn
