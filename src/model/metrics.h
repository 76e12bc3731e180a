// Metrics reported beside the losses. A metric compares an output batch with
// its targets (in any of the target forms losses accept, see losses/loss.h).
#pragma once
#include <string>

#include "core/tensor.h"

namespace cnn {

// Fraction of correct predictions in the batch.
//  - K > 1 outputs: argmax against the integer label or the target's argmax
//    (categorical / sparse categorical accuracy);
//  - one output per element (binary): threshold at 0.5 for "probabilities",
//    at 0 for "logits" and "signed", against targets in {0,1} or {-1,+1}.
double accuracy(const Tensor& output, const Tensor& target, const std::string& output_kind);

// Canonical metric name, or throws cnn::Error for an unknown metric.
std::string canonical_metric(const std::string& name);

// Computes a metric by canonical name.
double compute_metric(const std::string& name, const Tensor& output, const Tensor& target,
                      const std::string& output_kind);

// The predicted class of each sample (argmax over channels), for confusion
// matrices and the UI.
int predicted_class(const Tensor& output, int sample);

}  // namespace cnn
