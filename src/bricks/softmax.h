// Softmax over the channels, separately for each sample and pixel:
//   x (N,C,H,W) -> y (N,C,H,W),  y[n,:,h,w] = exp(x[n,:,h,w]) / sum_c exp(x[n,c,h,w])
// For logits (N,K,1,1) that is the usual class softmax. For training a
// classifier prefer a linear output with the "softmax_crossentropy" loss: it
// fuses both and stays exact where softmax saturates.
#pragma once
#include "bricks/brick.h"

namespace cnn {

class Softmax : public Brick {
 public:
  const char* type() const override { return "softmax"; }
  Shape output_shape(const Shape& in) const override { return in; }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  nlohmann::json config() const override;
};

}  // namespace cnn
