// Margin losses.
//
// "hinge": binary, labels c in {-1, +1} (0 counts as -1):
//   output (N,C,H,W), target (N,C,H,W)
//   E = mean over elements of max(0, margin - c x)
//
// "max_margin" (alias "multiclass_hinge"): K classes, the Weston-Watkins form
//   output (N,K,1,1); target one-hot (N,K,1,1) or class indices (N,1,1,1)
//   E = mean over samples of sum_{j != y} max(0, margin + x_j - x_y)
// Why Weston-Watkins (a sum over the wrong classes) rather than Crammer-Singer
// (only the worst wrong class): every violating class gets a gradient, not
// just the top one, which trains faster from random init; it is the multi-class
// SVM loss of CS231n, and PyTorch's multi_margin_loss times K (PyTorch divides
// the sum by the number of classes; we sum, as categorical losses do here).
#pragma once
#include "losses/loss.h"

namespace cnn {

struct MarginOptions {
  float margin = 1.f;
};

class Hinge : public Loss {
 public:
  using Options = MarginOptions;
  explicit Hinge(Options options = {});
  const char* type() const override { return "hinge"; }
  float forward(const Tensor& output, const Tensor& target) override;
  void backward(const Tensor& output, const Tensor& target, Tensor& doutput) override;
  nlohmann::json config() const override;
  const char* output_kind() const override { return "signed"; }

 private:
  Options options_;
};

class MaxMargin : public Loss {
 public:
  using Options = MarginOptions;
  explicit MaxMargin(Options options = {});
  const char* type() const override { return "max_margin"; }
  float forward(const Tensor& output, const Tensor& target) override;
  void backward(const Tensor& output, const Tensor& target, Tensor& doutput) override;
  nlohmann::json config() const override;
  const char* output_kind() const override { return "logits"; }

 private:
  // The class of sample n; throws unless a target row is exactly one-hot.
  int label(const Tensor& target, bool indices, int n) const;
  Options options_;
};

}  // namespace cnn
