// What the "Inside the network" panel shows for one input, computed without
// any GL so it can be tested: every layer's activation maps, the first
// convolution's filters and the saliency map, each laid out as a grid of
// tiles in one float image with each tile's colour range
// (platform/colormap_renderer.h turns them into pictures).
#pragma once
#include <string>
#include <vector>

#include "core/tensor.h"
#include "data/dataset.h"
#include "model/model.h"
#include "model/saliency.h"
#include "platform/colormap_renderer.h"

namespace cnn::lab {

// Maps side by side in one image, one tile each, with a 1-pixel gap.
struct MapGrid {
  platform::FloatImage image;
  std::vector<platform::MapTile> tiles;
  int shown = 0, total = 0;  // maps drawn / maps there are (the rest are capped)
  float lo = 0, hi = 0;      // the smallest and largest value shown (finite ones)
};

struct GridOptions {
  int max_maps = 64;          // "sensibly capped": more channels are not drawn
  bool per_map_range = true;  // each tile its own colour range, or one for the grid
  bool symmetric = false;     // ranges centred on 0 (signed values, diverging map)
  int max_width = 0;          // > 0: as many tiles per row as fit this many pixels
};

// One sample's activations t (1, C, H, W): a tile per channel in rows of
// about sqrt(2C) tiles, or of as many as fit options.max_width. A vector
// (H = W = 1) is one map of its C values in rows of up to 32, a tile per row
// sharing one range.
MapGrid activation_grid(const Tensor& t, const GridOptions& options);

// Convolution filters, weight (K, C, k, k): an RGB tile per filter when C is
// 3 (input colours), otherwise a grey-scale tile per filter (C = 1) or of the
// sum over the input channels; ranges centred on 0.
MapGrid filter_grid(const Tensor& weight, const GridOptions& options);

// One image (1, C, H, W) as a single tile: grey for C = 1, RGB for C = 3
// (other channel counts show the first), over its own value range.
MapGrid image_grid(const Tensor& x);

// Saliency d score / d x (1, C, H, W) as one tile: signed (summed over
// channels, range centred on 0), or its magnitude max_c |d| (range 0..max).
MapGrid saliency_grid(const Tensor& gradient, bool magnitude);

struct LayerView {
  std::string name, type, shape;  // "conv2d_1", "conv2d", "6x24x24"
  MapGrid maps;
};

struct InsideView {
  SaliencyResult saliency;
  MapGrid input, saliency_signed, saliency_magnitude;
  MapGrid filters;           // empty when the model has no convolution
  std::string filters_name;  // "conv2d_1"
  std::vector<LayerView> layers;
};

// Runs x (1, C, H, W) through the model (saliency.h) for class `target`
// (< 0: the predicted one) and lays out what the panel shows.
InsideView inspect(Model& model, const Tensor& x, int target, const GridOptions& options);

// The first sample at or after `from` (wrapping around) that the model
// misclassifies, looking at no more than `limit` samples of `data`
// (preprocessed, labels as class indices); -1 when none of them is.
int next_misclassified(Model& model, const Dataset& data, int from, int limit = 2000);

}  // namespace cnn::lab
