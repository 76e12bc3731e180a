#include "lab/live_augmentation.h"

namespace cnn::lab {

Augmentation LiveAugmentation::get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return value_;
}

void LiveAugmentation::set(const Augmentation& a) {
  std::lock_guard<std::mutex> lock(mutex_);
  value_ = a;
}

std::function<void(Tensor&, Rng&)> LiveAugmentation::hook() {
  return [this](Tensor& batch, Rng& rng) {
    const Augmentation a = get();
    if (!a.any()) return;
    a.apply(batch, rng);
    ++batches_;
  };
}

}  // namespace cnn::lab
