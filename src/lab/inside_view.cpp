#include "lab/inside_view.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cnn::lab {

namespace {

using platform::FloatImage;
using platform::MapTile;

constexpr int kVectorColumns = 32;  // a dense layer's values per row
constexpr int kMaxVectorValues = 1024;

// The smallest and largest finite values seen.
struct Range {
  float lo = std::numeric_limits<float>::infinity();
  float hi = -std::numeric_limits<float>::infinity();
  void add(float v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
  // The colour range: centred on 0 when symmetric; never empty, so a
  // constant map shows the map's low end (0 in the middle when symmetric).
  void to_tile(MapTile& t, bool symmetric) const {
    const float a = empty() ? 0.f : lo, b = empty() ? 0.f : hi;
    if (symmetric) {
      float m = std::max(std::abs(a), std::abs(b));
      if (!(m > 0)) m = 1.f;
      t.lo = -m;
      t.hi = m;
    } else {
      t.lo = a;
      t.hi = b > a ? b : a + 1.f;
    }
  }
};

float finite_or_zero(float v) {
  return std::isfinite(v) ? v : 0.f;
}

// n tiles of w x h in rows of about sqrt(2n) (wider than tall, as the panel
// is), or of as many as fit max_width pixels.
MapGrid tile_layout(int n, int w, int h, int channels, int max_width = 0) {
  MapGrid g;
  const int fit = max_width > 0 ? (max_width + 1) / (w + 1) : int(std::ceil(std::sqrt(2.0 * n)));
  const int cols = std::max(1, std::min(n, fit));
  const int rows = (n + cols - 1) / cols;
  g.image = FloatImage(cols * (w + 1) - 1, rows * (h + 1) - 1, channels);
  for (int i = 0; i < n; ++i) g.tiles.push_back({(i % cols) * (w + 1), (i / cols) * (h + 1), w, h});
  g.shown = n;
  return g;
}

// Sets every tile's range (own or shared) and the grid's lo/hi from the
// values inside the tiles.
void set_ranges(MapGrid& g, bool per_tile, bool symmetric) {
  Range all;
  std::vector<Range> each(g.tiles.size());
  for (size_t i = 0; i < g.tiles.size(); ++i) {
    const MapTile& t = g.tiles[i];
    for (int y = t.y; y < t.y + t.h; ++y)
      for (int x = t.x; x < t.x + t.w; ++x)
        for (int c = 0; c < g.image.channels; ++c) each[i].add(g.image.at(x, y, c));
    all.add(each[i].lo);
    all.add(each[i].hi);
  }
  for (size_t i = 0; i < g.tiles.size(); ++i)
    (per_tile ? each[i] : all).to_tile(g.tiles[i], symmetric);
  g.lo = all.empty() ? 0.f : all.lo;
  g.hi = all.empty() ? 0.f : all.hi;
}

}  // namespace

MapGrid activation_grid(const Tensor& t, const GridOptions& o) {
  const Shape s = t.shape();
  if (s.size() == 0) return {};
  const float* v = t.sample(0);
  if (s.h == 1 && s.w == 1) {
    // A vector: its values in rows, one tile per row, one range for all.
    const int n = std::min(s.c, kMaxVectorValues);
    const int cols = std::min(n, kVectorColumns), rows = (n + cols - 1) / cols;
    MapGrid g;
    g.image = FloatImage(cols, rows, 1);
    for (int i = 0; i < n; ++i) g.image.at(i % cols, i / cols) = finite_or_zero(v[i]);
    for (int r = 0; r < rows; ++r) g.tiles.push_back({0, r, std::min(cols, n - r * cols), 1});
    g.shown = n;
    g.total = s.c;
    set_ranges(g, /*per_tile=*/false, o.symmetric);
    return g;
  }
  const int n = std::min(s.c, std::max(1, o.max_maps));
  MapGrid g = tile_layout(n, s.w, s.h, 1, o.max_width);
  g.total = s.c;
  for (int c = 0; c < n; ++c) {
    const MapTile& tile = g.tiles[size_t(c)];
    const float* plane = v + size_t(c) * s.plane();
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x)
        g.image.at(tile.x + x, tile.y + y) = finite_or_zero(plane[size_t(y) * s.w + x]);
  }
  set_ranges(g, o.per_map_range, o.symmetric);
  return g;
}

MapGrid filter_grid(const Tensor& weight, const GridOptions& o) {
  const Shape s = weight.shape();  // (K, C, k, k)
  if (s.size() == 0) return {};
  const int n = std::min(s.n, std::max(1, o.max_maps));
  const bool rgb = s.c == 3;
  MapGrid g = tile_layout(n, s.w, s.h, rgb ? 3 : 1, o.max_width);
  g.total = s.n;
  for (int k = 0; k < n; ++k) {
    const MapTile& tile = g.tiles[size_t(k)];
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x) {
        float sum = 0;
        for (int c = 0; c < s.c; ++c) {
          const float w = finite_or_zero(weight.at(k, c, y, x));
          if (rgb)
            g.image.at(tile.x + x, tile.y + y, c) = w;
          else
            sum += w;
        }
        if (!rgb) g.image.at(tile.x + x, tile.y + y) = sum;
      }
  }
  set_ranges(g, o.per_map_range, /*symmetric=*/true);
  return g;
}

MapGrid image_grid(const Tensor& x) {
  const Shape s = x.shape();
  if (s.size() == 0) return {};
  const bool rgb = s.c == 3;
  MapGrid g = tile_layout(1, s.w, s.h, rgb ? 3 : 1);
  g.total = 1;
  for (int y = 0; y < s.h; ++y)
    for (int xx = 0; xx < s.w; ++xx)
      for (int c = 0; c < (rgb ? 3 : 1); ++c)
        g.image.at(xx, y, c) = finite_or_zero(x.at(0, c, y, xx));
  set_ranges(g, true, false);
  return g;
}

MapGrid saliency_grid(const Tensor& gradient, bool magnitude) {
  const Shape s = gradient.shape();
  if (s.size() == 0) return {};
  MapGrid g = tile_layout(1, s.w, s.h, 1);
  g.total = 1;
  for (int y = 0; y < s.h; ++y)
    for (int x = 0; x < s.w; ++x) {
      float v = 0;
      for (int c = 0; c < s.c; ++c) {
        const float d = finite_or_zero(gradient.at(0, c, y, x));
        v = magnitude ? std::max(v, std::abs(d)) : v + d;
      }
      g.image.at(x, y) = v;
    }
  set_ranges(g, true, !magnitude);
  if (magnitude) g.tiles[0].lo = 0.f;  // no gradient = no colour
  return g;
}

InsideView inspect(Model& model, const Tensor& x, int target, const GridOptions& options) {
  InsideView v;
  v.saliency = saliency(model, x, target);
  v.input = image_grid(x);
  v.saliency_signed = saliency_grid(v.saliency.gradient, false);
  v.saliency_magnitude = saliency_grid(v.saliency.gradient, true);
  for (int i = 0; i < model.num_nodes(); ++i) {
    const Brick& b = model.brick(i);
    v.layers.push_back({b.name, b.type(), model.output_shape(i).sample_str(),
                        activation_grid(model.node_output(i), options)});
  }
  for (int i = 0; i < model.num_nodes() && v.filters_name.empty(); ++i) {
    if (std::string(model.brick(i).type()) != "conv2d") continue;
    for (Param* p : model.brick(i).params())
      if (p->name == "weight") {
        GridOptions f = options;
        f.symmetric = true;
        v.filters = filter_grid(p->value, f);
        v.filters_name = model.brick(i).name;
      }
  }
  return v;
}

int next_misclassified(Model& model, const Dataset& data, int from, int limit) {
  const int n = data.size();
  if (n == 0 || model.outputs().empty()) return -1;
  limit = std::min(limit, n);
  from = ((from % n) + n) % n;
  constexpr int kChunk = 100;
  const Shape sample = data.x.shape().with_batch(1);
  Tensor batch, one(sample);
  auto label = [&](int i) { return int(data.y[size_t(i % n)]); };
  auto argmax = [](const float* v, size_t k) { return int(std::max_element(v, v + k) - v); };
  for (int done = 0; done < limit; done += kChunk) {
    const int count = std::min(kChunk, limit - done);
    batch.resize(sample.with_batch(count));
    for (int j = 0; j < count; ++j) {
      const int i = (from + done + j) % n;
      std::copy(data.x.sample(i), data.x.sample(i) + sample.size(), batch.sample(j));
    }
    const Tensor& out = *model.forward(batch, Mode::kInference)[0];
    std::vector<int> wrong;
    for (int j = 0; j < count; ++j)
      if (argmax(out.sample(j), out.shape().sample_size()) != label(from + done + j))
        wrong.push_back(j);
    // Batched kernels may round differently from the one-sample pass the
    // panel shows: a near tie must be a mistake there too.
    for (int j : wrong) {
      std::copy(batch.sample(j), batch.sample(j) + sample.size(), one.data());
      const Tensor& o = *model.forward(one, Mode::kInference)[0];
      if (argmax(o.data(), o.size()) != label(from + done + j)) return (from + done + j) % n;
    }
  }
  return -1;
}

}  // namespace cnn::lab
