#include "bricks/add.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace cnn {

Shape Add::output_shape(const std::vector<Shape>& in) const {
  if (in.empty()) throw Error("add: needs at least one input");
  for (size_t i = 1; i < in.size(); ++i)
    if (in[i].with_batch(1) != in[0].with_batch(1))
      throw Error("add: input " + std::to_string(i + 1) + " is " + in[i].sample_str() +
                  " but input 1 is " + in[0].sample_str() + " (all must match)");
  return in[0];
}

// Plain loops: one pass over memory, bound by bandwidth, not worth a kernel.
void Add::forward(const std::vector<const Tensor*>& xs, Tensor& y, Context&) {
  if (xs.empty()) throw Error("add: needs at least one input");
  for (size_t i = 1; i < xs.size(); ++i)
    if (xs[i]->shape() != xs[0]->shape())
      throw Error("add: input " + std::to_string(i + 1) + " is " + xs[i]->shape().str() +
                  " but input 1 is " + xs[0]->shape().str());
  y.resize(xs[0]->shape());
  const size_t n = y.size();
  std::copy(xs[0]->data(), xs[0]->data() + n, y.data());
  for (size_t i = 1; i < xs.size(); ++i) {
    const float* x = xs[i]->data();
    float* out = y.data();
    for (size_t j = 0; j < n; ++j) out[j] += x[j];
  }
}

void Add::backward(const std::vector<const Tensor*>& xs, const Tensor&, const Tensor& dy,
                   const std::vector<Tensor*>& dxs) {
  for (size_t i = 0; i < xs.size(); ++i) {
    dxs[i]->resize(xs[i]->shape());
    std::copy(dy.data(), dy.data() + dy.size(), dxs[i]->data());
  }
}

nlohmann::json Add::config() const {
  return {{"type", type()}};
}

}  // namespace cnn
