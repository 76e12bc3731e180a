#include "bricks/zero_pad.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace cnn {

ZeroPad2D::ZeroPad2D(Options options) : options_(options) {
  const Options& o = options_;
  if (o.top < 0 || o.bottom < 0 || o.left < 0 || o.right < 0)
    throw Error("zero_pad2d: padding must be >= 0, got top " + std::to_string(o.top) + ", bottom " +
                std::to_string(o.bottom) + ", left " + std::to_string(o.left) + ", right " +
                std::to_string(o.right));
}

Shape ZeroPad2D::output_shape(const Shape& in) const {
  const Options& o = options_;
  return {in.n, in.c, in.h + o.top + o.bottom, in.w + o.left + o.right};
}

// Row by row: the zero border, then a copy of each input row.
void ZeroPad2D::forward(const Tensor& x, Tensor& y, Context&) {
  const Shape s = x.shape(), t = output_shape(s);
  y.resize(t);
  std::fill(y.data(), y.data() + y.size(), 0.f);
  for (size_t nc = 0; nc < size_t(s.n) * s.c; ++nc)
    for (int r = 0; r < s.h; ++r) {
      const float* src = x.data() + (nc * s.h + r) * s.w;
      float* dst = y.data() + (nc * t.h + r + options_.top) * t.w + options_.left;
      std::copy(src, src + s.w, dst);
    }
}

void ZeroPad2D::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  const Shape s = x.shape(), t = output_shape(s);
  dx.resize(s);
  for (size_t nc = 0; nc < size_t(s.n) * s.c; ++nc)
    for (int r = 0; r < s.h; ++r) {
      const float* src = dy.data() + (nc * t.h + r + options_.top) * t.w + options_.left;
      std::copy(src, src + s.w, dx.data() + (nc * s.h + r) * s.w);
    }
}

nlohmann::json ZeroPad2D::config() const {
  const Options& o = options_;
  return {
      {"type", type()}, {"top", o.top}, {"bottom", o.bottom}, {"left", o.left}, {"right", o.right}};
}

}  // namespace cnn
