// Elementwise sum of two or more inputs of one shape (ResNet's shortcut add,
// Keras' Add layer):
//   xs[i] (N,C,H,W) -> y (N,C,H,W),  y = sum_i xs[i];   dx_i = dy for every i.
#pragma once
#include "bricks/merge.h"

namespace cnn {

class Add : public MergeBrick {
 public:
  const char* type() const override { return "add"; }
  using MergeBrick::backward;
  using MergeBrick::forward;
  using MergeBrick::output_shape;
  Shape output_shape(const std::vector<Shape>& in) const override;
  void forward(const std::vector<const Tensor*>& xs, Tensor& y, Context& ctx) override;
  void backward(const std::vector<const Tensor*>& xs, const Tensor& y, const Tensor& dy,
                const std::vector<Tensor*>& dxs) override;
  int min_inputs() const override { return 1; }
  nlohmann::json config() const override;
};

}  // namespace cnn
