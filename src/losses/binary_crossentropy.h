// Binary cross-entropy, one independent yes/no per output element:
//   output (N,C,H,W), target (N,C,H,W) with values in [0, 1]
//   E = mean over elements of -(t log p + (1 - t) log(1 - p))
// "binary_crossentropy" takes probabilities p (after a sigmoid);
// "binary_crossentropy_logits" takes logits x, p = sigmoid(x), in a form that
// never overflows and keeps its gradient (p - t) where the sigmoid saturates.
#pragma once
#include "losses/loss.h"

namespace cnn {

class BinaryCrossentropy : public Loss {
 public:
  const char* type() const override { return "binary_crossentropy"; }
  float forward(const Tensor& output, const Tensor& target) override;
  void backward(const Tensor& output, const Tensor& target, Tensor& doutput) override;
  nlohmann::json config() const override;
  const char* output_kind() const override { return "probabilities"; }
};

class BinaryCrossentropyLogits : public Loss {
 public:
  const char* type() const override { return "binary_crossentropy_logits"; }
  float forward(const Tensor& output, const Tensor& target) override;
  void backward(const Tensor& output, const Tensor& target, Tensor& doutput) override;
  nlohmann::json config() const override;
  const char* output_kind() const override { return "logits"; }
};

}  // namespace cnn
