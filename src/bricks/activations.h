// Elementwise activations. Shape legend for all: x (N,C,H,W) -> y (N,C,H,W).
// Each backward uses whichever of x or y gives the derivative most cheaply.
// At a kink the derivative is that of the flatter piece: ReLU'(0) = 0,
// LeakyReLU'(0) = slope, Ramp'(+-1) = 0.
#pragma once
#include "bricks/brick.h"

namespace cnn {

// Base of the activations: shape passes through, no parameters.
class Activation : public Brick {
 public:
  Shape output_shape(const Shape& in) const override { return in; }
  nlohmann::json config() const override;
};

// y = 1 / (1 + e^-x)
class Sigmoid : public Activation {
 public:
  const char* type() const override { return "sigmoid"; }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
};

// y = tanh(x)
class Tanh : public Activation {
 public:
  const char* type() const override { return "tanh"; }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
};

// y = max(0, x)
class ReLU : public Activation {
 public:
  const char* type() const override { return "relu"; }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
};

struct LeakyReLUOptions {
  float slope = 0.01f;  // y = slope * x for x < 0
};

// y = x for x > 0, slope * x otherwise
class LeakyReLU : public Activation {
 public:
  using Options = LeakyReLUOptions;
  explicit LeakyReLU(Options options = {});
  const char* type() const override { return "leaky_relu"; }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  nlohmann::json config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
};

// y = clamp(x, -1, 1)
class Ramp : public Activation {
 public:
  const char* type() const override { return "ramp"; }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
};

}  // namespace cnn
