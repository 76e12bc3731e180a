#include "losses/hinge.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "losses/targets.h"

namespace cnn {

namespace {
void check_margin(const char* loss, float margin) {
  if (!(margin > 0.f) || !std::isfinite(margin))
    throw Error(std::string(loss) + ": margin must be a positive number, got " +
                std::to_string(margin));
}
}  // namespace

// ---- binary hinge -----------------------------------------------------------

Hinge::Hinge(Options options) : options_(options) {
  check_margin("hinge", options_.margin);
}

float Hinge::forward(const Tensor& output, const Tensor& target) {
  loss_targets::require_same_shape(type(), output, target);
  loss_targets::require_signs(type(), target);
  double sum = 0;
  for (size_t i = 0; i < output.size(); ++i)
    sum += std::max(0.f, options_.margin - loss_targets::sign_of(target[i]) * output[i]);
  return float(sum / double(output.size()));
}

// dE/dx = -c / count inside the margin, 0 beyond it (and exactly on it).
void Hinge::backward(const Tensor& output, const Tensor& target, Tensor& doutput) {
  loss_targets::require_same_shape(type(), output, target);
  loss_targets::require_signs(type(), target);
  doutput.resize(output.shape());
  const float inv_count = 1.f / float(output.size());
  for (size_t i = 0; i < output.size(); ++i) {
    const float c = loss_targets::sign_of(target[i]);
    doutput[i] = options_.margin - c * output[i] > 0 ? -c * inv_count : 0.f;
  }
}

nlohmann::json Hinge::config() const {
  return {{"type", type()}, {"margin", options_.margin}};
}

// ---- multi-class (Weston-Watkins) -------------------------------------------

MaxMargin::MaxMargin(Options options) : options_(options) {
  check_margin("max_margin", options_.margin);
}

int MaxMargin::label(const Tensor& target, bool indices, int n) const {
  if (indices) return int(target[n]);
  const int k = target.shape().c;
  const float* t = target.sample(n);
  int label = -1, ones = 0;
  for (int j = 0; j < k; ++j) {
    if (t[j] == 1.f)
      label = j, ++ones;
    else if (t[j] != 0.f)
      ones = -1000;  // not 0/1: fails below
  }
  if (ones != 1)
    throw Error(std::string(type()) + ": target row of sample " + std::to_string(n) +
                " is not one-hot (a margin loss needs one true class per sample)");
  return label;
}

float MaxMargin::forward(const Tensor& output, const Tensor& target) {
  const bool indices = loss_targets::class_indices(type(), output, target);
  const int n = output.shape().n, k = output.shape().c;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const int y = label(target, indices, i);
    const float* x = output.sample(i);
    for (int j = 0; j < k; ++j)
      if (j != y) sum += std::max(0.f, options_.margin + x[j] - x[y]);
  }
  return float(sum / n);
}

// Each violating wrong class j adds 1/N to dx_j and takes 1/N from dx_y.
void MaxMargin::backward(const Tensor& output, const Tensor& target, Tensor& doutput) {
  const bool indices = loss_targets::class_indices(type(), output, target);
  const int n = output.shape().n, k = output.shape().c;
  doutput.resize(output.shape());
  const float inv_n = 1.f / float(n);
  for (int i = 0; i < n; ++i) {
    const int y = label(target, indices, i);
    const float* x = output.sample(i);
    float* d = doutput.sample(i);
    d[y] = 0.f;
    for (int j = 0; j < k; ++j) {
      if (j == y) continue;
      const bool violated = options_.margin + x[j] - x[y] > 0;
      d[j] = violated ? inv_n : 0.f;
      if (violated) d[y] -= inv_n;
    }
  }
}

nlohmann::json MaxMargin::config() const {
  return {{"type", type()}, {"margin", options_.margin}};
}

}  // namespace cnn
