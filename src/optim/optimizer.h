// Optimisers update parameters from their accumulated gradients.
//
// The model hands the optimiser the same list of trainable parameters at every
// step, in the same order, so per-parameter state (momentum, Adam moments)
// lives in slots aligned with that list. L2 weight decay is applied here, as
// grad += l2 * w for parameters with Param::decay (the gradient of
// (l2/2)*||w||^2), so every optimiser gets it the same way.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bricks/brick.h"

namespace cnn {

// A tensor of optimiser state, named for model files ("m", "v", "velocity").
struct StateSlot {
  std::string name;
  Tensor* value;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual const char* type() const = 0;

  // One update of every parameter from its gradient. Gradients are read, not
  // cleared (the model zeroes them before the next backward pass).
  void step(const std::vector<Param*>& params);

  // {"type": ..., "lr": ..., hyperparameters}; make_optimizer(config()) rebuilds it.
  virtual nlohmann::json config() const = 0;

  // State of parameter i, for saving and resuming (allocated on first step or
  // by prepare()).
  virtual std::vector<StateSlot> state(size_t param_index) = 0;
  // Allocates state for these parameters (so a loaded state can be filled in
  // before the first step).
  void prepare(const std::vector<Param*>& params);
  // Steps taken so far (Adam's bias correction needs it; saved in model files).
  long steps() const { return steps_; }
  void set_steps(long steps) { steps_ = steps; }

  float learning_rate = 0.01f;
  float l2 = 0.f;
  // Per-parameter factors on learning_rate, aligned with the list given to
  // step() (empty: 1 for all). Fine-tuning gives pretrained bricks a smaller
  // rate than a new head (e.g. 0.1 and 1). Not saved in model files.
  std::vector<float> lr_multipliers{};

 protected:
  // Called once per step, after steps() has been incremented.
  virtual void begin_step() {}
  // Allocates per-parameter state to match the list.
  virtual void resize_state(const std::vector<Param*>& params) = 0;
  // w -= f(g) for parameter i; g already includes weight decay.
  virtual void update(size_t i, Param& p, const float* grad) = 0;
  long steps_ = 0;

 private:
  Tensor decayed_;  // scratch for grad + l2*w, reused (no allocation per step)
};

// "sgd" {lr, momentum=0, nesterov=false}: v = momentum*v + g; w -= lr*v
// (PyTorch's form: changing lr mid-run does not rescale the stored velocity).
class Sgd : public Optimizer {
 public:
  struct Options {
    float lr = 0.01f;
    float momentum = 0.f;
    bool nesterov = false;
    float l2 = 0.f;
  };
  explicit Sgd(Options o);
  const char* type() const override { return "sgd"; }
  nlohmann::json config() const override;
  std::vector<StateSlot> state(size_t i) override;

 protected:
  void resize_state(const std::vector<Param*>& params) override;
  void update(size_t i, Param& p, const float* grad) override;

 private:
  Options o_;
  std::vector<Tensor> velocity_;
};

// "adam" {lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7 as Keras}: bias-corrected moments.
class Adam : public Optimizer {
 public:
  struct Options {
    float lr = 1e-3f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float eps = 1e-7f;
    float l2 = 0.f;
  };
  explicit Adam(Options o);
  const char* type() const override { return "adam"; }
  nlohmann::json config() const override;
  std::vector<StateSlot> state(size_t i) override;

 protected:
  void resize_state(const std::vector<Param*>& params) override;
  void begin_step() override;
  void update(size_t i, Param& p, const float* grad) override;

 private:
  Options o_;
  std::vector<Tensor> m_, v_;
  float correction1_ = 1.f, correction2_ = 1.f;  // 1 - beta^t for this step
};

// From a name ("adam") or a config ({"type": "sgd", "lr": 0.1, "momentum": 0.9}).
// Throws cnn::Error naming the unknown type or key.
std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& config);

}  // namespace cnn
