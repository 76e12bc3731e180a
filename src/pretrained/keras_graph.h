// A Keras functional/sequential model read by read_tfjs_layers() turned into
// a Model graph with its weights (the generic half of the ResNet50 importer).
//
// Layers understood (channels_last, as TF.js stores them):
//   InputLayer, Conv2D (square kernel, equal strides, no dilation, padding
//   "valid" or "same" -- asymmetric "same" gets a ZeroPad2D node), Dense,
//   BatchNormalization (channel axis), Activation / activation= (linear, relu,
//   sigmoid, tanh, softmax), Add, ZeroPadding2D, MaxPooling2D,
//   AveragePooling2D ("valid"), GlobalAveragePooling2D, Flatten, Dropout.
// Anything else is refused naming the file, the layer and its type.
//
// Weights are matched by name ("<layer>/kernel", "<layer>/bias",
// "<layer>/gamma", ...), so their order in the manifest does not matter; a
// missing or mis-shaped one throws cnn::FileError naming the file, the tensor
// and the layer. Keras' NHWC flatten order is converted for a Dense layer
// reading a Flatten of a feature map.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "model/model.h"
#include "pretrained/tfjs_layers.h"

namespace cnn {

struct KerasGraphOptions {
  // Build only what these layers need (default: the model's outputs); the
  // last one becomes the model's output.
  std::vector<std::string> outputs{};
  int height = 0, width = 0;  // input size; 0: from the InputLayer
  // Fold inference batch norm into the convolution it follows (when that
  // convolution feeds nothing else).
  bool fold_batchnorm = true;
  // Brick names to use instead of Keras layer names (layer -> brick name).
  std::map<std::string, std::string> rename{};
};

// Layers named in options.outputs and everything they read, by layer name.
std::vector<std::string> keras_layers_needed(const TfjsModel& m, const std::string& path,
                                             const std::vector<std::string>& outputs);

// Builds the graph of `m` (read with weights of at least the needed layers)
// and loads its weights. path: the model.json, for messages.
Model build_keras_model(const TfjsModel& m, const std::string& path,
                        const KerasGraphOptions& options = {});

// Reads path (model.json) and builds it, reading only the weights needed.
Model load_keras_model(const std::string& path, const KerasGraphOptions& options = {});

}  // namespace cnn
