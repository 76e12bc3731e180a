#include "losses/logistic.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/fmath.h"
#include "losses/targets.h"

namespace cnn {

// log(1 + e^z) = max(z, 0) + log1p(e^-|z|) with z = -c x: no overflow for
// large |x|, and log1p keeps the tiny loss of a confident right answer.
float Logistic::forward(const Tensor& output, const Tensor& target) {
  loss_targets::require_same_shape(type(), output, target);
  loss_targets::require_signs(type(), target);
  double sum = 0;
  for (size_t i = 0; i < output.size(); ++i) {
    const double z = -double(loss_targets::sign_of(target[i])) * output[i];
    sum += std::max(z, 0.0) + fm::log1p(fm::exp(-std::abs(z)));
  }
  return float(sum / double(output.size()));
}

// dE/dx = -c sigmoid(-c x) / count
void Logistic::backward(const Tensor& output, const Tensor& target, Tensor& doutput) {
  loss_targets::require_same_shape(type(), output, target);
  loss_targets::require_signs(type(), target);
  doutput.resize(output.shape());
  const float inv_count = 1.f / float(output.size());
  for (size_t i = 0; i < output.size(); ++i) {
    const float c = loss_targets::sign_of(target[i]), z = -c * output[i];
    const float e = fm::exp(-std::abs(z));
    const float s = z >= 0 ? 1.f / (1.f + e) : e / (1.f + e);  // sigmoid(z)
    doutput[i] = -c * s * inv_count;
  }
}

nlohmann::json Logistic::config() const {
  return {{"type", type()}};
}

}  // namespace cnn
