#include "bricks/dense.h"

#include <nlohmann/json.hpp>

#include "bricks/init.h"
#include "core/error.h"
#include "kernels/kernels.h"

namespace cnn {

Dense::Dense(Options options) : options_(std::move(options)) {
  if (options_.units < 1)
    throw Error("dense: units must be >= 1, got " + std::to_string(options_.units));
  check_init_name(options_.init, "dense");
}

Shape Dense::output_shape(const Shape& in) const {
  if (in_features_ && int(in.sample_size()) != in_features_)
    throw Error("dense: built for " + std::to_string(in_features_) + " input features, got input " +
                in.str() + " (" + std::to_string(in.sample_size()) + " features)");
  return {in.n, options_.units, 1, 1};
}

void Dense::build(const Shape& in, Rng& rng) {
  in_features_ = int(in.sample_size());
  const Shape ws{options_.units, in_features_, 1, 1};
  weight_.value = Tensor(ws);
  weight_.grad = Tensor(ws);
  init_weights(weight_.value, options_.init, weight_fans(ws), options_.init_scale, rng);
  if (options_.bias) {
    bias_.value = Tensor({1, options_.units, 1, 1});  // zeros, as Keras
    bias_.grad = Tensor({1, options_.units, 1, 1});
  }
}

// y (N, U) = x (N, F) * W^T (F, U) + b
void Dense::forward(const Tensor& x, Tensor& y, Context&) {
  if (!in_features_) throw Error("dense: forward() before build()");
  y.resize(output_shape(x.shape()));
  const int n = x.shape().n, f = in_features_, u = options_.units;
  kernels::gemm(false, true, n, u, f, x.data(), f, weight_.value.data(), f, y.data(), u, false);
  if (!options_.bias) return;
  const float* b = bias_.value.data();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < u; ++j) y[size_t(i) * u + j] += b[j];
}

// dx (N, F) = dy (N, U) * W (U, F);  dW (U, F) += dy^T (U, N) * x (N, F);  db += sum_n dy.
// A frozen brick skips its parameter gradients: nothing would read them.
void Dense::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  const int n = x.shape().n, f = in_features_, u = options_.units;
  if (need_input_grad) {
    dx.resize(x.shape());
    kernels::gemm(false, false, n, f, u, dy.data(), u, weight_.value.data(), f, dx.data(), f,
                  false);
  }
  if (!trainable) return;
  kernels::gemm(true, false, u, f, n, dy.data(), u, x.data(), f, weight_.grad.data(), f, true);
  if (!options_.bias) return;
  float* db = bias_.grad.data();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < u; ++j) db[j] += dy[size_t(i) * u + j];
}

std::vector<Param*> Dense::params() {
  if (!in_features_) return {};
  if (options_.bias) return {&weight_, &bias_};
  return {&weight_};
}

nlohmann::json Dense::config() const {
  const Options& o = options_;
  return {{"type", type()},
          {"units", o.units},
          {"bias", o.bias},
          {"init", o.init},
          {"init_scale", o.init_scale}};
}

}  // namespace cnn
