#include "style/smoothing.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace cnn {

namespace {
void check_temperature(float t, const char* what) {
  if (!(t > 0.f) || !std::isfinite(t))
    throw Error(std::string(what) + ": temperature must be > 0, got " + std::to_string(t));
}
}  // namespace

void spatial_softmax(const Tensor& x, float temperature, Tensor& y) {
  check_temperature(temperature, "spatial_softmax");
  const Shape s = x.shape();
  y.resize(s);
  const size_t plane = s.plane();
  const float inv_t = 1.f / temperature;
  for (size_t row = 0; row < size_t(s.n) * s.c; ++row) {
    const float* xr = x.data() + row * plane;
    float* yr = y.data() + row * plane;
    // Subtracting the max keeps every exponent <= 0 (no overflow) and makes
    // the largest term 1, so the sum is >= 1.
    const float max = *std::max_element(xr, xr + plane);
    double sum = 0;  // up to 10^5 positions: sum in double
    for (size_t p = 0; p < plane; ++p) {
      yr[p] = std::exp((xr[p] - max) * inv_t);
      sum += yr[p];
    }
    const float inv = float(1.0 / sum);
    for (size_t p = 0; p < plane; ++p) yr[p] *= inv;
  }
}

void spatial_softmax_backward(const Tensor& y, const Tensor& dy, float temperature, Tensor& dx) {
  check_temperature(temperature, "spatial_softmax_backward");
  const Shape s = y.shape();
  if (dy.shape() != s)
    throw Error("spatial_softmax_backward: dy is " + dy.shape().str() + ", y is " + s.str());
  dx.resize(s);
  const size_t plane = s.plane();
  const float inv_t = 1.f / temperature;
  for (size_t row = 0; row < size_t(s.n) * s.c; ++row) {
    const float* yr = y.data() + row * plane;
    const float* dyr = dy.data() + row * plane;
    float* dxr = dx.data() + row * plane;
    double dot = 0;
    for (size_t p = 0; p < plane; ++p) dot += double(dyr[p]) * yr[p];
    for (size_t p = 0; p < plane; ++p) dxr[p] = yr[p] * (dyr[p] - float(dot)) * inv_t;
  }
}

}  // namespace cnn
