// make_brick(): JSON config -> brick. One entry per brick type; each reads its
// options through ConfigReader, so a typo or a wrong type is an error that
// names the brick and the key, never a silent default.
#include <functional>
#include <nlohmann/json.hpp>

#include "bricks/add.h"
#include "bricks/all.h"
#include "bricks/config_reader.h"
#include "bricks/zero_pad.h"
#include "core/error.h"

namespace cnn {

namespace {

using Factory = std::function<std::unique_ptr<Brick>(ConfigReader&)>;

std::unique_ptr<Brick> conv2d(ConfigReader& r) {
  Conv2D::Options d;
  d.filters = r.get_int("filters", 0);
  d.kernel = r.get_int("kernel", d.kernel);
  d.stride = r.get_int("stride", d.stride);
  d.pad = r.get_int("pad", d.pad);
  d.bias = r.get_bool("bias", d.bias);
  d.init = r.get_string("init", d.init);
  d.init_scale = r.get_float("init_scale", d.init_scale);
  r.finish();
  return std::make_unique<Conv2D>(d);
}

std::unique_ptr<Brick> dense(ConfigReader& r) {
  Dense::Options d;
  d.units = r.get_int("units", 0);
  d.bias = r.get_bool("bias", d.bias);
  d.init = r.get_string("init", d.init);
  d.init_scale = r.get_float("init_scale", d.init_scale);
  r.finish();
  return std::make_unique<Dense>(d);
}

template <class Pool>
std::unique_ptr<Brick> pool(ConfigReader& r) {
  PoolOptions d;
  d.size = r.get_int("size", d.size);
  d.stride = r.get_int("stride", d.stride);
  r.finish();
  return std::make_unique<Pool>(d);
}

// Bricks without options.
template <class B>
std::unique_ptr<Brick> plain(ConfigReader& r) {
  r.finish();
  return std::make_unique<B>();
}

std::unique_ptr<Brick> leaky_relu(ConfigReader& r) {
  LeakyReLU::Options d;
  d.slope = r.get_float("slope", d.slope);
  r.finish();
  return std::make_unique<LeakyReLU>(d);
}

std::unique_ptr<Brick> dropout(ConfigReader& r) {
  Dropout::Options d;
  d.rate = r.get_float("rate", d.rate);
  r.finish();
  return std::make_unique<Dropout>(d);
}

std::unique_ptr<Brick> batchnorm(ConfigReader& r) {
  BatchNorm::Options d;
  d.momentum = r.get_float("momentum", d.momentum);
  d.eps = r.get_float("eps", d.eps);
  r.finish();
  return std::make_unique<BatchNorm>(d);
}

std::unique_ptr<Brick> zero_pad2d(ConfigReader& r) {
  ZeroPad2D::Options d;
  d.top = r.get_int("top", d.top);
  d.bottom = r.get_int("bottom", d.bottom);
  d.left = r.get_int("left", d.left);
  d.right = r.get_int("right", d.right);
  r.finish();
  return std::make_unique<ZeroPad2D>(d);
}

const std::vector<std::pair<std::string, Factory>>& factories() {
  static const std::vector<std::pair<std::string, Factory>> table = {
      {"conv2d", conv2d},
      {"dense", dense},
      {"maxpool2d", pool<MaxPool2D>},
      {"avgpool2d", pool<AvgPool2D>},
      {"global_avgpool", plain<GlobalAvgPool>},
      {"flatten", plain<Flatten>},
      {"sigmoid", plain<Sigmoid>},
      {"tanh", plain<Tanh>},
      {"relu", plain<ReLU>},
      {"leaky_relu", leaky_relu},
      {"ramp", plain<Ramp>},
      {"softmax", plain<Softmax>},
      {"dropout", dropout},
      {"batchnorm", batchnorm},
      {"add", plain<Add>},
      {"zero_pad2d", zero_pad2d},
  };
  return table;
}

}  // namespace

std::unique_ptr<Brick> make_brick(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("type") || !config["type"].is_string())
    throw Error("brick config needs a \"type\" string, got " + config.dump());
  const std::string type = config["type"].get<std::string>();
  std::string valid;
  for (const auto& [name, factory] : factories()) {
    if (name == type) {
      ConfigReader reader(config, type);
      return factory(reader);
    }
    valid += (valid.empty() ? "" : ", ") + name;
  }
  throw Error("unknown brick type '" + type + "' (valid: " + valid + ")");
}

}  // namespace cnn
