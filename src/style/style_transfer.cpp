#include "style/style_transfer.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "style/gram.h"
#include "style/losses.h"
#include "style/smoothing.h"

namespace cnn {

namespace {

Shape sample_shape(const Tensor& image) {
  return image.shape().with_batch(1);
}

// A copy of `m` (same bricks, same weights) that takes inputs of `shape`.
// Convolutions and pools work at any size; a brick that cannot (dense) makes
// from_architecture or the weight copy fail with a message.
std::unique_ptr<Model> copy_for_size(Model& m, Shape shape) {
  nlohmann::json a = m.architecture();
  a["input"] = {shape.c, shape.h, shape.w};
  auto copy = std::make_unique<Model>(Model::from_architecture(a));
  copy->build();
  std::vector<Param*> from = m.params(), to = copy->params();
  for (size_t i = 0; i < from.size(); ++i) {
    if (from[i]->value.shape() != to[i]->value.shape())
      throw Error("style transfer: the feature model cannot run at " + shape.sample_str() +
                  " (parameter " + from[i]->name + " changes shape)");
    to[i]->value = from[i]->value;
  }
  return copy;
}

void check_image(const Tensor& image, const Model& m, const char* what) {
  const Shape s = image.shape();
  if (s.n != 1 || s.c != m.input_shape().c || s.h < 1 || s.w < 1)
    throw Error(std::string("style transfer: the ") + what + " image must be (1, " +
                std::to_string(m.input_shape().c) + ", H, W), got " + s.str());
}

}  // namespace

StyleTransfer::StyleTransfer(Model& features, const Tensor& content, const Tensor& style,
                             Options options)
    : model_(&features), options_(std::move(options)) {
  const Options& o = options_;
  if (o.content_layers.empty() && o.style_layers.empty())
    throw Error("style transfer: no content or style layers chosen");
  if (!(o.smoothing >= 0.f)) throw Error("style transfer: smoothing must be >= 0");
  if (!features.built()) features.build(o.seed);
  check_image(content, features, "content");
  check_image(style, features, "style");
  const int c = features.input_shape().c;
  if ((!o.mean.empty() && int(o.mean.size()) != c) || (!o.std.empty() && int(o.std.size()) != c))
    throw Error("style transfer: mean and std need one value per input channel (" +
                std::to_string(c) + ")");
  for (float s : o.std)
    if (!(s > 0.f)) throw Error("style transfer: std values must be > 0");

  // One Output per distinct node; a layer may carry a content and a style term.
  auto add = [&](const LayerWeight& lw, bool is_style) {
    const int node = features.find(lw.layer);
    if (node < 0)
      throw Error("style transfer: the feature model has no layer \"" + lw.layer + "\"");
    auto it = std::find_if(outputs_.begin(), outputs_.end(),
                           [&](const Output& out) { return out.node == node; });
    if (it == outputs_.end()) {
      outputs_.push_back(Output{node, {}, {}, {}, {}, {}, {}, {}, {}});
      it = outputs_.end() - 1;
    }
    const float w = lw.weight * (is_style ? o.style_weight : o.content_weight);
    it->terms.push_back(Term{is_style, w, {}});
  };
  for (const LayerWeight& lw : o.content_layers) add(lw, false);
  for (const LayerWeight& lw : o.style_layers) add(lw, true);
  std::vector<int> nodes;
  for (const Output& out : outputs_) nodes.push_back(out.node);

  // Nothing here trains the network: frozen bricks skip their parameter gradients.
  for (int i = 0; i < features.num_nodes(); ++i) features.brick(i).trainable = false;
  features.set_outputs(nodes);
  if (sample_shape(style) != features.input_shape()) {
    std::unique_ptr<Model> copy = copy_for_size(features, sample_shape(style));
    copy->set_outputs(nodes);
    compute_targets(*copy, style, true);
  } else {
    compute_targets(features, style, true);
  }
  if (sample_shape(content) != features.input_shape()) {
    owned_ = copy_for_size(features, sample_shape(content));
    owned_->set_outputs(nodes);
    for (int i = 0; i < owned_->num_nodes(); ++i) owned_->brick(i).trainable = false;
    model_ = owned_.get();
  }
  compute_targets(*model_, content, false);

  if (o.init == Options::Init::kNoise) {
    Rng rng(o.seed);
    image_.value = Tensor(content.shape());
    for (size_t i = 0; i < image_.value.size(); ++i) image_.value[i] = rng.uniform();
  } else {
    image_.value = content;
  }
  image_.grad = Tensor(content.shape());
  restart_optimizer();
}

void StyleTransfer::restart_optimizer() {
  if (options_.optimizer == Options::Optimizer::kLbfgs)
    lbfgs_ = std::make_unique<Lbfgs>(LbfgsOptions{.history = options_.lbfgs_history});
  else
    adam_ = std::make_unique<Adam>(Adam::Options{.lr = options_.lr});
}

StyleTransfer::~StyleTransfer() = default;

void StyleTransfer::compute_targets(Model& m, const Tensor& image, bool style) {
  Tensor x;
  normalise(image, x);
  const std::vector<const Tensor*>& outs = m.forward(x);
  for (size_t k = 0; k < outputs_.size(); ++k) {
    Output& out = outputs_[k];
    const Tensor& f = features(out, *outs[k]);
    for (Term& t : out.terms) {
      if (t.style != style) continue;
      if (style)
        gram_matrix(f, t.target);
      else
        t.target = f;
    }
  }
}

void StyleTransfer::normalise(const Tensor& image, Tensor& x) const {
  x.resize(image.shape());
  const size_t plane = image.shape().plane();
  const int channels = image.shape().c;
  for (int c = 0; c < channels; ++c) {
    const float m = options_.mean.empty() ? 0.f : options_.mean[c];
    const float inv = options_.std.empty() ? 1.f : 1.f / options_.std[c];
    const int from = options_.reverse_channels ? channels - 1 - c : c;
    const float* src = image.data() + from * plane;
    float* dst = x.data() + c * plane;
    for (size_t p = 0; p < plane; ++p) dst[p] = (src[p] - m) * inv;
  }
}

const Tensor& StyleTransfer::features(Output& o, const Tensor& raw) {
  if (options_.smoothing <= 0.f) return raw;
  spatial_softmax(raw, options_.smoothing, o.smoothed);
  o.scaled.resize(raw.shape());
  const float hw = float(raw.shape().plane());
  for (size_t i = 0; i < raw.size(); ++i) o.scaled[i] = hw * o.smoothed[i];
  return o.scaled;
}

StyleLosses StyleTransfer::evaluate(const Tensor& image, Tensor* grad) {
  if (image.shape() != image_.value.shape())
    throw Error("style transfer: image is " + image.shape().str() + ", expected " +
                image_.value.shape().str());
  StyleLosses l;
  normalise(image, x_);
  const std::vector<const Tensor*>& outs = model_->forward(x_);
  grad_views_.clear();
  for (size_t k = 0; k < outputs_.size(); ++k) {
    Output& out = outputs_[k];
    const Tensor& f = features(out, *outs[k]);
    if (grad) {
      out.dfeat.resize(f.shape());
      out.dfeat.zero();
    }
    for (const Term& t : out.terms) {
      if (t.style) {
        l.style += t.weight * style_loss(f, t.target, out.gram);
        if (grad) style_loss_backward(f, out.gram, t.target, out.scratch);
      } else {
        l.content += t.weight * content_loss(f, t.target);
        if (grad) content_loss_backward(f, t.target, out.scratch);
      }
      if (grad)
        for (size_t i = 0; i < f.size(); ++i) out.dfeat[i] += t.weight * out.scratch[i];
    }
    if (!grad) continue;
    if (options_.smoothing > 0.f) {
      // features = H*W * softmax: chain the scale, then the softmax.
      const float hw = float(f.shape().plane());
      for (size_t i = 0; i < f.size(); ++i) out.dfeat[i] *= hw;
      spatial_softmax_backward(out.smoothed, out.dfeat, options_.smoothing, out.grad);
    } else {
      std::swap(out.grad, out.dfeat);
    }
    grad_views_.push_back(&out.grad);
  }
  if (options_.tv_weight != 0.f) l.tv = options_.tv_weight * tv_loss(image);
  l.total = l.content + l.style + l.tv;
  if (!grad) return l;

  // Through the network to its input, then through the normalisation (1/std).
  model_->backward(grad_views_, /*want_input_grad=*/true);
  const Tensor& dx = model_->input_grad();
  grad->resize(image.shape());
  const size_t plane = image.shape().plane();
  const int channels = image.shape().c;
  for (int c = 0; c < channels; ++c) {
    const float inv = options_.std.empty() ? 1.f : 1.f / options_.std[c];
    const int to = options_.reverse_channels ? channels - 1 - c : c;
    for (size_t p = 0; p < plane; ++p) (*grad)[to * plane + p] = dx[c * plane + p] * inv;
  }
  if (options_.tv_weight != 0.f) {
    tv_loss_backward(image, tv_grad_);
    for (size_t i = 0; i < grad->size(); ++i) (*grad)[i] += options_.tv_weight * tv_grad_[i];
  }
  return l;
}

StyleLosses StyleTransfer::step() {
  if (lbfgs_) {
    // The first evaluation of a fresh L-BFGS is at the current image; after
    // that, the last evaluation of a step that moved is at the accepted image.
    const bool first = lbfgs_->evaluations() == 0;
    StyleLosses before = current_, trial;
    auto objective = [&](const Tensor& x, Tensor& grad) {
      trial = evaluate(x, &grad);
      if (first && lbfgs_->evaluations() == 0) before = trial;
      ++evaluations_;
      return trial.total;
    };
    lbfgs_->step(image_.value, objective);
    current_ = lbfgs_->moved() ? trial : before;
    ++steps_;
    return before;
  }
  const StyleLosses l = evaluate(image_.value, &image_.grad);
  ++evaluations_;
  adam_->step({&image_});
  if (options_.clamp)
    for (size_t i = 0; i < image_.value.size(); ++i)
      image_.value[i] = std::clamp(image_.value[i], 0.f, 1.f);
  ++steps_;
  return l;
}

void StyleTransfer::set_image(const Tensor& image) {
  if (image.shape() != image_.value.shape())
    throw Error("style transfer: image is " + image.shape().str() + ", expected " +
                image_.value.shape().str());
  image_.value = image;
  restart_optimizer();  // moments or curvature of the old image
}

}  // namespace cnn
