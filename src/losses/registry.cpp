// make_loss(): name or JSON config -> loss. Names follow Keras; aliases map
// to one canonical type, which is what config() writes back.
#include <functional>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "bricks/config_reader.h"
#include "core/error.h"
#include "losses/all.h"

namespace cnn {

namespace {

using Factory = std::function<std::unique_ptr<Loss>(ConfigReader&)>;

template <class L>
std::unique_ptr<Loss> plain(ConfigReader& r) {
  r.finish();
  return std::make_unique<L>();
}

template <class L>
std::unique_ptr<Loss> with_margin(ConfigReader& r) {
  MarginOptions o;
  o.margin = r.get_float("margin", o.margin);
  r.finish();
  return std::make_unique<L>(o);
}

struct Entry {
  std::vector<std::string> names;  // canonical first, then aliases
  Factory make;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = {
      {{"mse", "square", "mean_squared_error"}, plain<MeanSquaredError>},
      {{"binary_crossentropy"}, plain<BinaryCrossentropy>},
      {{"binary_crossentropy_logits"}, plain<BinaryCrossentropyLogits>},
      {{"categorical_crossentropy", "sparse_categorical_crossentropy"},
       plain<CategoricalCrossentropy>},
      {{"softmax_crossentropy", "log_softmax"}, plain<SoftmaxCrossentropy>},
      {{"logistic"}, plain<Logistic>},
      {{"hinge"}, with_margin<Hinge>},
      {{"max_margin", "multiclass_hinge"}, with_margin<MaxMargin>},
  };
  return table;
}

}  // namespace

std::unique_ptr<Loss> make_loss(const nlohmann::json& config) {
  if (config.is_string()) return make_loss(config.get<std::string>());
  if (!config.is_object() || !config.contains("type") || !config["type"].is_string())
    throw Error("loss config needs a \"type\" string, got " + config.dump());
  const std::string type = config["type"].get<std::string>();
  std::string valid;
  for (const Entry& e : entries()) {
    for (const std::string& name : e.names) {
      if (name == type) {
        ConfigReader reader(config, e.names[0]);
        return e.make(reader);
      }
      valid += (valid.empty() ? "" : ", ") + name;
    }
  }
  throw Error("unknown loss '" + type + "' (valid: " + valid + ")");
}

std::unique_ptr<Loss> make_loss(const std::string& name) {
  return make_loss(nlohmann::json{{"type", name}});
}

std::unique_ptr<Loss> make_loss(const char* name) {
  return make_loss(std::string(name));
}

}  // namespace cnn
