#include "model/metrics.h"

#include "core/error.h"

namespace cnn {

int predicted_class(const Tensor& output, int sample) {
  const int k = output.shape().c;
  const size_t plane = output.shape().plane();
  const float* o = output.sample(sample);
  int best = 0;
  for (int j = 1; j < k; ++j)
    if (o[j * plane] > o[best * plane]) best = j;
  return best;
}

double accuracy(const Tensor& output, const Tensor& target, const std::string& output_kind) {
  const Shape& s = output.shape();
  const int n = s.n;
  if (n == 0) return 0.0;
  if (s.c > 1 && s.plane() == 1) {
    const bool sparse = target.shape().c == 1;
    int correct = 0;
    for (int i = 0; i < n; ++i) {
      int label = sparse ? int(target.sample(i)[0]) : predicted_class(target, i);
      correct += predicted_class(output, i) == label;
    }
    return double(correct) / n;
  }
  // Binary: every element is its own yes/no decision.
  const float threshold = output_kind == "probabilities" ? 0.5f : 0.f;
  const float positive_target = output_kind == "signed" ? 0.f : 0.5f;
  size_t correct = 0;
  for (size_t i = 0; i < output.size(); ++i)
    correct += (output[i] > threshold) == (target[i] > positive_target);
  return double(correct) / double(output.size());
}

std::string canonical_metric(const std::string& name) {
  if (name == "accuracy" || name == "acc" || name == "sparse_categorical_accuracy" ||
      name == "categorical_accuracy" || name == "binary_accuracy")
    return "accuracy";
  throw Error("unknown metric \"" + name + "\" (available: accuracy)");
}

double compute_metric(const std::string& name, const Tensor& output, const Tensor& target,
                      const std::string& output_kind) {
  if (name == "accuracy") return accuracy(output, target, output_kind);
  throw Error("unknown metric \"" + name + "\"");
}

}  // namespace cnn
