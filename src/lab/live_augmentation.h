// The augmentation set in the Data panel, as every training batch gets it.
#pragma once
#include <atomic>
#include <functional>
#include <mutex>

#include "core/rng.h"
#include "core/tensor.h"
#include "data/augment.h"

namespace cnn::lab {

// Applied to every training batch through the session's augment hook. The
// trainer may run on another thread than the panel that edits the settings,
// so each batch takes a copy under a lock: edits apply from the next batch.
class LiveAugmentation {
 public:
  Augmentation get() const;
  void set(const Augmentation& a);
  // For FitOptions::augment (via Session::augment). Counts the batches it
  // changed, so tests can see augmentation reach training.
  std::function<void(Tensor& batch, Rng& rng)> hook();
  long batches_augmented() const { return batches_; }

 private:
  mutable std::mutex mutex_;
  Augmentation value_;
  std::atomic<long> batches_{0};
};

}  // namespace cnn::lab
