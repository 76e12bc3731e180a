// Logistic loss on a signed score x with labels c in {-1, +1} (0 counts as -1):
//   output (N,C,H,W), target (N,C,H,W)
//   E = mean over elements of log(1 + e^(-c x))
// It is binary cross-entropy on logits with t = (c + 1) / 2, for -1/+1 labels.
#pragma once
#include "losses/loss.h"

namespace cnn {

class Logistic : public Loss {
 public:
  const char* type() const override { return "logistic"; }
  float forward(const Tensor& output, const Tensor& target) override;
  void backward(const Tensor& output, const Tensor& target, Tensor& doutput) override;
  nlohmann::json config() const override;
  const char* output_kind() const override { return "signed"; }
};

}  // namespace cnn
