// The drawing pad's MNIST-style normalisation: the properties the model
// relies on (bounding box to 20 pixels, centre of mass at the centre,
// position and scale invariance), checked on shapes whose answers follow
// from geometry, not from the implementation's own output.
#include <gtest/gtest.h>

#include <cmath>

#include "lab/digit_pad.h"

namespace cnn::lab {
namespace {

// Ink bounding box of a 28x28 image (pixels above `level`), inclusive.
struct Box {
  int x0 = 99, y0 = 99, x1 = -1, y1 = -1;
  int width() const { return x1 - x0 + 1; }
  int height() const { return y1 - y0 + 1; }
};
Box ink_box(const Bitmap& b, float level = 0.5f) {
  Box r;
  for (int y = 0; y < b.height; ++y)
    for (int x = 0; x < b.width; ++x)
      if (b.at(x, y) > level) {
        r.x0 = std::min(r.x0, x);
        r.x1 = std::max(r.x1, x);
        r.y0 = std::min(r.y0, y);
        r.y1 = std::max(r.y1, y);
      }
  return r;
}

void fill(Bitmap& b, int x0, int y0, int w, int h, float v = 1.f) {
  for (int y = y0; y < y0 + h; ++y)
    for (int x = x0; x < x0 + w; ++x) b.at(x, y) = v;
}

float mass(const Bitmap& b) {
  double s = 0;
  for (float v : b.pixels) s += v;
  return float(s);
}

TEST(DigitPad, EmptyDrawingHasNoDigit) {
  Bitmap pad(50, 50), out;
  EXPECT_FALSE(normalize_like_mnist(pad, out));
  ASSERT_EQ(out.width, 28);
  ASSERT_EQ(out.height, 28);
  EXPECT_EQ(mass(out), 0.f);
}

TEST(DigitPad, TallBarFitsTwentyPixelsHighKeepingItsAspect) {
  // A 10 x 40 bar: the longer side becomes 20, so the bar becomes 5 x 20,
  // centred at (14, 14): columns 11.5..16.5, rows 4..24.
  Bitmap pad(100, 100), out;
  fill(pad, 30, 20, 10, 40);
  ASSERT_TRUE(normalize_like_mnist(pad, out));
  Box full = ink_box(out, 0.99f);
  EXPECT_EQ(full.y0, 4);
  EXPECT_EQ(full.y1, 23);
  EXPECT_EQ(full.width(), 4);  // 12..15 fully covered, 11 and 16 half
  EXPECT_NEAR(out.at(11, 14), 0.5f, 1e-4);
  EXPECT_NEAR(out.at(16, 14), 0.5f, 1e-4);
  EXPECT_EQ(out.at(10, 14), 0.f);
  // Area averaging scales the mass by s^2 = (20/40)^2.
  EXPECT_NEAR(mass(out), 400.f * 0.25f, 1e-2);
}

TEST(DigitPad, CentreOfMassLandsAtTheCentre) {
  // An L: the centre of mass is far from the bounding box's centre.
  Bitmap pad(80, 80), out;
  fill(pad, 10, 10, 6, 40);
  fill(pad, 10, 44, 30, 6);
  ASSERT_TRUE(normalize_like_mnist(pad, out));
  float cx = 0, cy = 0;
  ASSERT_TRUE(centre_of_mass(out, cx, cy));
  EXPECT_NEAR(cx, 14.f, 0.1f);
  EXPECT_NEAR(cy, 14.f, 0.1f);
  // The longer side (40 rows) spans 20 output rows.
  Box b = ink_box(out, 0.5f);
  EXPECT_NEAR(b.height(), 20, 1);
}

TEST(DigitPad, PositionDoesNotMatter) {
  Bitmap a(90, 90), b(90, 90), out_a, out_b;
  paint_stroke(a, 20, 20, 35, 50, 3.f);
  paint_stroke(a, 35, 50, 15, 45, 3.f);
  paint_stroke(b, 20 + 37, 20 + 11, 35 + 37, 50 + 11, 3.f);  // the same strokes, moved
  paint_stroke(b, 35 + 37, 50 + 11, 15 + 37, 45 + 11, 3.f);
  ASSERT_TRUE(normalize_like_mnist(a, out_a));
  ASSERT_TRUE(normalize_like_mnist(b, out_b));
  for (size_t i = 0; i < out_a.pixels.size(); ++i)
    ASSERT_NEAR(out_a.pixels[i], out_b.pixels[i], 1e-4) << i;
}

TEST(DigitPad, SizeDoesNotMatter) {
  // The same shape at twice the resolution (every pixel a 2x2 block).
  Bitmap small(40, 40), big(80, 80), out_s, out_b;
  paint_stroke(small, 8, 6, 20, 30, 2.f);
  paint_stroke(small, 20, 30, 30, 12, 2.f);
  for (int y = 0; y < 80; ++y)
    for (int x = 0; x < 80; ++x) big.at(x, y) = small.at(x / 2, y / 2);
  ASSERT_TRUE(normalize_like_mnist(small, out_s));
  ASSERT_TRUE(normalize_like_mnist(big, out_b));
  for (size_t i = 0; i < out_s.pixels.size(); ++i)
    ASSERT_NEAR(out_s.pixels[i], out_b.pixels[i], 1e-4) << i;
}

TEST(DigitPad, StrokeCoverageFallsOffOverOnePixel) {
  Bitmap pad(30, 30);
  paint_stroke(pad, 5, 15, 25, 15, 3.f);   // a horizontal line at y = 15
  EXPECT_EQ(pad.at(15, 14), 1.f);          // centre 14.5: 0.5 from the line
  EXPECT_EQ(pad.at(15, 12), 1.f);          // 2.5 from the line
  EXPECT_NEAR(pad.at(15, 11), 0.f, 1e-6);  // 3.5 from the line: radius + 0.5 - 3.5 = 0
  EXPECT_EQ(pad.at(15, 18), 0.f);
  EXPECT_EQ(pad.at(1, 15), 0.f);  // past the round end (4.5 from (5, 15))
  // Ink only grows: painting a weaker stroke over it changes nothing.
  Bitmap before = pad;
  paint_stroke(pad, 5, 15, 25, 15, 1.f);
  EXPECT_EQ(before.pixels, pad.pixels);
}

}  // namespace
}  // namespace cnn::lab
