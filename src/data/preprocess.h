// Maps raw pixels (0..255) to model inputs. The mode and its statistics are
// part of a trained model (saved with it as JSON), because a model only works
// on inputs prepared the way its training inputs were.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.h"
#include "data/dataset.h"

namespace cnn {

struct Preprocessing {
  enum class Mode {
    kNone,          // x
    kScale01,       // x / 255
    kScaleSigned,   // x / 127.5 - 1, in [-1, 1]
    kStandardize,   // (x / 255 - mean_c) / std_c, per channel, stats from the training set
    kMeanSubtract,  // x / 255 - mean_c
  };
  Mode mode = Mode::kScale01;
  std::vector<float> mean, std;  // per channel, in 0..1 units (empty when the mode needs none)

  // A preprocessing for `mode`; computes the per-channel statistics from
  // `train` where the mode needs them.
  static Preprocessing fit(Mode mode, const Dataset& train);
  // In place: raw 0..255 -> model input. Throws Error when the statistics
  // have another channel count than x.
  void apply(Tensor& x) const;
  // In place: model input -> raw pixels, the inverse of apply(), rounded to
  // whole numbers and clamped to 0..255 (raw pixels are bytes). For showing
  // samples, and for preprocessing them another way without a raw copy.
  void unapply(Tensor& x) const;

  nlohmann::json to_json() const;
  static Preprocessing from_json(const nlohmann::json& j);  // throws Error when malformed

  // "none", "scale01", "scale-1-1" (or "signed"), "standardize", "mean";
  // the error for anything else lists the choices.
  static Mode parse_mode(const std::string& name);
  static std::string mode_name(Mode mode);  // the first spelling above
};

}  // namespace cnn
