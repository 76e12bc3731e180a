// A merge brick reads several nodes of a model (the residual add of ResNet,
// Keras' Add/Concatenate layers). It keeps Brick's gradient contract:
// backward() WRITES every dx[i] and accumulates parameter gradients.
//   xs[0..k) (N,C,H,W) each -> y
// The single-input Brick entry points treat x as a merge of one input, so a
// merge brick still fits anywhere a brick does (registry, configs, tests).
#pragma once
#include <vector>

#include "bricks/brick.h"

namespace cnn {

class MergeBrick : public Brick {
 public:
  // Throws cnn::Error naming the brick when the inputs do not fit together.
  virtual Shape output_shape(const std::vector<Shape>& in) const = 0;
  virtual void forward(const std::vector<const Tensor*>& xs, Tensor& y, Context& ctx) = 0;
  // dxs[i] is resized and written by the brick; the pointers are distinct.
  virtual void backward(const std::vector<const Tensor*>& xs, const Tensor& y, const Tensor& dy,
                        const std::vector<Tensor*>& dxs) = 0;
  // Fewest inputs the brick accepts (a model refuses to wire fewer).
  virtual int min_inputs() const { return 2; }

  Shape output_shape(const Shape& in) const override {
    return output_shape(std::vector<Shape>{in});
  }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override { forward({&x}, y, ctx); }
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override {
    backward({&x}, y, dy, {&dx});
  }
};

}  // namespace cnn
