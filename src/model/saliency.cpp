#include "model/saliency.h"

#include <algorithm>
#include <string>

#include "core/error.h"

namespace cnn {

SaliencyResult saliency(Model& model, const Tensor& x, int target, int output) {
  if (x.shape().n != 1)
    throw Error("saliency: one sample at a time, got a batch of " + std::to_string(x.shape().n));
  const int outputs = int(model.outputs().size());
  if (output < 0 || output >= outputs)
    throw Error("saliency: output " + std::to_string(output) + " does not exist (the model has " +
                std::to_string(outputs) + ")");
  const std::vector<const Tensor*>& outs = model.forward(x, Mode::kInference);
  const Tensor& scores = *outs[size_t(output)];

  SaliencyResult r;
  r.scores.assign(scores.data(), scores.data() + scores.size());
  r.predicted = int(std::max_element(r.scores.begin(), r.scores.end()) - r.scores.begin());
  r.target = target < 0 ? r.predicted : target;
  if (r.target >= int(r.scores.size()))
    throw Error("saliency: class " + std::to_string(r.target) + " does not exist (the output has " +
                std::to_string(r.scores.size()) + " values)");

  // d score / d outputs: one at the target class of the chosen output, zero elsewhere.
  std::vector<Tensor> seeds;
  seeds.reserve(size_t(outputs));
  std::vector<const Tensor*> views;
  for (int o = 0; o < outputs; ++o) {
    seeds.emplace_back(outs[size_t(o)]->shape(), 0.f);
    views.push_back(&seeds.back());
  }
  seeds[size_t(output)][size_t(r.target)] = 1.f;
  // Backward adds to the parameter gradients, which may hold a batch in
  // progress (the playground trains a batch in parts, and this may run
  // between two of them): keep them and put them back afterwards.
  std::vector<Param*> params = model.params();
  std::vector<Tensor> kept(params.size());
  for (size_t k = 0; k < params.size(); ++k) kept[k] = params[k]->grad;
  model.backward(views, /*want_input_grad=*/true);
  r.gradient = model.input_grad();
  for (size_t k = 0; k < params.size(); ++k)
    std::copy(kept[k].data(), kept[k].data() + kept[k].size(), params[k]->grad.data());
  return r;
}

}  // namespace cnn
