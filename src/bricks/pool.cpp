#include "bricks/pool.h"

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"

namespace cnn {

// ---- shared window geometry -------------------------------------------------

WindowPool::WindowPool(Options options, const char* type) : options_(options) {
  if (options_.size < 1)
    throw Error(std::string(type) + ": size must be >= 1, got " + std::to_string(options_.size));
  if (options_.stride < 0)
    throw Error(std::string(type) + ": stride must be >= 1 (or 0 for stride = size), got " +
                std::to_string(options_.stride));
  if (options_.stride == 0) options_.stride = options_.size;
}

Shape WindowPool::output_shape(const Shape& in) const {
  const int k = options_.size;
  if (k > in.h || k > in.w)
    throw Error(std::string(type()) + ": window " + std::to_string(k) + "x" + std::to_string(k) +
                " larger than input " + std::to_string(in.h) + "x" + std::to_string(in.w));
  kernels::PoolShape s = pool_shape(in);
  return {in.n, in.c, s.oh(), s.ow()};
}

kernels::PoolShape WindowPool::pool_shape(const Shape& in) const {
  kernels::PoolShape s;
  s.n = in.n, s.c = in.c, s.h = in.h, s.w = in.w;
  s.size = options_.size, s.stride = options_.stride;
  return s;
}

nlohmann::json WindowPool::config() const {
  return {{"type", type()}, {"size", options_.size}, {"stride", options_.stride}};
}

// ---- MaxPool2D --------------------------------------------------------------

void MaxPool2D::forward(const Tensor& x, Tensor& y, Context&) {
  y.resize(output_shape(x.shape()));
  argmax_.resize(y.size());
  kernels::maxpool2d_forward(pool_shape(x.shape()), x.data(), y.data(), argmax_.data());
}

// The gradient goes to the one input each max came from (first one on ties).
void MaxPool2D::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  kernels::maxpool2d_backward(pool_shape(x.shape()), dy.data(), argmax_.data(), dx.data());
}

// ---- AvgPool2D --------------------------------------------------------------

void AvgPool2D::forward(const Tensor& x, Tensor& y, Context&) {
  y.resize(output_shape(x.shape()));
  kernels::avgpool2d_forward(pool_shape(x.shape()), x.data(), y.data());
}

// Each input receives dy / size^2 from every window that contains it.
void AvgPool2D::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  kernels::avgpool2d_backward(pool_shape(x.shape()), dy.data(), dx.data());
}

// ---- GlobalAvgPool ----------------------------------------------------------

Shape GlobalAvgPool::output_shape(const Shape& in) const {
  return {in.n, in.c, 1, 1};
}

// Plain loops: one pass over the input, not worth a kernel.
void GlobalAvgPool::forward(const Tensor& x, Tensor& y, Context&) {
  const Shape s = x.shape();
  y.resize(output_shape(s));
  const size_t plane = s.plane();
  for (size_t nc = 0; nc < size_t(s.n) * s.c; ++nc) {
    const float* p = x.data() + nc * plane;
    double sum = 0;  // double: a 224x224 plane sums 50k terms
    for (size_t i = 0; i < plane; ++i) sum += p[i];
    y[nc] = float(sum / double(plane));
  }
}

void GlobalAvgPool::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  const Shape s = x.shape();
  dx.resize(s);
  const size_t plane = s.plane();
  const float inv = 1.f / float(plane);
  for (size_t nc = 0; nc < size_t(s.n) * s.c; ++nc) {
    float g = dy[nc] * inv;
    float* p = dx.data() + nc * plane;
    for (size_t i = 0; i < plane; ++i) p[i] = g;
  }
}

nlohmann::json GlobalAvgPool::config() const {
  return {{"type", type()}};
}

}  // namespace cnn
