#include "core/tensor.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/error.h"

namespace cnn {

std::string Shape::str() const {
  if (h == 1 && w == 1) return "(" + std::to_string(n) + ", " + std::to_string(c) + ")";
  return "(" + std::to_string(n) + ", " + std::to_string(c) + ", " + std::to_string(h) + ", " +
         std::to_string(w) + ")";
}

std::string Shape::sample_str() const {
  if (h == 1 && w == 1) return std::to_string(c);
  return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

void Tensor::fill(float value) {
  std::fill(data_.begin(), data_.begin() + size(), value);
}

void Tensor::reshape(Shape shape) {
  if (shape.size() != size())
    throw Error("cannot reshape " + shape_.str() + " to " + shape.str() + ": sizes differ");
  shape_ = shape;
}

size_t first_non_finite(const Tensor& t) {
  constexpr size_t kBlock = 4096;
  constexpr uint32_t kAbs = 0x7fffffffu, kInfinity = 0x7f800000u;
  const float* values = t.data();
  const size_t n = t.size();
  for (size_t start = 0; start < n; start += kBlock) {
    const size_t end = std::min(n, start + kBlock);
    uint32_t largest = 0;  // of |value|'s bits: at or above infinity's, a NaN or an infinity
    for (size_t i = start; i < end; ++i) {
      uint32_t bits;
      std::memcpy(&bits, values + i, sizeof bits);
      largest = std::max(largest, bits & kAbs);
    }
    if (largest >= kInfinity)
      for (size_t i = start; i < end; ++i)
        if (!std::isfinite(values[i])) return i;
  }
  return n;
}

}  // namespace cnn
