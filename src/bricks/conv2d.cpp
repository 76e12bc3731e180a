#include "bricks/conv2d.h"

#include <nlohmann/json.hpp>

#include "bricks/init.h"
#include "core/error.h"

namespace cnn {

namespace {
std::string str(int v) {
  return std::to_string(v);
}
}  // namespace

Conv2D::Conv2D(Options options) : options_(std::move(options)) {
  const Options& o = options_;
  if (o.filters < 1) throw Error("conv2d: filters must be >= 1, got " + str(o.filters));
  if (o.kernel < 1) throw Error("conv2d: kernel must be >= 1, got " + str(o.kernel));
  if (o.stride < 1) throw Error("conv2d: stride must be >= 1, got " + str(o.stride));
  if (o.pad < 0) throw Error("conv2d: pad must be >= 0, got " + str(o.pad));
  check_init_name(o.init, "conv2d");
}

kernels::ConvShape Conv2D::conv_shape(const Shape& in) const {
  kernels::ConvShape s;
  s.n = in.n, s.c = in.c, s.h = in.h, s.w = in.w;
  s.k = options_.filters;
  s.kh = s.kw = options_.kernel;
  s.stride = options_.stride, s.pad = options_.pad;
  return s;
}

Shape Conv2D::output_shape(const Shape& in) const {
  if (channels_ && in.c != channels_)
    throw Error("conv2d: built for " + str(channels_) + " input channels, got input " + in.str());
  const int k = options_.kernel, ph = in.h + 2 * options_.pad, pw = in.w + 2 * options_.pad;
  if (k > ph || k > pw)
    throw Error("conv2d: kernel " + str(k) + "x" + str(k) + " larger than padded input " + str(ph) +
                "x" + str(pw));
  kernels::ConvShape s = conv_shape(in);
  return {in.n, options_.filters, s.oh(), s.ow()};
}

void Conv2D::build(const Shape& in, Rng& rng) {
  channels_ = 0;  // a rebuild may change the input channels
  output_shape(in);
  channels_ = in.c;
  const Shape ws{options_.filters, in.c, options_.kernel, options_.kernel};
  weight_.value = Tensor(ws);
  weight_.grad = Tensor(ws);
  init_weights(weight_.value, options_.init, weight_fans(ws), options_.init_scale, rng);
  if (options_.bias) {
    bias_.value = Tensor({1, options_.filters, 1, 1});  // zeros, as Keras
    bias_.grad = Tensor({1, options_.filters, 1, 1});
  }
}

void Conv2D::forward(const Tensor& x, Tensor& y, Context&) {
  if (!channels_) throw Error("conv2d: forward() before build()");
  y.resize(output_shape(x.shape()));
  const float* b = options_.bias ? bias_.value.data() : nullptr;
  kernels::conv2d_forward(conv_shape(x.shape()), x.data(), weight_.value.data(), b, y.data(),
                          workspace());
}

// dx = conv_transpose(dy, weight); dweight += correlation of x with dy; dbias += sum of dy.
// A frozen brick skips its parameter gradients: nothing would read them.
void Conv2D::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx) {
  const kernels::ConvShape s = conv_shape(x.shape());
  if (need_input_grad) {
    dx.resize(x.shape());
    kernels::conv2d_backward_input(s, dy.data(), weight_.value.data(), dx.data(), workspace());
  }
  if (!trainable) return;
  float* db = options_.bias ? bias_.grad.data() : nullptr;
  kernels::conv2d_backward_weights(s, x.data(), dy.data(), weight_.grad.data(), db,
                                   workspace());
}

std::vector<Param*> Conv2D::params() {
  if (!channels_) return {};
  if (options_.bias) return {&weight_, &bias_};
  return {&weight_};
}

nlohmann::json Conv2D::config() const {
  const Options& o = options_;
  return {
      {"type", type()}, {"filters", o.filters}, {"kernel", o.kernel}, {"stride", o.stride},
      {"pad", o.pad},   {"bias", o.bias},       {"init", o.init},     {"init_scale", o.init_scale}};
}

}  // namespace cnn
