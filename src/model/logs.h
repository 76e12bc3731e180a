// Named training values (loss, per-output losses and metrics), kept as two
// parallel vectors so updating them per batch allocates nothing.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace cnn {

struct Logs {
  std::vector<std::string> names;
  std::vector<double> values;

  void reset(const std::vector<std::string>& n) {
    names = n;
    values.assign(n.size(), 0.0);
  }
  // NaN when absent.
  double get(std::string_view name) const;
  bool has(std::string_view name) const;
  // Appends or overwrites.
  void set(std::string_view name, double value);
};

// Sample-weighted running means of Logs over an epoch.
class LogsMean {
 public:
  void reset(const std::vector<std::string>& names) {
    mean_.reset(names);
    weight_ = 0;
  }
  void add(const Logs& batch, int samples);
  const Logs& mean() const { return mean_; }

 private:
  Logs mean_;
  double weight_ = 0;
};

}  // namespace cnn
