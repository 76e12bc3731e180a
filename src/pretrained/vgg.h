// VGG16 / VGG19 feature extractors (Simonyan and Zisserman, 2015), the
// network of Gatys-style transfer, with weights from a user-supplied
// safetensors file in torchvision / timm naming.
//
// Layers, as in the papers and every style-transfer code base:
//   block b = 1..5 has 2, 2, 3|4, 3|4, 3|4 convolutions (VGG16|VGG19);
//   conv{b}_{k}: 3x3 convolution, padding 1, stride 1;  relu{b}_{k}: its ReLU;
//   pool{b}: 2x2 max pooling, stride 2 (average pooling on request).
// build_vgg() stops at a chosen layer (e.g. "relu5_1", the deepest one style
// transfer uses), so the fully connected head is never built.
//
// Weights: torchvision's VGG numbers the modules of its `features` sequence,
// so conv1_1 is features.0 and, for VGG19, the convolutions are
// features.{0,2,5,7,10,12,14,16,19,21,23,25,28,30,32,34} ([out, in, 3, 3]
// weight and [out] bias each). timm's vgg19.tv_in1k / vgg16.tv_in1k use the
// same names. F16 and BF16 files are converted by the reader.
//
// Input: RGB in [0, 1], normalised per channel with the ImageNet statistics
// below: x' = (x - mean) / std (StyleTransferOptions::mean and ::std).
#pragma once
#include <string>
#include <vector>

#include "model/model.h"

namespace cnn {

// The statistics torchvision's ImageNet models were trained with (RGB, [0, 1]).
inline const std::vector<float> kImageNetMean = {0.485f, 0.456f, 0.406f};
inline const std::vector<float> kImageNetStd = {0.229f, 0.224f, 0.225f};

struct VggLayer {
  std::string name;    // "conv3_2", "relu3_2", "pool3"
  std::string kind;    // "conv", "relu" or "pool"
  int features_index;  // position in torchvision's `features` sequence
  int channels;        // output channels
};

// Every layer of the convolutional part of VGG16 or VGG19 (depth 16 or 19), in order.
std::vector<VggLayer> vgg_layers(int depth);

struct VggOptions {
  int depth = 19;                      // 16 or 19
  std::string last_layer = "relu5_1";  // built up to and including this layer
  int height = 224, width = 224;       // input size (StyleTransfer adapts it to its images)
  // Gatys et al. replace max by average pooling for smoother images.
  bool average_pooling = false;
};

// An unbuilt model of the layers up to options.last_layer, each brick named as
// above; model.metadata["vgg_depth"] records the depth for load_vgg_weights().
// Throws cnn::Error for a depth other than 16/19 or an unknown layer name.
Model build_vgg(const VggOptions& options = {});

// Fills the convolutions of a build_vgg() model (building it first if needed)
// from `path`. Tensors of later layers and of the classifier are ignored.
// A missing tensor or a wrong shape throws cnn::FileError naming the file,
// the tensor and the layer.
void load_vgg_weights(Model& model, const std::string& path);

// The node of a layer ("relu4_2"); throws cnn::Error listing the model's
// layers if it has none of that name.
int vgg_node(const Model& model, const std::string& layer);

}  // namespace cnn
