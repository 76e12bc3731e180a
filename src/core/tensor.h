// A float32 NCHW tensor that owns its storage.
//
// resize() keeps the allocation when the new size fits, so bricks can reuse
// their output and workspace tensors across training steps without allocating.
#pragma once
#include <vector>

#include "core/shape.h"

namespace cnn {

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape, float value = 0.f) : shape_(shape), data_(shape.size(), value) {}

  const Shape& shape() const { return shape_; }
  size_t size() const { return shape_.size(); }
  bool empty() const { return size() == 0; }

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  float& operator[](size_t i) { return data_[i]; }
  float operator[](size_t i) const { return data_[i]; }
  float& at(int n, int c, int h = 0, int w = 0) { return data_[index(n, c, h, w)]; }
  float at(int n, int c, int h = 0, int w = 0) const { return data_[index(n, c, h, w)]; }
  // Start of sample n.
  float* sample(int n) { return data() + size_t(n) * shape_.sample_size(); }
  const float* sample(int n) const { return data() + size_t(n) * shape_.sample_size(); }

  // Changes the shape; contents are unspecified afterwards. Allocates only when
  // the new size exceeds every size this tensor has held.
  void resize(Shape shape) {
    shape_ = shape;
    if (data_.size() < shape.size()) data_.resize(shape.size());
  }
  void fill(float value);
  void zero() { fill(0.f); }
  // Same data, new shape of the same size (e.g. flatten).
  void reshape(Shape shape);

 private:
  size_t index(int n, int c, int h, int w) const {
    return ((size_t(n) * shape_.c + c) * shape_.h + h) * shape_.w + w;
  }
  Shape shape_;
  std::vector<float> data_;
};

// The index of the first NaN or infinity among t's values, or t.size() when
// all are finite. Compares the exponent bits as integers in blocks (the
// compilers vectorise that; std::isfinite per value is not, and is several
// times slower in WebAssembly on MNIST's 47M training values, which the
// browser's main thread checks at every press of Train).
size_t first_non_finite(const Tensor& t);

}  // namespace cnn
