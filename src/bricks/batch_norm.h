// Batch normalisation, per channel C over all N*H*W values of that channel.
// After a conv that is per feature map; after a dense layer (H = W = 1) it is
// per feature over the batch: one code path serves both.
//   x (N,C,H,W) -> y (N,C,H,W),  y = gamma * (x - mean) / sqrt(var + eps) + beta
//   gamma, beta, running_mean, running_var: (1,C,1,1)
// Training: mean and (biased) var of the batch normalise; the running
// averages move as  running = momentum * running + (1 - momentum) * batch,
// with the UNBIASED batch variance for running_var (as PyTorch; Keras uses
// the biased one). Inference: the running averages normalise.
#pragma once
#include <vector>

#include "bricks/brick.h"

namespace cnn {

struct BatchNormOptions {
  float momentum = 0.9f;  // weight of the old running average
  float eps = 1e-5f;      // added to the variance before the square root
};

class BatchNorm : public Brick {
 public:
  using Options = BatchNormOptions;
  explicit BatchNorm(Options options = {});
  const char* type() const override { return "batchnorm"; }
  bool mixes_samples() const override { return true; }
  Shape output_shape(const Shape& in) const override;
  void build(const Shape& in, Rng& rng) override;
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  std::vector<Param*> params() override;
  std::vector<Buffer> buffers() override;
  nlohmann::json config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
  int channels_ = 0;  // C, known once built
  Param gamma_{"gamma", {}, {}, false};
  Param beta_{"beta", {}, {}, false};
  Tensor running_mean_, running_var_;
  // What the latest forward normalised with, per channel, for backward.
  bool used_batch_stats_ = false;
  std::vector<float> mean_, inv_std_;
};

}  // namespace cnn
