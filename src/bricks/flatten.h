// Flatten:  x (N,C,H,W) -> y (N, C*H*W, 1, 1)
// NCHW storage is already sample-major, so this is a copy under a new shape.
// Dense accepts (N,C,H,W) directly; Flatten makes the step explicit in a
// model summary and is needed before bricks that want vectors (e.g. Softmax
// over all features).
#pragma once
#include "bricks/brick.h"

namespace cnn {

class Flatten : public Brick {
 public:
  const char* type() const override { return "flatten"; }
  Shape output_shape(const Shape& in) const override;
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  nlohmann::json config() const override;
};

}  // namespace cnn
