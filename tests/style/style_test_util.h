// Adapters that put the style functions (plain forward/backward function
// pairs) under the shared gradient checker of tests/support/gradcheck.h:
// a map x -> y becomes a Brick, a scalar loss of x becomes a Loss.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>

#include "bricks/brick.h"
#include "losses/loss.h"
#include "support/gradcheck.h"

namespace cnn::test {

class FunctionBrick : public Brick {
 public:
  using Forward = std::function<void(const Tensor& x, Tensor& y)>;
  using Backward =
      std::function<void(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx)>;
  FunctionBrick(Shape out, Forward f, Backward b) : out_(out), f_(f), b_(b) {}
  const char* type() const override { return "test_function"; }
  Shape output_shape(const Shape&) const override { return out_; }
  void forward(const Tensor& x, Tensor& y, Context&) override { f_(x, y); }
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override {
    b_(x, y, dy, dx);
  }
  nlohmann::json config() const override { return {{"type", type()}}; }

 private:
  Shape out_;
  Forward f_;
  Backward b_;
};

class FunctionLoss : public Loss {
 public:
  using Forward = std::function<float(const Tensor& x, const Tensor& target)>;
  using Backward = std::function<void(const Tensor& x, const Tensor& target, Tensor& dx)>;
  FunctionLoss(Forward f, Backward b) : f_(f), b_(b) {}
  const char* type() const override { return "test_function"; }
  float forward(const Tensor& x, const Tensor& target) override { return f_(x, target); }
  void backward(const Tensor& x, const Tensor& target, Tensor& dx) override { b_(x, target, dx); }
  nlohmann::json config() const override { return {{"type", type()}}; }
  const char* output_kind() const override { return "signed"; }

 private:
  Forward f_;
  Backward b_;
};

}  // namespace cnn::test
