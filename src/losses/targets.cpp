#include "losses/targets.h"

#include <cmath>
#include <string>

#include "core/error.h"

namespace cnn::loss_targets {

namespace {
std::string num(float v) {
  std::string s = std::to_string(v);
  // "0.500000" -> "0.5"
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
  }
  return s;
}
}  // namespace

void require_same_shape(const char* loss, const Tensor& output, const Tensor& target) {
  if (target.shape() != output.shape())
    throw Error(std::string(loss) + ": target " + target.shape().str() + " does not fit output " +
                output.shape().str() + ": expected " + output.shape().str());
}

bool class_indices(const char* loss, const Tensor& output, const Tensor& target) {
  const Shape o = output.shape(), t = target.shape();
  if (o.h != 1 || o.w != 1)
    throw Error(std::string(loss) + ": output must be class scores (N, K), got " + o.str());
  if (t == o) return false;
  const Shape labels{o.n, 1, 1, 1};
  if (t != labels || o.c == 1)
    throw Error(std::string(loss) + ": target " + t.str() + " does not fit output " + o.str() +
                ": expected " + o.str() + " (one row per sample) or " + labels.str() +
                " (class indices)");
  for (int n = 0; n < o.n; ++n) {
    const float v = target[n];
    if (v != std::floor(v) || v < 0 || v >= float(o.c))
      throw Error(std::string(loss) + ": label " + num(v) + " of sample " + std::to_string(n) +
                  " is not a class index 0.." + std::to_string(o.c - 1));
  }
  return true;
}

void require_unit_interval(const char* loss, const Tensor& target) {
  for (size_t i = 0; i < target.size(); ++i)
    if (!(target[i] >= 0.f && target[i] <= 1.f))
      throw Error(std::string(loss) + ": target values must be in [0, 1], found " + num(target[i]) +
                  " at index " + std::to_string(i) +
                  " (for -1/+1 labels use \"hinge\" or \"logistic\")");
}

void require_signs(const char* loss, const Tensor& target) {
  for (size_t i = 0; i < target.size(); ++i) {
    const float t = target[i];
    if (t != 1.f && t != -1.f && t != 0.f)
      throw Error(std::string(loss) + ": target values must be -1 or +1 (0 counts as -1), found " +
                  num(t) + " at index " + std::to_string(i));
  }
}

}  // namespace cnn::loss_targets
