#include "model/zoo.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace cnn {

using nlohmann::json;

namespace {

json conv(int filters, int kernel, int pad) {
  return {{"type", "conv2d"}, {"filters", filters}, {"kernel", kernel}, {"pad", pad}};
}
json dense(int units) {
  return {{"type", "dense"}, {"units", units}};
}
json simple(const char* type) {
  return {{"type", type}};
}
json maxpool() {
  return {{"type", "maxpool2d"}, {"size", 2}};
}
json dropout(float rate) {
  return {{"type", "dropout"}, {"rate", rate}};
}

// The bricks of each preset, in order (a chain).
std::vector<json> chain(const std::string& name, int classes) {
  if (name == "lenet")
    // LeNet-5's shape with ReLU and max pooling, wide enough to pass 98.5%
    // on MNIST in two epochs of Adam.
    return {conv(16, 5, 2), simple("relu"), maxpool(),      conv(32, 5, 2), simple("relu"),
            maxpool(),      dense(128),     simple("relu"), dense(classes)};
  if (name == "mnist-small")
    // The network of the mnist-train benchmark (and of the peers' scripts).
    return {conv(8, 5, 2),  simple("relu"), maxpool(),     conv(16, 5, 2),
            simple("relu"), maxpool(),      dense(classes)};
  if (name == "convnetjs-cifar")
    // ConvNetJS's CIFAR-10 demo network.
    return {conv(16, 5, 2), simple("relu"), maxpool(),      conv(20, 5, 2), simple("relu"),
            maxpool(),      conv(20, 5, 2), simple("relu"), maxpool(),      dense(classes)};
  if (name == "vgg-small") {
    // Two VGG blocks (3x3 convs, batch norm, dropout) and a small classifier.
    std::vector<json> b;
    for (int filters : {32, 64}) {
      for (int i = 0; i < 2; ++i) {
        b.push_back(conv(filters, 3, 1));
        b.push_back(simple("batchnorm"));
        b.push_back(simple("relu"));
      }
      b.push_back(maxpool());
      b.push_back(dropout(0.25f));
    }
    for (const json& j :
         {dense(128), simple("batchnorm"), simple("relu"), dropout(0.5f), dense(classes)})
      b.push_back(j);
    return b;
  }
  std::string names;
  for (const Preset& p : presets()) names += (names.empty() ? "" : ", ") + p.name;
  throw Error("unknown model \"" + name + "\" (choose one of: " + names + ")");
}

}  // namespace

const std::vector<Preset>& presets() {
  static const std::vector<Preset> list = {
      {"lenet", "LeNet-style: conv16 5x5, pool, conv32 5x5, pool, dense128, dense (MNIST default)"},
      {"mnist-small", "conv8 5x5, pool, conv16 5x5, pool, dense (the benchmark network)"},
      {"convnetjs-cifar", "ConvNetJS's CIFAR-10 net: three conv 5x5 (16/20/20) + pool, dense"},
      {"vgg-small", "VGG-style: 2x(conv3x3, BN, ReLU) x2 blocks with dropout, dense128, dense"},
  };
  return list;
}

Model make_preset(const std::string& name, Shape sample_shape, int classes) {
  Model model(sample_shape);
  for (const json& config : chain(name, classes)) model.add(make_brick(config));
  return model;
}

}  // namespace cnn
