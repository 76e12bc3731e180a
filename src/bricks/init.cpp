#include "bricks/init.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace cnn {

Fans weight_fans(const Shape& weight) {
  int receptive = weight.h * weight.w;
  return {weight.c * receptive, weight.n * receptive};
}

const std::vector<std::string>& init_names() {
  static const std::vector<std::string> names = {"uniform",       "normal",     "glorot_uniform",
                                                 "glorot_normal", "he_uniform", "he_normal"};
  return names;
}

void check_init_name(const std::string& name, const std::string& owner) {
  const auto& names = init_names();
  if (std::find(names.begin(), names.end(), name) != names.end()) return;
  std::string valid;
  for (const std::string& n : names) valid += (valid.empty() ? "" : ", ") + n;
  throw Error(owner + ": unknown initialiser '" + name + "' (valid: " + valid + ")");
}

void init_weights(Tensor& w, const std::string& name, Fans fans, float init_scale, Rng& rng) {
  check_init_name(name, "init");
  bool uniform = name == "uniform" || name == "glorot_uniform" || name == "he_uniform";
  // scale is the bound b of U[-b,b] or the standard deviation of N(0, s^2).
  double scale = init_scale;
  if (name == "glorot_uniform") scale = std::sqrt(6.0 / (fans.in + fans.out));
  if (name == "glorot_normal") scale = std::sqrt(2.0 / (fans.in + fans.out));
  if (name == "he_uniform") scale = std::sqrt(6.0 / fans.in);
  if (name == "he_normal") scale = std::sqrt(2.0 / fans.in);
  if (!(scale > 0)) throw Error("init: scale must be positive, got " + std::to_string(scale));
  float s = float(scale);
  for (size_t i = 0; i < w.size(); ++i) w[i] = uniform ? rng.uniform(-s, s) : s * rng.normal();
}

}  // namespace cnn
