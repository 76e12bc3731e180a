#include "lab/evaluator.h"

#include <algorithm>
#include <cmath>

#include "model/metrics.h"
#include "model/trainer.h"

namespace cnn::lab {

double EvalResult::class_accuracy(int c) const {
  int total = 0;
  for (int p = 0; p < classes; ++p) total += count(c, p);
  return total ? double(count(c, c)) / total : std::nan("");
}

void Evaluator::start(const Tensor& x, const Tensor& y, int count, int classes) {
  x_ = &x;
  y_ = &y;
  count_ = std::min(count, x.shape().n);
  next_ = 0;
  partial_ = EvalResult{};
  partial_.classes = classes;
  partial_.confusion.assign(size_t(classes) * classes, 0);
}

bool Evaluator::step(Model& model, int chunk) {
  if (!x_) return false;
  const int count = std::min(chunk, count_ - next_);
  if (count > 0) {
    order_.resize(size_t(count));
    for (int i = 0; i < count; ++i) order_[size_t(i)] = next_ + i;
    gather_samples(*x_, order_, 0, count, bx_);
    gather_samples(*y_, order_, 0, count, by_);
    const Tensor& out = *model.forward(bx_, Mode::kInference)[0];
    const float loss = model.loss(0).forward(out, by_);
    partial_.loss += double(loss) * count;
    for (int i = 0; i < count; ++i) {
      const int truth = int(by_[size_t(i)]), predicted = predicted_class(out, i);
      if (truth >= 0 && truth < partial_.classes && predicted < partial_.classes)
        ++partial_.confusion[size_t(truth) * partial_.classes + predicted];
      partial_.accuracy += truth == predicted;
    }
    partial_.samples += count;
    next_ += count;
  }
  if (next_ < count_) return false;
  if (partial_.samples > 0) {
    partial_.loss /= partial_.samples;
    partial_.accuracy /= partial_.samples;
  }
  result_ = std::move(partial_);
  x_ = y_ = nullptr;
  return true;
}

}  // namespace cnn::lab
