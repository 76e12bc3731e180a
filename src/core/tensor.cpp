#include "core/tensor.h"

#include <algorithm>

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

}  // namespace cnn
