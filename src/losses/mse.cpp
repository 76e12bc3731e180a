#include "losses/mse.h"

#include <nlohmann/json.hpp>

#include "losses/targets.h"

namespace cnn {

float MeanSquaredError::forward(const Tensor& output, const Tensor& target) {
  loss_targets::require_same_shape(type(), output, target);
  double sum = 0;
  for (size_t i = 0; i < output.size(); ++i) {
    const double d = double(output[i]) - target[i];
    sum += d * d;
  }
  return float(sum / double(output.size()));
}

// dE/doutput = 2 (output - target) / count
void MeanSquaredError::backward(const Tensor& output, const Tensor& target, Tensor& doutput) {
  loss_targets::require_same_shape(type(), output, target);
  doutput.resize(output.shape());
  const float k = 2.f / float(output.size());
  for (size_t i = 0; i < output.size(); ++i) doutput[i] = k * (output[i] - target[i]);
}

nlohmann::json MeanSquaredError::config() const {
  return {{"type", type()}};
}

}  // namespace cnn
