// Which layers style transfer matches, and how much each counts: the
// defaults per backbone and the "a,b,c" / "0.5,0.25,0.25" fields the command
// line and the playground take.
#pragma once
#include <string>
#include <vector>

#include "style/style_transfer.h"

namespace cnn {

enum class StyleBackbone {
  kVgg,             // VGG16/VGG19: Gatys et al.'s layers
  kResNet50,        // the whole ResNet50 (stages 1-4)
  kResNet50Stage3,  // ResNet50's stages 1-3 (the web page's embedded asset)
};

// The starting settings: layers "a,b,c", the style loss's weight and the
// activation smoothing's temperature (0 = off). ResNet: the stage outputs,
// with the smoothing of Wang et al. (2021) on, as plain ResNet features
// stylise poorly.
struct StyleDefaults {
  std::string content_layers, style_layers;
  float style_weight, smoothing;
};
StyleDefaults style_defaults(StyleBackbone backbone);

// "relu1_1,relu2_1" with weights "0.5,0.5" (or "": equal weights summing to
// 1); blanks around items are ignored. Throws cnn::Error naming a bad weight
// or a count mismatch; `what` names the field ("style layers", "--style-weights").
std::vector<LayerWeight> parse_layer_weights(const std::string& layers, const std::string& weights,
                                             const std::string& what);

}  // namespace cnn
