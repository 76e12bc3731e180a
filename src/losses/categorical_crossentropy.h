// Categorical cross-entropy over K classes per sample:
//   output (N,K,1,1); target (N,K,1,1) one-hot rows (or class probabilities),
//   or (N,1,1,1) class indices (Keras' "sparse" form)
//   E = mean over samples of -sum_k t_k log p_k    (= -log p_label for indices)
// "categorical_crossentropy" takes probabilities p (after a Softmax brick),
// clamped as losses/probability.h explains; rows are not renormalised.
// "softmax_crossentropy" (alias "log_softmax") takes logits x and computes
// log p = x - logsumexp(x) itself: exact where a softmax would saturate, and
// its gradient is simply softmax(x) - t.
#pragma once
#include "losses/loss.h"

namespace cnn {

class CategoricalCrossentropy : public Loss {
 public:
  const char* type() const override { return "categorical_crossentropy"; }
  float forward(const Tensor& output, const Tensor& target) override;
  void backward(const Tensor& output, const Tensor& target, Tensor& doutput) override;
  nlohmann::json config() const override;
  const char* output_kind() const override { return "probabilities"; }
};

class SoftmaxCrossentropy : public Loss {
 public:
  const char* type() const override { return "softmax_crossentropy"; }
  float forward(const Tensor& output, const Tensor& target) override;
  void backward(const Tensor& output, const Tensor& target, Tensor& doutput) override;
  nlohmann::json config() const override;
  const char* output_kind() const override { return "logits"; }
};

}  // namespace cnn
