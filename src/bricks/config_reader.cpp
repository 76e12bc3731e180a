#include "bricks/config_reader.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace cnn {

ConfigReader::ConfigReader(const nlohmann::json& config, std::string owner)
    : config_(config), owner_(std::move(owner)) {
  if (!config_.is_object())
    throw Error(owner_ + ": config must be a JSON object, got " + config_.dump());
}

const nlohmann::json* ConfigReader::find(const char* key) {
  known_.push_back(key);
  auto it = config_.find(key);
  return it == config_.end() ? nullptr : &*it;
}

void ConfigReader::fail(const char* key, const char* expected) const {
  throw Error(owner_ + ": '" + key + "' must be " + expected + ", got " + config_.at(key).dump());
}

int ConfigReader::get_int(const char* key, int fallback) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (v->is_number_integer()) return v->get<int>();
  // 16.0 is accepted (JSON writers may emit integers as floats); 16.5 is not.
  if (v->is_number_float()) {
    double d = v->get<double>();
    if (d == std::floor(d) && std::abs(d) < 1e9) return int(d);
  }
  fail(key, "an integer");
}

float ConfigReader::get_float(const char* key, float fallback) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_number()) fail(key, "a number");
  return v->get<float>();
}

bool ConfigReader::get_bool(const char* key, bool fallback) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_boolean()) fail(key, "true or false");
  return v->get<bool>();
}

std::string ConfigReader::get_string(const char* key, const std::string& fallback) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_string()) fail(key, "a string");
  return v->get<std::string>();
}

void ConfigReader::finish() const {
  for (const auto& [key, value] : config_.items()) {
    (void)value;
    if (key == "type" || key == "name" || key == "trainable") continue;
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string valid;
    for (const std::string& k : known_) valid += (valid.empty() ? "" : ", ") + k;
    throw Error(owner_ + ": unknown option '" + key +
                "' (valid: " + (valid.empty() ? "none" : valid) + ")");
  }
}

}  // namespace cnn
