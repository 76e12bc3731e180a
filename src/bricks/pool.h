// Pooling bricks (no padding, "valid" windows as Keras' default):
//   MaxPool2D, AvgPool2D:  x (N,C,H,W) -> y (N,C,H',W'),  H' = (H - size) / stride + 1
//   GlobalAvgPool:         x (N,C,H,W) -> y (N,C,1,1),    mean over each channel plane
// Rows or columns left over when (H - size) is not a multiple of stride are
// dropped, as in Keras and PyTorch.
#pragma once
#include <cstdint>
#include <vector>

#include "bricks/brick.h"
#include "kernels/kernels.h"

namespace cnn {

struct PoolOptions {
  int size = 2;    // square window
  int stride = 0;  // 0 means stride = size (non-overlapping windows)
};

// Shared geometry and config of the two windowed pools.
class WindowPool : public Brick {
 public:
  using Options = PoolOptions;
  Shape output_shape(const Shape& in) const override;
  nlohmann::json config() const override;
  const Options& options() const { return options_; }

 protected:
  WindowPool(Options options, const char* type);
  kernels::PoolShape pool_shape(const Shape& in) const;
  Options options_;  // stride resolved (never 0)
};

class MaxPool2D : public WindowPool {
 public:
  explicit MaxPool2D(Options options = {}) : WindowPool(options, "maxpool2d") {}
  const char* type() const override { return "maxpool2d"; }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;

 private:
  std::vector<int32_t> argmax_;  // per output: where its max came from (latest forward)
};

class AvgPool2D : public WindowPool {
 public:
  explicit AvgPool2D(Options options = {}) : WindowPool(options, "avgpool2d") {}
  const char* type() const override { return "avgpool2d"; }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
};

class GlobalAvgPool : public Brick {
 public:
  const char* type() const override { return "global_avgpool"; }
  Shape output_shape(const Shape& in) const override;
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  nlohmann::json config() const override;
};

}  // namespace cnn
