// Inverted dropout:  x (N,C,H,W) -> y (N,C,H,W)
// Training: each unit is kept with probability 1 - rate and then scaled by
// 1 / (1 - rate), so the expected activation equals the input and inference
// needs no rescaling. Inference: y = x exactly.
// The mask is drawn from ctx.rng, so a seeded run repeats.
#pragma once
#include <vector>

#include "bricks/brick.h"

namespace cnn {

struct DropoutOptions {
  float rate = 0.5f;  // probability of dropping a unit, in [0, 1)
};

class Dropout : public Brick {
 public:
  using Options = DropoutOptions;
  explicit Dropout(Options options = {});
  const char* type() const override { return "dropout"; }
  Shape output_shape(const Shape& in) const override { return in; }
  void forward(const Tensor& x, Tensor& y, Context& ctx) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  nlohmann::json config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
  // Per unit: 0 (dropped) or 1/(1-rate) (kept); empty after an inference
  // forward, in which case backward passes dy through.
  std::vector<float> mask_;
};

}  // namespace cnn
