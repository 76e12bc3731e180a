// A loss compares a model output with its target and gives the gradient that
// starts backpropagation. Losses are bricks in spirit: forward then backward.
//
// Targets. Outputs are (N, K, 1, 1) (or any NCHW shape for MSE). A target is
//   - the same shape as the output (one-hot rows, probabilities, regression
//     values, or {-1,+1} / {0,1} labels for binary losses), or
//   - (N, 1, 1, 1) integer class indices when the output has K > 1 channels
//     (Keras "sparse" labels), for the categorical and max-margin losses.
//
// Reduction, as Keras: the loss is the mean over the batch of a per-sample
// loss; per-sample MSE/BCE/logistic/hinge average over the sample's elements,
// categorical losses sum over the classes.
#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/tensor.h"

namespace cnn {

class Loss {
 public:
  virtual ~Loss() = default;
  virtual const char* type() const = 0;
  // Mean loss over the batch. Throws cnn::Error if target does not fit output.
  virtual float forward(const Tensor& output, const Tensor& target) = 0;
  // doutput = d(forward)/d(output), written (resized by the loss).
  virtual void backward(const Tensor& output, const Tensor& target, Tensor& doutput) = 0;
  // {"type": ..., hyperparameters}; make_loss(config()) rebuilds it.
  virtual nlohmann::json config() const = 0;
  // What a prediction means, for metrics: "probabilities", "logits", or
  // "signed" (sign is the class, for logistic and hinge with c = +-1).
  virtual const char* output_kind() const = 0;
};

// Builds a loss from a name ("mse", "categorical_crossentropy", ...) or a JSON
// config ({"type": "hinge", "margin": 1}). Throws cnn::Error for unknown names.
std::unique_ptr<Loss> make_loss(const nlohmann::json& config);
std::unique_ptr<Loss> make_loss(const std::string& name);
// make_loss("mse"): a string literal would otherwise be ambiguous between the two.
std::unique_ptr<Loss> make_loss(const char* name);

}  // namespace cnn
