#include "bricks/softmax.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/fmath.h"

namespace cnn {

// Channels of one pixel are plane() floats apart in NCHW.
void Softmax::forward(const Tensor& x, Tensor& y, Context&) {
  y.resize(x.shape());
  const Shape s = x.shape();
  const size_t plane = s.plane();
  for (int n = 0; n < s.n; ++n) {
    const float* xs = x.sample(n);
    float* ys = y.sample(n);
    for (size_t p = 0; p < plane; ++p) {
      // Subtracting the max makes every exponent <= 0: no overflow, and the
      // largest term is exactly 1, so the sum is >= 1 (no division by 0).
      float max = xs[p];
      for (int c = 1; c < s.c; ++c) max = std::max(max, xs[c * plane + p]);
      float sum = 0.f;
      for (int c = 0; c < s.c; ++c) {
        float e = fm::exp(xs[c * plane + p] - max);
        ys[c * plane + p] = e;
        sum += e;
      }
      const float inv = 1.f / sum;
      for (int c = 0; c < s.c; ++c) ys[c * plane + p] *= inv;
    }
  }
}

// dx_c = y_c (dy_c - sum_j dy_j y_j)   (the Jacobian diag(y) - y y^T applied to dy)
void Softmax::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  const Shape s = x.shape();
  const size_t plane = s.plane();
  for (int n = 0; n < s.n; ++n) {
    const float* ys = y.sample(n);
    const float* dys = dy.sample(n);
    float* dxs = dx.sample(n);
    for (size_t p = 0; p < plane; ++p) {
      float dot = 0.f;
      for (int c = 0; c < s.c; ++c) dot += dys[c * plane + p] * ys[c * plane + p];
      for (int c = 0; c < s.c; ++c)
        dxs[c * plane + p] = ys[c * plane + p] * (dys[c * plane + p] - dot);
    }
  }
}

nlohmann::json Softmax::config() const {
  return {{"type", type()}};
}

}  // namespace cnn
