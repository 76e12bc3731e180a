// 2-D convolution (cross-correlation, as every framework computes it):
//   x (N,C,H,W) -> y (N,K,H',W'),  H' = (H + 2*pad - kernel) / stride + 1
//   weight (K,C,kernel,kernel), bias (1,K,1,1)
// The arithmetic is in kernels::conv2d_* (im2col + gemm in the fast tables).
#pragma once
#include <string>

#include "bricks/brick.h"
#include "kernels/kernels.h"

namespace cnn {

struct Conv2DOptions {
  int filters = 0;  // K, output channels (required)
  int kernel = 3;   // square kernel size
  int stride = 1;
  int pad = 0;  // zeros added on each side
  bool bias = true;
  std::string init = "he_normal";  // see bricks/init.h
  float init_scale = 0.05f;        // only for init "uniform" / "normal"
};

class Conv2D : public Brick {
 public:
  using Options = Conv2DOptions;
  explicit Conv2D(Options options);
  const char* type() const override { return "conv2d"; }
  Shape output_shape(const Shape& in) const override;
  void build(const Shape& in, Rng& rng) override;
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  std::vector<Param*> params() override;
  nlohmann::json config() const override;
  void share_workspace(kernels::Workspace* ws) override { shared_ws_ = ws; }
  const Options& options() const { return options_; }

 private:
  kernels::ConvShape conv_shape(const Shape& in) const;
  Options options_;
  int channels_ = 0;  // C, known once built
  Param weight_{"weight", {}, {}, true};
  Param bias_{"bias", {}, {}, false};
  kernels::Workspace& workspace() { return shared_ws_ ? *shared_ws_ : ws_; }
  kernels::Workspace ws_;                     // outside a model
  kernels::Workspace* shared_ws_ = nullptr;  // the model's (share_workspace)
};

}  // namespace cnn
