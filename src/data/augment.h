// Random training-time augmentation of a batch that is already preprocessed
// (model-input units). Every random choice comes from the caller's Rng, in a
// fixed order per image, so a seeded run repeats exactly in both builds.
#pragma once
#include <nlohmann/json.hpp>

#include "core/rng.h"
#include "core/tensor.h"

namespace cnn {

struct Augmentation {
  bool hflip = false;      // mirror left-right with probability 0.5
  int crop_pad = 0;        // pad by this many zeros per side, then crop a random HxW window
  int translate = 0;       // shift by up to +-translate pixels in y and x, zero fill
  float brightness = 0.f;  // add a random offset in [-brightness, brightness]
  float contrast = 0.f;    // scale around the image mean by a factor in [1-contrast, 1+contrast]

  bool any() const;
  // In place on batch (N, C, H, W); each image draws its own random choices.
  // "Zero" fill is 0 in model-input units (the mean, after standardisation).
  void apply(Tensor& batch, Rng& rng) const;

  nlohmann::json to_json() const;
  static Augmentation from_json(const nlohmann::json& j);  // throws Error when malformed
};

}  // namespace cnn
