// Shape of an NCHW tensor. Every tensor in the engine is 4-D: a batch of N
// samples of C channels of H x W. Vectors (dense layers, logits) are (N, F, 1, 1).
#pragma once
#include <cstddef>
#include <string>

namespace cnn {

struct Shape {
  int n = 0, c = 0, h = 1, w = 1;

  size_t size() const { return size_t(n) * c * h * w; }
  // Elements of one sample: C*H*W.
  size_t sample_size() const { return size_t(c) * h * w; }
  size_t plane() const { return size_t(h) * w; }
  // The same shape with a different batch size.
  Shape with_batch(int batch) const { return {batch, c, h, w}; }
  bool operator==(const Shape& o) const { return n == o.n && c == o.c && h == o.h && w == o.w; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
  // "(64, 16, 14, 14)"; vectors print as "(64, 10)".
  std::string str() const;
  // "16x14x14" / "10": the per-sample part, as the model summary shows it.
  std::string sample_str() const;
};

}  // namespace cnn
