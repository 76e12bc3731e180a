#include "bricks/activations.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/fmath.h"
#include "kernels/kernels.h"

namespace cnn {

nlohmann::json Activation::config() const {
  return {{"type", type()}};
}

// ---- Sigmoid ----------------------------------------------------------------

void Sigmoid::forward(const Tensor& x, Tensor& y, Context&) {
  y.resize(x.shape());
  // Both branches exponentiate a non-positive number, so neither overflows.
  for (size_t i = 0; i < x.size(); ++i) {
    float v = x[i];
    if (v >= 0) {
      y[i] = 1.f / (1.f + fm::exp(-v));
    } else {
      float e = fm::exp(v);
      y[i] = e / (1.f + e);
    }
  }
}

// dy/dx = y (1 - y)
void Sigmoid::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  for (size_t i = 0; i < x.size(); ++i) dx[i] = dy[i] * y[i] * (1.f - y[i]);
}

// ---- Tanh -------------------------------------------------------------------

void Tanh::forward(const Tensor& x, Tensor& y, Context&) {
  y.resize(x.shape());
  for (size_t i = 0; i < x.size(); ++i) y[i] = fm::tanh(x[i]);
}

// dy/dx = 1 - y^2
void Tanh::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  for (size_t i = 0; i < x.size(); ++i) dx[i] = dy[i] * (1.f - y[i] * y[i]);
}

// ---- ReLU -------------------------------------------------------------------

void ReLU::forward(const Tensor& x, Tensor& y, Context&) {
  y.resize(x.shape());
  kernels::relu_forward(x.size(), x.data(), y.data());
}

void ReLU::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  kernels::relu_backward(x.size(), x.data(), dy.data(), dx.data());
}

// ---- LeakyReLU --------------------------------------------------------------

LeakyReLU::LeakyReLU(Options options) : options_(options) {
  if (!std::isfinite(options_.slope))
    throw Error("leaky_relu: slope must be a finite number, got " + std::to_string(options_.slope));
}

void LeakyReLU::forward(const Tensor& x, Tensor& y, Context&) {
  y.resize(x.shape());
  const float slope = options_.slope;
  for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] > 0 ? x[i] : slope * x[i];
}

void LeakyReLU::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  const float slope = options_.slope;
  for (size_t i = 0; i < x.size(); ++i) dx[i] = x[i] > 0 ? dy[i] : slope * dy[i];
}

nlohmann::json LeakyReLU::config() const {
  return {{"type", type()}, {"slope", options_.slope}};
}

// ---- Ramp -------------------------------------------------------------------

void Ramp::forward(const Tensor& x, Tensor& y, Context&) {
  y.resize(x.shape());
  for (size_t i = 0; i < x.size(); ++i) y[i] = std::clamp(x[i], -1.f, 1.f);
}

void Ramp::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  for (size_t i = 0; i < x.size(); ++i) dx[i] = (x[i] > -1.f && x[i] < 1.f) ? dy[i] : 0.f;
}

}  // namespace cnn
