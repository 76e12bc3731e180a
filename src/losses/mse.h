// Mean squared error ("mse", aliases "square", "mean_squared_error"):
//   output (N,C,H,W), target (N,C,H,W)  ->  E = mean over all elements of (output - target)^2
// (= the batch mean of the per-sample mean, as Keras.)
#pragma once
#include "losses/loss.h"

namespace cnn {

class MeanSquaredError : public Loss {
 public:
  const char* type() const override { return "mse"; }
  float forward(const Tensor& output, const Tensor& target) override;
  void backward(const Tensor& output, const Tensor& target, Tensor& doutput) override;
  nlohmann::json config() const override;
  // With one-hot or 0/1 targets the outputs are read as probabilities.
  const char* output_kind() const override { return "probabilities"; }
};

}  // namespace cnn
