// Neural style transfer by optimisation (Gatys, Ecker and Bethge, CVPR 2016):
// the pixels of an image are optimised so that its features in a fixed
// network match the content image's features at some layers and the style
// image's Gram matrices at others.
//
//   Model vgg = build_vgg({.depth = 19, .last_layer = "relu5_1"});   // pretrained/vgg.h
//   load_vgg_weights(vgg, "vgg19.safetensors");
//   StyleTransfer st(vgg, content, style,                              // style/image.h: load_image
//                    {.content_layers = {{"relu4_2", 1}},
//                     .style_layers = {{"relu1_1", .2f}, {"relu2_1", .2f}, ...},
//                     .style_weight = 1e3f, .mean = kImageNetMean, .std = kImageNetStd});
//   for (int i = 0; i < 300; ++i) StyleLosses l = st.step();          // l.total, l.content, ...
//   save_png("out.png", st.image());
//
// Objective (weighted sums; each term is defined in style/losses.h):
//   E = content_weight * sum_l w_l content_loss(F_l, P_l)
//     + style_weight   * sum_l w_l style_loss(F_l, A_l)
//     + tv_weight      * tv_loss(image)
// F_l: the features of the image at layer l, P_l those of the content image,
// A_l the Gram matrix of the style image's features. With smoothing > 0 every
// F_l (and the targets) first goes through H*W * spatial_softmax(F_l / T)
// (style/smoothing.h; Wang et al. 2021), scaled by H*W so each channel
// averages 1 rather than 1/(H*W).
//
// The image lives in [0, 1] pixel space (as loaded by style/image.h). The
// model sees (image - mean) / std per channel. Each step is either one Adam
// update of the pixels, which are then clamped to [0, 1], or one L-BFGS
// iteration (optim/lbfgs.h; Gatys et al.'s choice), which runs unconstrained
// (clamping would break its curvature pairs): pixels may leave [0, 1] while
// optimising and are clamped when written (save_png).
//
// Sizes: the model may have been built for any input size. StyleTransfer
// runs it at the content image's size and the style image's size, making a
// copy of the model (same weights) for a size it was not built for; only the
// style copy is temporary. The model used at the content size is modified:
// its outputs become the chosen layers and its bricks are frozen.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bricks/brick.h"
#include "model/model.h"
#include "optim/lbfgs.h"
#include "optim/optimizer.h"

namespace cnn {

struct LayerWeight {
  std::string layer;  // brick name in the feature model, e.g. "relu4_2"
  float weight = 1.f;
};

struct StyleTransferOptions {
  std::vector<LayerWeight> content_layers{};
  std::vector<LayerWeight> style_layers{};
  float content_weight = 1.f;
  float style_weight = 1.f;
  float tv_weight = 0.f;
  enum class Optimizer { kAdam, kLbfgs };
  Optimizer optimizer = Optimizer::kAdam;
  float lr = 0.02f;           // Adam step on pixels in [0, 1]
  int lbfgs_history = 10;     // L-BFGS: gradient pairs kept
  float smoothing = 0.f;      // softmax temperature of the activation smoothing; 0 = off
  std::vector<float> mean{};  // per input channel; empty = 0
  std::vector<float> std{};   // per input channel; empty = 1
  // Model channel c reads image channel C-1-c (RGB images, BGR networks such
  // as Keras' Caffe-style ResNet50); mean and std are in the model's order.
  bool reverse_channels = false;
  enum class Init { kContent, kNoise };
  Init init = Init::kContent;  // start from the content image or uniform noise in [0, 1]
  uint64_t seed = 42;          // for kNoise
  bool clamp = true;           // keep pixels in [0, 1] after each step
};

// Weighted terms of the objective at one image; total = content + style + tv.
struct StyleLosses {
  float content = 0.f, style = 0.f, tv = 0.f, total = 0.f;
};

class StyleTransfer {
 public:
  using Options = StyleTransferOptions;
  // content, style: (1,C,H,W) images in [0, 1], C the model's input channels.
  // `features` must outlive this object; an unbuilt model is built with
  // options.seed (random weights, as the tests use).
  // Throws cnn::Error for an unknown layer name, no layers at all, or shapes
  // the model cannot take.
  StyleTransfer(Model& features, const Tensor& content, const Tensor& style, Options options);
  ~StyleTransfer();

  // One Adam update or L-BFGS iteration of the image. Returns the losses at
  // the image before the update (they come with the gradient, at no extra
  // cost). An L-BFGS iteration may evaluate the objective several times
  // (evaluations() counts them).
  StyleLosses step();
  // The objective at `image` (same shape as the content image) and, if grad
  // is given, its gradient with respect to the pixels (written). Does not
  // change the current image or the optimiser.
  StyleLosses evaluate(const Tensor& image, Tensor* grad);

  const Tensor& image() const { return image_.value; }
  // To restart from another image (e.g. a previous result); restarts Adam.
  void set_image(const Tensor& image);
  int steps() const { return steps_; }
  // Objective evaluations (forward + backward passes) so far.
  int evaluations() const { return evaluations_; }
  const Options& options() const { return options_; }

 private:
  struct Term {     // one loss on one output of the model
    bool style;     // else content
    float weight;   // layer weight times content/style weight
    Tensor target;  // P_l or A_l
  };
  struct Output {  // one distinct layer node
    int node;
    std::vector<Term> terms;
    Tensor smoothed, scaled;  // softmax of the features and H*W times it (smoothing only)
    Tensor dfeat, dsmooth;    // gradient w.r.t. the (smoothed) features, and scratch
    Tensor grad;              // gradient w.r.t. the node output, fed to backward
    Tensor gram, scratch;
  };
  void normalise(const Tensor& image, Tensor& x) const;
  const Tensor& features(Output& o, const Tensor& raw);  // smoothed or raw
  void compute_targets(Model& m, const Tensor& image, bool style);
  void restart_optimizer();

  Model* model_;                  // the model at the content size
  std::unique_ptr<Model> owned_;  // set when that is a copy
  Options options_;
  std::vector<Output> outputs_;
  Param image_{"image", {}, {}, false};
  Tensor x_;  // normalised input; must outlive backward
  Tensor tv_grad_;
  std::vector<const Tensor*> grad_views_;
  std::unique_ptr<cnn::Optimizer> adam_;
  std::unique_ptr<Lbfgs> lbfgs_;
  StyleLosses current_;  // L-BFGS: the losses at the current image
  int steps_ = 0, evaluations_ = 0;
};

}  // namespace cnn
