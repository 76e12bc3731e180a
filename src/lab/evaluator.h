// Evaluation in small pieces, so a full pass over the test set never stalls
// a frame: loss, accuracy, the confusion matrix and per-class accuracy of a
// single-output classifier, accumulated chunk by chunk.
#pragma once
#include <vector>

#include "model/model.h"

namespace cnn::lab {

struct EvalResult {
  int samples = 0;
  double loss = 0, accuracy = 0;
  int classes = 0;
  std::vector<int> confusion;  // classes x classes, row = true class, column = predicted
  int count(int truth, int predicted) const {
    return confusion[size_t(truth) * classes + predicted];
  }
  double class_accuracy(int c) const;  // NaN when the class has no samples
};

class Evaluator {
 public:
  // Evaluates samples [0, count) of x/y (count <= their size); x and y must
  // outlive the evaluation. Restarts if one is running.
  void start(const Tensor& x, const Tensor& y, int count, int classes);
  bool running() const { return x_ != nullptr; }
  // Evaluates up to `chunk` more samples; returns true when this call finished.
  bool step(Model& model, int chunk = 100);
  // The last finished evaluation.
  const EvalResult& result() const { return result_; }
  double fraction_done() const { return count_ ? double(next_) / count_ : 0.0; }

 private:
  const Tensor* x_ = nullptr;
  const Tensor* y_ = nullptr;
  int count_ = 0, next_ = 0;
  EvalResult partial_, result_;
  Tensor bx_, by_;
  std::vector<int> order_;
};

}  // namespace cnn::lab
