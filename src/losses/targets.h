// Target checks shared by the losses. Every message names the loss and both
// shapes, e.g. "mse: target (32, 10) does not fit output (32, 1): expected (32, 1)".
#pragma once
#include "core/tensor.h"

namespace cnn::loss_targets {

// Target of the output's shape (MSE, binary losses).
void require_same_shape(const char* loss, const Tensor& output, const Tensor& target);

// Class-score losses: output (N,K,1,1); target either (N,K,1,1) rows (one-hot
// or probabilities) or (N,1,1,1) integer class indices in [0, K) (only when
// K > 1, otherwise the two forms coincide). Returns true for indices.
bool class_indices(const char* loss, const Tensor& output, const Tensor& target);

// Binary losses on probabilities: every target value in [0, 1].
void require_unit_interval(const char* loss, const Tensor& target);

// Margin losses: every target value in {-1, +1}, or 0 which means -1 (so {0,1}
// labels work too, as in Keras' hinge).
void require_signs(const char* loss, const Tensor& target);
inline float sign_of(float t) {
  return t > 0 ? 1.f : -1.f;
}

}  // namespace cnn::loss_targets
