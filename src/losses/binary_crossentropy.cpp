#include "losses/binary_crossentropy.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/fmath.h"
#include "losses/probability.h"
#include "losses/targets.h"

namespace cnn {

// ---- on probabilities -------------------------------------------------------

float BinaryCrossentropy::forward(const Tensor& output, const Tensor& target) {
  loss_targets::require_same_shape(type(), output, target);
  loss_targets::require_unit_interval(type(), target);
  double sum = 0;
  for (size_t i = 0; i < output.size(); ++i) {
    const double p = clamp_probability(output[i]), t = target[i];
    sum -= t * fm::log(p) + (1 - t) * fm::log(1 - p);
  }
  return float(sum / double(output.size()));
}

// dE/dp = (p - t) / (p (1 - p)) / count, and 0 where p is clamped.
void BinaryCrossentropy::backward(const Tensor& output, const Tensor& target, Tensor& doutput) {
  loss_targets::require_same_shape(type(), output, target);
  doutput.resize(output.shape());
  const float inv_count = 1.f / float(output.size());
  for (size_t i = 0; i < output.size(); ++i) {
    const float p = output[i], t = target[i];
    doutput[i] = probability_clamped(p) ? 0.f : (p - t) / (p * (1.f - p)) * inv_count;
  }
}

nlohmann::json BinaryCrossentropy::config() const {
  return {{"type", type()}};
}

// ---- on logits --------------------------------------------------------------

// -(t log s(x) + (1-t) log(1-s(x))) = max(x, 0) - x t + log(1 + e^-|x|):
// the exponent is never positive, and log1p keeps precision when e^-|x| is tiny.
float BinaryCrossentropyLogits::forward(const Tensor& output, const Tensor& target) {
  loss_targets::require_same_shape(type(), output, target);
  loss_targets::require_unit_interval(type(), target);
  double sum = 0;
  for (size_t i = 0; i < output.size(); ++i) {
    const double x = output[i], t = target[i];
    sum += std::max(x, 0.0) - x * t + fm::log1p(fm::exp(-std::abs(x)));
  }
  return float(sum / double(output.size()));
}

// dE/dx = (sigmoid(x) - t) / count
void BinaryCrossentropyLogits::backward(const Tensor& output, const Tensor& target,
                                        Tensor& doutput) {
  loss_targets::require_same_shape(type(), output, target);
  doutput.resize(output.shape());
  const float inv_count = 1.f / float(output.size());
  for (size_t i = 0; i < output.size(); ++i) {
    const float x = output[i];
    const float e = fm::exp(-std::abs(x));  // sigmoid without overflow, as in bricks/activations
    const float s = x >= 0 ? 1.f / (1.f + e) : e / (1.f + e);
    doutput[i] = (s - target[i]) * inv_count;
  }
}

nlohmann::json BinaryCrossentropyLogits::config() const {
  return {{"type", type()}};
}

}  // namespace cnn
