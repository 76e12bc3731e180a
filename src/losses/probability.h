// Probabilities fed to a log are clamped to [kMinProbability, 1 - kMinProbability]
// (Keras' epsilon 1e-7). Why: a saturated sigmoid or softmax outputs exactly 0
// or 1 in float, and log(0) = -inf would turn the loss, and through 1/p every
// gradient, into inf/NaN and wreck the weights in one step. Clamped, a
// confidently wrong output costs at most -log(1e-7) ~ 16.1. The clamp is flat
// outside the range, so the gradient there is 0, as in Keras; the *_logits
// losses do not have this blind spot.
#pragma once
#include <algorithm>

namespace cnn {

constexpr float kMinProbability = 1e-7f;

inline float clamp_probability(float p) {
  return std::clamp(p, kMinProbability, 1.f - kMinProbability);
}
// True where the clamp is flat (its derivative is 0).
inline bool probability_clamped(float p) {
  return !(p > kMinProbability && p < 1.f - kMinProbability);
}

}  // namespace cnn
