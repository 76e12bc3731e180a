// Fully connected layer. Any input is read as one vector per sample, so a
// Flatten before it is optional:
//   x (N,C,H,W) = (N, F) with F = C*H*W  ->  y (N, units, 1, 1)
//   y = x W^T + b,  weight (units, F, 1, 1) i.e. row-major [out][in],  bias (1, units, 1, 1)
#pragma once
#include <string>

#include "bricks/brick.h"

namespace cnn {

struct DenseOptions {
  int units = 0;  // output features (required)
  bool bias = true;
  std::string init = "glorot_uniform";  // see bricks/init.h
  float init_scale = 0.05f;             // only for init "uniform" / "normal"
};

class Dense : public Brick {
 public:
  using Options = DenseOptions;
  explicit Dense(Options options);
  const char* type() const override { return "dense"; }
  Shape output_shape(const Shape& in) const override;
  void build(const Shape& in, Rng& rng) override;
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  std::vector<Param*> params() override;
  nlohmann::json config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
  int in_features_ = 0;  // F, known once built
  Param weight_{"weight", {}, {}, true};
  Param bias_{"bias", {}, {}, false};
};

}  // namespace cnn
