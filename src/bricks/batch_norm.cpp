#include "bricks/batch_norm.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace cnn {

BatchNorm::BatchNorm(Options options) : options_(options) {
  if (!(options_.momentum >= 0.f && options_.momentum <= 1.f))
    throw Error("batchnorm: momentum must be in [0, 1], got " + std::to_string(options_.momentum));
  if (!(options_.eps > 0.f))
    throw Error("batchnorm: eps must be > 0, got " + std::to_string(options_.eps));
}

Shape BatchNorm::output_shape(const Shape& in) const {
  if (channels_ && in.c != channels_)
    throw Error("batchnorm: built for " + std::to_string(channels_) + " channels, got input " +
                in.str());
  return in;
}

void BatchNorm::build(const Shape& in, Rng&) {
  channels_ = in.c;
  const Shape s{1, in.c, 1, 1};
  gamma_.value = Tensor(s, 1.f);
  gamma_.grad = Tensor(s);
  beta_.value = Tensor(s, 0.f);
  beta_.grad = Tensor(s);
  running_mean_ = Tensor(s, 0.f);
  running_var_ = Tensor(s, 1.f);
}

void BatchNorm::forward(const Tensor& x, Tensor& y, Context& ctx) {
  if (!channels_) throw Error("batchnorm: forward() before build()");
  const Shape s = output_shape(x.shape());
  y.resize(s);
  const size_t plane = s.plane();
  const size_t m = size_t(s.n) * plane;  // values per channel
  mean_.resize(s.c);
  inv_std_.resize(s.c);
  used_batch_stats_ = ctx.training();
  for (int c = 0; c < s.c; ++c) {
    auto channel = [&](const Tensor& t, int n) { return t.data() + (size_t(n) * s.c + c) * plane; };
    float mean, var;
    if (used_batch_stats_) {
      // Two passes in double: the one-pass E[x^2] - E[x]^2 cancels badly
      // when |mean| >> std.
      double sum = 0, sq = 0;
      for (int n = 0; n < s.n; ++n)
        for (size_t i = 0; i < plane; ++i) sum += channel(x, n)[i];
      const double mu = sum / double(m);
      for (int n = 0; n < s.n; ++n) {
        const float* xc = channel(x, n);
        for (size_t i = 0; i < plane; ++i) sq += (xc[i] - mu) * (xc[i] - mu);
      }
      mean = float(mu);
      var = float(sq / double(m));
      const float k = options_.momentum;
      running_mean_[c] = k * running_mean_[c] + (1 - k) * mean;
      // A single value per channel has no unbiased variance: the running
      // variance then keeps its value (PyTorch refuses such a batch).
      if (m > 1) running_var_[c] = k * running_var_[c] + (1 - k) * float(sq / double(m - 1));
    } else {
      mean = running_mean_[c];
      var = running_var_[c];
    }
    mean_[c] = mean;
    inv_std_[c] = 1.f / std::sqrt(var + options_.eps);
    // (x - mean) first: folding the mean into the shift (x * scale + shift)
    // would cancel catastrophically when |mean| >> std.
    const float scale = gamma_.value[c] * inv_std_[c], shift = beta_.value[c];
    for (int n = 0; n < s.n; ++n) {
      const float* xc = channel(x, n);
      float* yc = y.data() + (size_t(n) * s.c + c) * plane;
      for (size_t i = 0; i < plane; ++i) yc[i] = (xc[i] - mean) * scale + shift;
    }
  }
}

// With xhat = (x - mean) * inv_std and sums over the channel's M values:
//   dgamma += sum(dy * xhat), dbeta += sum(dy)
//   batch stats:   dx = gamma * inv_std / M * (M dy - sum(dy) - xhat * sum(dy * xhat))
//                  (mean and var depend on x, hence the two correction terms)
//   running stats: dx = gamma * inv_std * dy   (mean and var are constants)
void BatchNorm::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  const Shape s = x.shape();
  dx.resize(s);
  const size_t plane = s.plane();
  const float m = float(size_t(s.n) * plane);
  for (int c = 0; c < s.c; ++c) {
    auto at = [&](int n) { return (size_t(n) * s.c + c) * plane; };
    const float mean = mean_[c], inv_std = inv_std_[c];
    double sum_dy = 0, sum_dy_xhat = 0;
    for (int n = 0; n < s.n; ++n)
      for (size_t i = 0; i < plane; ++i) {
        sum_dy += dy[at(n) + i];
        sum_dy_xhat += dy[at(n) + i] * (x[at(n) + i] - mean) * inv_std;
      }
    if (trainable) {
      gamma_.grad[c] += float(sum_dy_xhat);
      beta_.grad[c] += float(sum_dy);
    }
    const float g = gamma_.value[c] * inv_std;
    if (!used_batch_stats_) {
      for (int n = 0; n < s.n; ++n)
        for (size_t i = 0; i < plane; ++i) dx[at(n) + i] = g * dy[at(n) + i];
      continue;
    }
    const float a = float(sum_dy) / m, b = float(sum_dy_xhat) / m;
    for (int n = 0; n < s.n; ++n)
      for (size_t i = 0; i < plane; ++i) {
        const float xhat = (x[at(n) + i] - mean) * inv_std;
        dx[at(n) + i] = g * (dy[at(n) + i] - a - xhat * b);
      }
  }
}

std::vector<Param*> BatchNorm::params() {
  if (!channels_) return {};
  return {&gamma_, &beta_};
}

std::vector<Buffer> BatchNorm::buffers() {
  if (!channels_) return {};
  return {{"running_mean", &running_mean_}, {"running_var", &running_var_}};
}

nlohmann::json BatchNorm::config() const {
  return {{"type", type()}, {"momentum", options_.momentum}, {"eps", options_.eps}};
}

}  // namespace cnn
