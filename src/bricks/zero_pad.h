// Zero padding, possibly asymmetric (Keras' ZeroPadding2D; TF's "same"
// padding of a strided conv pads one more row at the bottom than the top):
//   x (N,C,H,W) -> y (N,C,top+H+bottom,left+W+right), zeros around a copy of x;
//   dx = the middle of dy.
#pragma once
#include "bricks/brick.h"

namespace cnn {

struct ZeroPad2DOptions {
  int top = 1, bottom = 1, left = 1, right = 1;
};

class ZeroPad2D : public Brick {
 public:
  using Options = ZeroPad2DOptions;
  explicit ZeroPad2D(Options options = {});
  const char* type() const override { return "zero_pad2d"; }
  Shape output_shape(const Shape& in) const override;
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  nlohmann::json config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
};

}  // namespace cnn
