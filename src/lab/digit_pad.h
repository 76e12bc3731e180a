// The drawing pad's pixels and the MNIST-style normalisation of a drawing.
//
// MNIST digits were "size normalized to fit in a 20x20 pixel box while
// preserving their aspect ratio ... and centered in a 28x28 image by
// computing the center of mass of the pixels" (LeCun et al.). A model trained
// on them expects exactly that, so a digit drawn anywhere, at any size, is
// brought into the same frame before it is classified:
//   1. the bounding box of the ink,
//   2. scaled (area-averaged, so grey edges appear as in MNIST) until its
//      longer side is 20 pixels,
//   3. placed in the 28x28 field so its centre of mass is at (14, 14).
// Pure computation, no UI: tested in tests/lab/digit_pad_test.cpp.
#pragma once
#include <cstddef>
#include <vector>

namespace cnn::lab {

// A square grey image, ink coverage in [0, 1], row-major.
struct Bitmap {
  int width = 0, height = 0;
  std::vector<float> pixels;

  Bitmap() = default;
  Bitmap(int w, int h) : width(w), height(h), pixels(size_t(w) * h, 0.f) {}
  float& at(int x, int y) { return pixels[size_t(y) * width + x]; }
  float at(int x, int y) const { return pixels[size_t(y) * width + x]; }
  void clear() { pixels.assign(pixels.size(), 0.f); }
};

// Paints a round-ended stroke of `radius` pixels from (x0, y0) to (x1, y1)
// (pixel units, pixel centres at +0.5), anti-aliased over one pixel; ink
// only ever increases (max), as a pen on paper.
void paint_stroke(Bitmap& pad, float x0, float y0, float x1, float y1, float radius);

// The 28x28 MNIST-style image of `drawing` (steps 1-3 above); values in
// [0, 1]. Returns false (and leaves `out` all zero) when there is no ink.
bool normalize_like_mnist(const Bitmap& drawing, Bitmap& out);

// Centre of mass of an image (pixel centres at +0.5); false when empty.
bool centre_of_mass(const Bitmap& image, float& cx, float& cy);

}  // namespace cnn::lab
