// What the left column's panels and the drawing pad keep between frames, one
// small struct each, owned by the App (App::ui). Nothing here needs the App.
#pragma once
#include <vector>

#include "app/augment_preview.h"
#include "core/rng.h"
#include "data/preprocess.h"

namespace cnn::app {

// The Data panel's grid of training samples (data_panel.cpp).
struct SampleGrid {
  void* texture = nullptr;
  int generation = -1;  // data generation the grid shows
  int first = 0;        // first sample shown (pages of columns x rows)
  Preprocessing::Mode mode{};
  std::vector<int> indices;
  Rng rng{7};
};

struct DataPanelState {
  char path[512] = "cifar-10-binary.tar.gz";  // desktop: a CIFAR-10 file or folder to add
  SampleGrid grid;
  AugmentPreview preview;
};

struct ModelPanelState {
  int selected = -1;  // the layer being edited
  int add_type = 0;   // the kind of layer "Add" inserts
  char path[256] = "bricklab-model.safetensors";  // desktop: Save / Load model file
};

struct PadPanelState {
  void* texture = nullptr;  // the pen's pixels on screen
};

}  // namespace cnn::app
