#include "lab/digit_pad.h"

#include <algorithm>
#include <cmath>

namespace cnn::lab {

namespace {

constexpr int kField = 28;     // MNIST images are 28x28 ...
constexpr float kBox = 20.f;   // ... with the digit fitted into 20x20
constexpr float kInk = 1e-3f;  // below this a pixel counts as paper

float distance_to_segment(float px, float py, float x0, float y0, float x1, float y1) {
  const float dx = x1 - x0, dy = y1 - y0;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0.f;
  t = std::clamp(t, 0.f, 1.f);
  const float ex = px - (x0 + t * dx), ey = py - (y0 + t * dy);
  return std::sqrt(ex * ex + ey * ey);
}

// Overlap of the unit pixel [p, p+1) with the interval [a, b).
float overlap(int p, float a, float b) {
  return std::max(0.f, std::min(float(p + 1), b) - std::max(float(p), a));
}

}  // namespace

void paint_stroke(Bitmap& pad, float x0, float y0, float x1, float y1, float radius) {
  const int left = std::max(0, int(std::floor(std::min(x0, x1) - radius - 1)));
  const int right = std::min(pad.width - 1, int(std::ceil(std::max(x0, x1) + radius + 1)));
  const int top = std::max(0, int(std::floor(std::min(y0, y1) - radius - 1)));
  const int bottom = std::min(pad.height - 1, int(std::ceil(std::max(y0, y1) + radius + 1)));
  for (int y = top; y <= bottom; ++y)
    for (int x = left; x <= right; ++x) {
      // Coverage falls from 1 to 0 over the pixel that straddles the edge.
      const float d = distance_to_segment(x + 0.5f, y + 0.5f, x0, y0, x1, y1);
      const float ink = std::clamp(radius + 0.5f - d, 0.f, 1.f);
      pad.at(x, y) = std::max(pad.at(x, y), ink);
    }
}

bool centre_of_mass(const Bitmap& image, float& cx, float& cy) {
  double mass = 0, sx = 0, sy = 0;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      const double v = image.at(x, y);
      mass += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  if (mass <= 0) return false;
  cx = float(sx / mass);
  cy = float(sy / mass);
  return true;
}

bool normalize_like_mnist(const Bitmap& drawing, Bitmap& out) {
  out = Bitmap(kField, kField);
  // 1. Bounding box of the ink, inclusive.
  int x0 = drawing.width, y0 = drawing.height, x1 = -1, y1 = -1;
  for (int y = 0; y < drawing.height; ++y)
    for (int x = 0; x < drawing.width; ++x)
      if (drawing.at(x, y) > kInk) {
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
      }
  if (x1 < 0) return false;
  float cx = 0, cy = 0;
  centre_of_mass(drawing, cx, cy);

  // 2 and 3. Output pixel o covers [o, o+1) of the field; the drawing maps to
  // it by X = (x - cx) * s + 14, so source pixels [x, x+1) that overlap
  // [(o - 14) / s + cx, (o + 1 - 14) / s + cx) contribute, weighted by their
  // overlap: an exact area average (box filter), separable in x and y.
  const float s = kBox / float(std::max(x1 - x0 + 1, y1 - y0 + 1));
  const float centre = kField / 2.f;
  auto weights = [&](int lo, int hi, float c) {
    std::vector<float> w(size_t(kField) * (hi - lo + 1), 0.f);
    for (int o = 0; o < kField; ++o) {
      const float a = (o - centre) / s + c, b = (o + 1 - centre) / s + c;
      for (int p = std::max(lo, int(std::floor(a))); p <= std::min(hi, int(std::floor(b))); ++p)
        w[size_t(o) * (hi - lo + 1) + (p - lo)] = overlap(p, a, b);
    }
    return w;
  };
  const std::vector<float> wx = weights(x0, x1, cx), wy = weights(y0, y1, cy);
  const int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  // Rows first: tmp(oy, x) = sum_y wy(oy, y) * drawing(x, y).
  std::vector<float> tmp(size_t(kField) * bw, 0.f);
  for (int oy = 0; oy < kField; ++oy)
    for (int y = 0; y < bh; ++y) {
      const float w = wy[size_t(oy) * bh + y];
      if (w == 0.f) continue;
      for (int x = 0; x < bw; ++x) tmp[size_t(oy) * bw + x] += w * drawing.at(x0 + x, y0 + y);
    }
  // Then columns, and divide by the covered area (1/s^2).
  for (int oy = 0; oy < kField; ++oy)
    for (int ox = 0; ox < kField; ++ox) {
      float sum = 0.f;
      for (int x = 0; x < bw; ++x) sum += wx[size_t(ox) * bw + x] * tmp[size_t(oy) * bw + x];
      out.at(ox, oy) = std::clamp(sum * s * s, 0.f, 1.f);
    }
  return true;
}

}  // namespace cnn::lab
