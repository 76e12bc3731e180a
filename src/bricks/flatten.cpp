#include "bricks/flatten.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace cnn {

Shape Flatten::output_shape(const Shape& in) const {
  return {in.n, int(in.sample_size()), 1, 1};
}

void Flatten::forward(const Tensor& x, Tensor& y, Context&) {
  y.resize(output_shape(x.shape()));
  std::copy(x.data(), x.data() + x.size(), y.data());
}

void Flatten::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  dx.resize(x.shape());
  std::copy(dy.data(), dy.data() + dy.size(), dx.data());
}

nlohmann::json Flatten::config() const {
  return {{"type", type()}};
}

}  // namespace cnn
