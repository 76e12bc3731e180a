// Model files: architecture, weights and optimiser state in one safetensors
// file, so standard tools (Python's safetensors, netron) can open it.
//
// Layout (format "cnn-playground-model/1"):
//   tensors   "<brick>.<param>"              weights ("conv2d_1.weight", "dense_2.bias")
//             "<brick>.<buffer>"             BatchNorm running averages
//             "optimizer.<brick>.<param>.<slot>"  optimiser state ("m", "v", "velocity")
//   __metadata__ (string -> string; JSON where structured)
//             "format"          "cnn-playground-model/1"
//             "architecture"    Model::architecture() (input shape, nodes, outputs)
//             "compile"         losses, loss weights, optimiser (with current lr), metrics,
//             schedule "optimizer_steps" optimiser steps taken (Adam's bias correction) "metadata"
//             Model::metadata: dataset, preprocessing, class names, epochs done
// Shapes are stored without the trailing 1s of the engine's 4-D layout and
// without a leading 1 (dense weight [units, inputs], bias [units]), as
// PyTorch would store them; conv weights are [K, C, kh, kw].
#pragma once
#include <string>

#include "model/model.h"

namespace cnn {

// Writes atomically (temporary file, then rename): a failed save never
// destroys an existing file. with_optimizer: include optimiser state.
void save_model(const std::string& path, Model& model, bool with_optimizer = true);

// Reads a model file written by save_model(). The model comes back built,
// and compiled if the file holds compile options (with optimiser state, so
// fit() resumes). Throws cnn::FileError naming the file and the problem:
// not a model file, unknown brick, missing tensor, a shape that does not fit
// the architecture.
Model load_model(const std::string& path);

}  // namespace cnn
