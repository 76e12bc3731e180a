// The "Inside the network" panel's layouts and choices, without GL: tiles and
// colour ranges of activation maps, filters and saliency, what inspect()
// collects, and the search for misclassified samples.
#include "lab/inside_view.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "bricks/all.h"
#include "support/gradcheck.h"

namespace cnn::lab {
namespace {

Tensor ramp(Shape s, float start = 0.f, float step = 1.f) {
  Tensor t(s);
  for (size_t i = 0; i < t.size(); ++i) t[i] = start + step * float(i);
  return t;
}

TEST(ActivationGrid, PutsEachChannelInItsOwnTileWithItsOwnRange) {
  const Tensor t = ramp({1, 3, 4, 5});
  const MapGrid g = activation_grid(t, {});
  ASSERT_EQ(g.tiles.size(), 3u);
  EXPECT_EQ(g.shown, 3);
  EXPECT_EQ(g.total, 3);
  // sqrt(2 * 3) rounds up to 3 columns: one row, 1-pixel gaps.
  EXPECT_EQ(g.image.width, 3 * 6 - 1);
  EXPECT_EQ(g.image.height, 4);
  EXPECT_EQ(g.image.channels, 1);
  for (int c = 0; c < 3; ++c) {
    const platform::MapTile& tile = g.tiles[size_t(c)];
    EXPECT_EQ(tile.x, c * 6);
    EXPECT_EQ(tile.y, 0);
    EXPECT_EQ(tile.w, 5);
    EXPECT_EQ(tile.h, 4);
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 5; ++x) EXPECT_EQ(g.image.at(tile.x + x, tile.y + y), t.at(0, c, y, x));
    EXPECT_EQ(tile.lo, float(c * 20));
    EXPECT_EQ(tile.hi, float(c * 20 + 19));
  }
  EXPECT_EQ(g.lo, 0.f);
  EXPECT_EQ(g.hi, 59.f);
}

TEST(ActivationGrid, OneRangeForTheLayerWhenAsked) {
  const MapGrid g = activation_grid(ramp({1, 2, 3, 3}, -4.f), {.per_map_range = false});
  for (const platform::MapTile& tile : g.tiles) {
    EXPECT_EQ(tile.lo, -4.f);
    EXPECT_EQ(tile.hi, 13.f);
  }
  const MapGrid s = activation_grid(ramp({1, 2, 3, 3}, -4.f), {.symmetric = true});
  EXPECT_EQ(s.tiles[0].lo, -4.f);
  EXPECT_EQ(s.tiles[0].hi, 4.f);
  EXPECT_EQ(s.tiles[1].lo, -13.f);
  EXPECT_EQ(s.tiles[1].hi, 13.f);
}

TEST(ActivationGrid, CapsTheChannelsAndLaysThemOutWiderThanTall) {
  const MapGrid g = activation_grid(Tensor({1, 100, 6, 6}), {.max_maps = 64});
  EXPECT_EQ(g.shown, 64);
  EXPECT_EQ(g.total, 100);
  ASSERT_EQ(g.tiles.size(), 64u);
  // ceil(sqrt(128)) = 12 columns, 6 rows.
  EXPECT_EQ(g.image.width, 12 * 7 - 1);
  EXPECT_EQ(g.image.height, 6 * 7 - 1);
  EXPECT_EQ(g.tiles[63].x, (63 % 12) * 7);
  EXPECT_EQ(g.tiles[63].y, (63 / 12) * 7);
}

TEST(ActivationGrid, FillsRowsUpToAWidthWhenAsked) {
  const MapGrid g = activation_grid(Tensor({1, 20, 28, 28}), {.max_width = 280});
  // (280 + 1) / 29 = 9 tiles per row: rows of 9, 9 and 2.
  EXPECT_EQ(g.image.width, 9 * 29 - 1);
  EXPECT_EQ(g.image.height, 3 * 29 - 1);
  EXPECT_EQ(g.tiles[9].x, 0);
  EXPECT_EQ(g.tiles[9].y, 29);
  // Maps wider than the limit still get one per row.
  EXPECT_EQ(activation_grid(Tensor({1, 3, 4, 50}), {.max_width = 20}).image.width, 50);
}

// A dead ReLU channel (all zeros) gets a non-empty range starting at its value,
// so it shows the dark end of the colour map, not noise; NaN shows as 0.
TEST(ActivationGrid, ConstantAndNonFiniteValuesGetUsableRanges) {
  Tensor t({1, 2, 2, 2}, 0.f);
  t[4] = std::numeric_limits<float>::quiet_NaN();
  t[5] = 3.f;
  t[6] = std::numeric_limits<float>::infinity();
  const MapGrid g = activation_grid(t, {});
  EXPECT_EQ(g.tiles[0].lo, 0.f);
  EXPECT_EQ(g.tiles[0].hi, 1.f);
  EXPECT_EQ(g.tiles[1].lo, 0.f);
  EXPECT_EQ(g.tiles[1].hi, 3.f);
  for (float v : g.image.values) EXPECT_TRUE(std::isfinite(v));
}

TEST(ActivationGrid, AVectorBecomesRowsOfValuesWithOneRange) {
  const MapGrid g = activation_grid(ramp({1, 70, 1, 1}), {});
  EXPECT_EQ(g.image.width, 32);
  EXPECT_EQ(g.image.height, 3);
  ASSERT_EQ(g.tiles.size(), 3u);
  EXPECT_EQ(g.tiles[2].w, 6);  // 70 = 32 + 32 + 6
  EXPECT_EQ(g.image.at(5, 2), 69.f);
  for (const platform::MapTile& tile : g.tiles) {
    EXPECT_EQ(tile.lo, 0.f);
    EXPECT_EQ(tile.hi, 69.f);
  }
  EXPECT_EQ(g.total, 70);
}

TEST(FilterGrid, ColourFiltersAreRgbTilesCentredOnZero) {
  Rng rng(1);
  const Tensor w = test::uniform_tensor({4, 3, 3, 3}, rng, -1, 1);
  const MapGrid g = filter_grid(w, {});
  ASSERT_EQ(g.tiles.size(), 4u);
  EXPECT_EQ(g.image.channels, 3);
  for (int k = 0; k < 4; ++k) {
    const platform::MapTile& tile = g.tiles[size_t(k)];
    float m = 0;
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x) {
          EXPECT_EQ(g.image.at(tile.x + x, tile.y + y, c), w.at(k, c, y, x));
          m = std::max(m, std::abs(w.at(k, c, y, x)));
        }
    EXPECT_EQ(tile.lo, -m);
    EXPECT_EQ(tile.hi, m);
  }
}

TEST(FilterGrid, OtherChannelCountsShowTheSumOverInputChannels) {
  const Tensor w = ramp({2, 4, 3, 3}, -30.f);
  const MapGrid g = filter_grid(w, {});
  EXPECT_EQ(g.image.channels, 1);
  const platform::MapTile& tile = g.tiles[1];
  float sum = 0;
  for (int c = 0; c < 4; ++c) sum += w.at(1, c, 2, 1);
  EXPECT_EQ(g.image.at(tile.x + 1, tile.y + 2), sum);
}

TEST(SaliencyGrid, SignedSumOrMagnitudeOverChannels) {
  Tensor d({1, 2, 1, 2});
  d.at(0, 0, 0, 0) = 1.f, d.at(0, 1, 0, 0) = -3.f;
  d.at(0, 0, 0, 1) = 0.5f, d.at(0, 1, 0, 1) = 0.25f;
  const MapGrid s = saliency_grid(d, false);
  EXPECT_EQ(s.image.at(0, 0), -2.f);
  EXPECT_EQ(s.image.at(1, 0), 0.75f);
  EXPECT_EQ(s.tiles[0].lo, -2.f);
  EXPECT_EQ(s.tiles[0].hi, 2.f);
  const MapGrid m = saliency_grid(d, true);
  EXPECT_EQ(m.image.at(0, 0), 3.f);
  EXPECT_EQ(m.image.at(1, 0), 0.5f);
  EXPECT_EQ(m.tiles[0].lo, 0.f);
  EXPECT_EQ(m.tiles[0].hi, 3.f);
}

TEST(ImageGrid, GreyOrRgbOverTheImagesRange) {
  const MapGrid grey = image_grid(ramp({1, 1, 2, 3}, 1.f));
  EXPECT_EQ(grey.image.channels, 1);
  EXPECT_EQ(grey.image.at(2, 1), 6.f);
  EXPECT_EQ(grey.tiles[0].lo, 1.f);
  EXPECT_EQ(grey.tiles[0].hi, 6.f);
  const MapGrid rgb = image_grid(ramp({1, 3, 2, 2}));
  EXPECT_EQ(rgb.image.channels, 3);
  EXPECT_EQ(rgb.image.at(1, 0, 2), 9.f);  // channel 2, row 0, column 1
}

Model small_conv_net() {
  Model m({1, 1, 8, 8});
  m.add<Conv2D>({.filters = 4, .kernel = 3});
  m.add<ReLU>();
  m.add<MaxPool2D>({.size = 2});
  m.add<Flatten>();
  m.add<Dense>({.units = 3});
  m.build(5);
  return m;
}

TEST(Inspect, CollectsEveryLayerTheFirstFiltersAndTheSaliency) {
  Model m = small_conv_net();
  Rng rng(3);
  const Tensor x = test::uniform_tensor({1, 1, 8, 8}, rng, 0, 1);
  const InsideView v = inspect(m, x, 2, {});
  ASSERT_EQ(v.layers.size(), 5u);
  EXPECT_EQ(v.layers[0].name, "conv2d_1");
  EXPECT_EQ(v.layers[0].shape, "4x6x6");
  EXPECT_EQ(v.layers[0].maps.shown, 4);
  EXPECT_EQ(v.layers[2].type, "maxpool2d");
  EXPECT_EQ(v.layers[4].maps.total, 3);  // the 3 class scores
  EXPECT_EQ(v.filters_name, "conv2d_1");
  EXPECT_EQ(v.filters.total, 4);
  EXPECT_EQ(v.filters.image.width, 3 * 4 - 1);  // 4 filters: ceil(sqrt(8)) = 3 columns
  EXPECT_EQ(v.saliency.target, 2);
  EXPECT_EQ(v.saliency_signed.image.width, 8);
  // The dense layer's values are the scores the saliency came from.
  for (int c = 0; c < 3; ++c)
    EXPECT_EQ(v.layers[4].maps.image.at(c, 0), v.saliency.scores[size_t(c)]);
}

TEST(Inspect, AModelWithoutConvolutionsHasNoFilters) {
  Model m({1, 1, 2, 2});
  m.add<Flatten>();
  m.add<Dense>({.units = 2});
  m.build(1);
  const InsideView v = inspect(m, Tensor({1, 1, 2, 2}, 0.5f), -1, {});
  EXPECT_TRUE(v.filters_name.empty());
  EXPECT_TRUE(v.filters.tiles.empty());
  EXPECT_EQ(v.layers.size(), 2u);
}

// Predicts class 1 exactly when the first pixel is positive.
Model sign_classifier() {
  Model m({1, 1, 1, 2});
  m.add<Flatten>();
  m.add<Dense>({.units = 2});
  m.build(1);
  Tensor& w = m.brick(1).params()[0]->value;  // (2, 2): [unit][input]
  w.zero();
  w[0] = -1.f;  // unit 0 scores -x0
  w[2] = 1.f;   // unit 1 scores +x0
  m.brick(1).params()[1]->value.zero();
  return m;
}

TEST(NextMisclassified, FindsTheNextMistakeAndWrapsAround) {
  Model m = sign_classifier();
  Dataset d;
  d.x = Tensor({250, 1, 1, 2});
  d.y = Tensor({250, 1, 1, 1});
  for (int i = 0; i < 250; ++i) {
    d.x[size_t(2 * i)] = i % 2 ? 1.f : -1.f;
    d.y[size_t(i)] = float(i % 2);  // labels agree with the sign...
  }
  d.y[3] = 0.f;    // ...except samples 3 (predicted 1)
  d.y[180] = 1.f;  // and 180 (predicted 0)
  EXPECT_EQ(next_misclassified(m, d, 0), 3);
  EXPECT_EQ(next_misclassified(m, d, 3), 3);
  EXPECT_EQ(next_misclassified(m, d, 4), 180);      // crosses a chunk boundary
  EXPECT_EQ(next_misclassified(m, d, 181), 3);      // wraps around
  EXPECT_EQ(next_misclassified(m, d, 4, 100), -1);  // only 4..103 looked at
  d.y[3] = 1.f;
  d.y[180] = 0.f;
  EXPECT_EQ(next_misclassified(m, d, 0), -1);
  EXPECT_EQ(next_misclassified(m, Dataset{}, 0), -1);
}

}  // namespace
}  // namespace cnn::lab
