#include "style/layer_weights.h"

#include <cmath>
#include <cstdlib>

#include "core/error.h"

namespace cnn {

namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ',') {
      const size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
      if (a != std::string::npos) out.push_back(item.substr(a, b - a + 1));
      item.clear();
    } else {
      item += s[i];
    }
  }
  return out;
}

}  // namespace

StyleDefaults style_defaults(StyleBackbone backbone) {
  switch (backbone) {
    case StyleBackbone::kResNet50:
      return {"conv4_block6_out", "conv1_relu,conv2_block3_out,conv3_block4_out,conv4_block6_out",
              1e3f, 1.f};
    case StyleBackbone::kResNet50Stage3:
      return {"conv3_block4_out", "conv1_relu,conv2_block3_out,conv3_block4_out", 1e3f, 1.f};
    case StyleBackbone::kVgg:
      break;
  }
  return {"relu4_2", "relu1_1,relu2_1,relu3_1,relu4_1,relu5_1", 1e4f, 0.f};
}

std::vector<LayerWeight> parse_layer_weights(const std::string& layers, const std::string& weights,
                                             const std::string& what) {
  const std::vector<std::string> names = split_list(layers), w = split_list(weights);
  if (names.empty()) throw Error(what + ": no layer given");
  if (!w.empty() && w.size() != names.size())
    throw Error(what + ": " + std::to_string(w.size()) + " weights for " +
                std::to_string(names.size()) + " layers");
  std::vector<LayerWeight> out;
  for (size_t i = 0; i < names.size(); ++i) {
    float weight = 1.f / float(names.size());
    if (!w.empty()) {
      char* end = nullptr;
      weight = std::strtof(w[i].c_str(), &end);
      if (end == w[i].c_str() || *end != '\0' || !(weight >= 0.f) || !std::isfinite(weight))
        throw Error(what + ": \"" + w[i] + "\" is not a weight >= 0");
    }
    out.push_back({names[i], weight});
  }
  return out;
}

}  // namespace cnn
