#include "bricks/dropout.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace cnn {

Dropout::Dropout(Options options) : options_(options) {
  if (!(options_.rate >= 0.f && options_.rate < 1.f))
    throw Error("dropout: rate must be in [0, 1), got " + std::to_string(options_.rate));
}

void Dropout::forward(const Tensor& x, Tensor& y, Context& ctx) {
  y.resize(x.shape());
  if (!ctx.training()) {
    mask_.clear();
    for (size_t i = 0; i < x.size(); ++i) y[i] = x[i];
    return;
  }
  if (!ctx.rng) throw Error("dropout: training mode needs a random generator (Context::rng)");
  const float keep = 1.f - options_.rate;
  const float scale = 1.f / keep;
  mask_.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    mask_[i] = ctx.rng->uniform() < keep ? scale : 0.f;
    y[i] = x[i] * mask_[i];
  }
}

void Dropout::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  if (mask_.empty()) {
    for (size_t i = 0; i < x.size(); ++i) dx[i] = dy[i];
    return;
  }
  for (size_t i = 0; i < x.size(); ++i) dx[i] = dy[i] * mask_[i];
}

nlohmann::json Dropout::config() const {
  return {{"type", type()}, {"rate", options_.rate}};
}

}  // namespace cnn
