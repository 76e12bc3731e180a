#include "model/logs.h"

#include <cmath>

namespace cnn {

double Logs::get(std::string_view name) const {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return values[i];
  return std::nan("");
}

bool Logs::has(std::string_view name) const {
  for (const auto& n : names)
    if (n == name) return true;
  return false;
}

void Logs::set(std::string_view name, double value) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) {
      values[i] = value;
      return;
    }
  names.emplace_back(name);
  values.push_back(value);
}

void LogsMean::add(const Logs& batch, int samples) {
  // Incremental mean: stable, and exact for equal batch sizes.
  weight_ += samples;
  const double f = samples / weight_;
  for (size_t i = 0; i < mean_.values.size() && i < batch.values.size(); ++i)
    mean_.values[i] += (batch.values[i] - mean_.values[i]) * f;
}

}  // namespace cnn
