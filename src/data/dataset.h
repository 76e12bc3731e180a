// A labelled image data set held in memory, as loaded from disk: pixels keep
// their raw 0..255 values; Preprocessing (preprocess.h) maps them to model
// inputs, so the same Dataset serves every preprocessing mode.
#pragma once
#include <string>
#include <vector>

#include "core/tensor.h"

namespace cnn {

struct Dataset {
  std::string name;  // "mnist/train"
  Tensor x;          // (N, C, H, W), raw pixel values 0..255 as float
  Tensor y;          // (N, 1, 1, 1) integer class indices as float
  int num_classes = 0;
  std::vector<std::string> class_names;

  int size() const { return x.shape().n; }
  // A copy of samples [begin, begin + count). Throws Error when out of range.
  Dataset slice(int begin, int count) const;
};

}  // namespace cnn
