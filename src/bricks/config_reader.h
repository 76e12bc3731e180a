// Reads the JSON config of a brick or a loss, so that every bad config gives a
// message naming the owner, the key and what was expected:
//   "conv2d: 'filters' must be an integer, got \"16\""
//   "dense: unknown option 'unit' (valid: units, bias, init, init_scale)"
// Keys are read with get_*(key, fallback); finish() then rejects any key that
// was not read, so a typo cannot silently fall back to a default.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cnn {

class ConfigReader {
 public:
  // owner prefixes every message ("conv2d"). Throws if config is not an object.
  ConfigReader(const nlohmann::json& config, std::string owner);

  int get_int(const char* key, int fallback);
  float get_float(const char* key, float fallback);
  bool get_bool(const char* key, bool fallback);
  std::string get_string(const char* key, const std::string& fallback);

  // Throws for keys that were never read. "type", and the model-level keys
  // "name" and "trainable", are always allowed.
  void finish() const;

 private:
  const nlohmann::json* find(const char* key);
  [[noreturn]] void fail(const char* key, const char* expected) const;

  const nlohmann::json& config_;
  std::string owner_;
  std::vector<std::string> known_;
};

}  // namespace cnn
