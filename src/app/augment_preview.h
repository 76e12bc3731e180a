// The Data panel's live preview of augmented samples (AugmentPreview), and
// the one routine that turns model-input samples into screen pixels.
#pragma once
#include <cstdint>
#include <vector>

#include "core/rng.h"
#include "data/augment.h"
#include "data/dataset.h"
#include "data/preprocess.h"

namespace cnn::app {

// Paints samples (N, C, H, W) in model-input units into an RGBA atlas of
// `columns` images per row: back to raw pixels with `p`, so brightness and
// contrast changes show as they are (no per-image stretching). Grey images
// get the same value in R, G and B.
std::vector<uint8_t> samples_to_rgba(Tensor samples, const Preprocessing& p, int columns);

// A few training samples, each as it is and in kVariants random
// augmentations, redrawn every kRefreshSeconds so the randomness shows.
class AugmentPreview {
 public:
  static constexpr int kSamples = 5, kVariants = 5;
  static constexpr double kRefreshSeconds = 0.8;

  // Draws the preview kSamples rows high, `width` pixels wide.
  void draw(const Dataset& train, const Preprocessing& p, const Augmentation& a, float width);
  void* texture() const { return texture_; }

 private:
  void rebuild(const Dataset& train, const Preprocessing& p, const Augmentation& a);

  void* texture_ = nullptr;
  int texture_w_ = 0, texture_h_ = 0;
  double built_at_ = -1;
  const float* data_ = nullptr;  // train.x's storage when built (a new data set redraws)
  nlohmann::json settings_;      // the augmentation when built
  Rng rng_{12345};
};

}  // namespace cnn::app
