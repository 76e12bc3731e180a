// Saliency: how strongly each input pixel moves one class score,
// d score_c / d x (Simonyan, Vedaldi & Zisserman 2013, "Deep Inside
// Convolutional Networks"), from one forward and one backward pass through
// the model with its input gradient switched on. The playground's "Inside the
// network" panel draws it over the input.
//
// The score is the model output's value for the class: a logit for models
// trained with softmax_crossentropy (as the playground's presets are), a
// probability after a final softmax brick. Logits are the usual choice: a
// probability's gradient also carries the other classes' scores.
#pragma once
#include <vector>

#include "core/tensor.h"
#include "model/model.h"

namespace cnn {

struct SaliencyResult {
  std::vector<float> scores;  // the chosen output's values for the sample
  int predicted = -1;         // the class with the highest score
  int target = -1;            // the class whose score was differentiated
  Tensor gradient;            // d scores[target] / d x, shaped like x (1, C, H, W)
};

// One sample x (batch 1, the model's input shape), in inference mode.
// target < 0 differentiates the predicted class's score; `output` picks the
// model output for multi-output models. Afterwards model.node_output(i) holds
// every node's activations for x; the parameter gradients are left at zero.
// Throws cnn::Error for a batch that is not 1 or a class or output out of range.
SaliencyResult saliency(Model& model, const Tensor& x, int target = -1, int output = 0);

}  // namespace cnn
