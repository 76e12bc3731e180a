#include "losses/categorical_crossentropy.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/fmath.h"
#include "losses/probability.h"
#include "losses/targets.h"

namespace cnn {

// ---- on probabilities -------------------------------------------------------

float CategoricalCrossentropy::forward(const Tensor& output, const Tensor& target) {
  const bool indices = loss_targets::class_indices(type(), output, target);
  const int n = output.shape().n, k = output.shape().c;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const float* p = output.sample(i);
    if (indices) {
      sum -= fm::log(double(clamp_probability(p[int(target[i])])));
      continue;
    }
    const float* t = target.sample(i);
    for (int j = 0; j < k; ++j)
      if (t[j] != 0) sum -= t[j] * fm::log(double(clamp_probability(p[j])));
  }
  return float(sum / n);
}

// dE/dp_k = -t_k / p_k / N, and 0 where p_k is clamped.
void CategoricalCrossentropy::backward(const Tensor& output, const Tensor& target,
                                       Tensor& doutput) {
  const bool indices = loss_targets::class_indices(type(), output, target);
  const int n = output.shape().n, k = output.shape().c;
  doutput.resize(output.shape());
  for (int i = 0; i < n; ++i) {
    const float* p = output.sample(i);
    float* d = doutput.sample(i);
    for (int j = 0; j < k; ++j) {
      const float t = indices ? float(j == int(target[i])) : target.sample(i)[j];
      d[j] = probability_clamped(p[j]) ? 0.f : -t / p[j] / float(n);
    }
  }
}

nlohmann::json CategoricalCrossentropy::config() const {
  return {{"type", type()}};
}

// ---- on logits --------------------------------------------------------------

namespace {
// log sum_k e^x_k, shifted by the max so no exponent is positive.
double log_sum_exp(const float* x, int k) {
  float max = x[0];
  for (int j = 1; j < k; ++j) max = std::max(max, x[j]);
  double sum = 0;
  for (int j = 0; j < k; ++j) sum += fm::exp(double(x[j]) - max);
  return max + fm::log(sum);
}
}  // namespace

// -sum_k t_k log softmax(x)_k = sum_k t_k (logsumexp(x) - x_k)
float SoftmaxCrossentropy::forward(const Tensor& output, const Tensor& target) {
  const bool indices = loss_targets::class_indices(type(), output, target);
  const int n = output.shape().n, k = output.shape().c;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const float* x = output.sample(i);
    const double lse = log_sum_exp(x, k);
    if (indices) {
      sum += lse - x[int(target[i])];
      continue;
    }
    const float* t = target.sample(i);
    for (int j = 0; j < k; ++j) sum += t[j] * (lse - x[j]);
  }
  return float(sum / n);
}

// dE/dx_k = (softmax(x)_k * sum_j t_j - t_k) / N   (sum_j t_j = 1 for one-hot rows)
void SoftmaxCrossentropy::backward(const Tensor& output, const Tensor& target, Tensor& doutput) {
  const bool indices = loss_targets::class_indices(type(), output, target);
  const int n = output.shape().n, k = output.shape().c;
  doutput.resize(output.shape());
  for (int i = 0; i < n; ++i) {
    const float* x = output.sample(i);
    float* d = doutput.sample(i);
    const double lse = log_sum_exp(x, k);
    float t_sum = 1.f;
    if (!indices) {
      t_sum = 0.f;
      for (int j = 0; j < k; ++j) t_sum += target.sample(i)[j];
    }
    for (int j = 0; j < k; ++j) {
      const float t = indices ? float(j == int(target[i])) : target.sample(i)[j];
      const float p = float(fm::exp(double(x[j]) - lse));
      d[j] = (p * t_sum - t) / float(n);
    }
  }
}

nlohmann::json SoftmaxCrossentropy::config() const {
  return {{"type", type()}};
}

}  // namespace cnn
