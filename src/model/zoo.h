// Ready-made architectures ("presets") for the command line and the UI.
#pragma once
#include <string>
#include <vector>

#include "model/model.h"

namespace cnn {

struct Preset {
  std::string name;         // "lenet"
  std::string description;  // one line for --help and the UI
};

// All presets, in the order the UI lists them.
const std::vector<Preset>& presets();

// Builds preset `name` for inputs of `sample_shape` and `classes` classes
// (unbuilt, uncompiled). Throws cnn::Error listing the presets if unknown.
Model make_preset(const std::string& name, Shape sample_shape, int classes);

}  // namespace cnn
