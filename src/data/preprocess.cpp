#include "data/preprocess.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace cnn {

namespace {

bool needs_stats(Preprocessing::Mode m) {
  return m == Preprocessing::Mode::kStandardize || m == Preprocessing::Mode::kMeanSubtract;
}

}  // namespace

Preprocessing Preprocessing::fit(Mode mode, const Dataset& train) {
  Preprocessing p;
  p.mode = mode;
  if (!needs_stats(mode)) return p;
  const Shape& s = train.x.shape();
  if (s.n == 0) throw Error(train.name + ": cannot compute preprocessing statistics: no samples");
  // Sums in double: 60000 x 784 pixels would lose digits in float.
  for (int c = 0; c < s.c; ++c) {
    double sum = 0, sum_sq = 0;
    for (int n = 0; n < s.n; ++n) {
      const float* plane = train.x.sample(n) + size_t(c) * s.plane();
      for (size_t i = 0; i < s.plane(); ++i) {
        double v = plane[i] / 255.0;
        sum += v;
        sum_sq += v * v;
      }
    }
    double count = double(s.n) * double(s.plane());
    double mean = sum / count;
    double var = std::max(0.0, sum_sq / count - mean * mean);
    double sd = std::sqrt(var);
    p.mean.push_back(float(mean));
    // A constant channel has no spread to divide by; leave it unscaled.
    p.std.push_back(sd > 1e-6 ? float(sd) : 1.f);
  }
  if (mode == Mode::kMeanSubtract) p.std.clear();
  return p;
}

void Preprocessing::apply(Tensor& x) const {
  const Shape& s = x.shape();
  switch (mode) {
    case Mode::kNone:
      return;
    case Mode::kScale01:
      for (size_t i = 0; i < x.size(); ++i) x[i] *= 1.f / 255.f;
      return;
    case Mode::kScaleSigned:
      for (size_t i = 0; i < x.size(); ++i) x[i] = x[i] * (1.f / 127.5f) - 1.f;
      return;
    case Mode::kStandardize:
    case Mode::kMeanSubtract:
      break;
  }
  if (int(mean.size()) != s.c || (mode == Mode::kStandardize && int(std.size()) != s.c))
    throw Error("preprocessing '" + mode_name(mode) + "' was fitted on " +
                std::to_string(mean.size()) + " channels but the input has " + std::to_string(s.c));
  // One multiply-add per pixel: (x/255 - m) / sd = x * (1/(255 sd)) - m/sd.
  for (int c = 0; c < s.c; ++c) {
    const float sd = mode == Mode::kStandardize ? std[size_t(c)] : 1.f;
    const float scale = 1.f / (255.f * sd), shift = -mean[size_t(c)] / sd;
    for (int n = 0; n < s.n; ++n) {
      float* plane = x.sample(n) + size_t(c) * s.plane();
      for (size_t i = 0; i < s.plane(); ++i) plane[i] = plane[i] * scale + shift;
    }
  }
}

void Preprocessing::unapply(Tensor& x) const {
  const Shape& s = x.shape();
  if (needs_stats(mode) &&
      (int(mean.size()) != s.c || (mode == Mode::kStandardize && int(std.size()) != s.c)))
    throw Error("preprocessing '" + mode_name(mode) + "' was fitted on " +
                std::to_string(mean.size()) + " channels but the input has " + std::to_string(s.c));
  // raw = x * scale + shift per channel, the inverse of apply()'s affine map.
  for (int c = 0; c < s.c; ++c) {
    float scale = 1.f, shift = 0.f;
    switch (mode) {
      case Mode::kNone:
        break;
      case Mode::kScale01:
        scale = 255.f;
        break;
      case Mode::kScaleSigned:
        scale = 127.5f, shift = 127.5f;
        break;
      case Mode::kStandardize:
      case Mode::kMeanSubtract: {
        const float sd = mode == Mode::kStandardize ? std[size_t(c)] : 1.f;
        scale = 255.f * sd, shift = 255.f * mean[size_t(c)];
        break;
      }
    }
    for (int n = 0; n < s.n; ++n) {
      float* plane = x.sample(n) + size_t(c) * s.plane();
      for (size_t i = 0; i < s.plane(); ++i)
        plane[i] = std::clamp(std::round(plane[i] * scale + shift), 0.f, 255.f);
    }
  }
}

nlohmann::json Preprocessing::to_json() const {
  nlohmann::json j = {{"mode", mode_name(mode)}};
  if (!mean.empty()) j["mean"] = mean;
  if (!std.empty()) j["std"] = std;
  return j;
}

Preprocessing Preprocessing::from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("mode") || !j["mode"].is_string())
    throw Error("preprocessing: expected an object with a \"mode\" string, got " + j.dump());
  Preprocessing p;
  p.mode = parse_mode(j["mode"].get<std::string>());
  auto floats = [&](const char* key) {
    std::vector<float> v;
    if (!j.contains(key)) return v;
    const nlohmann::json& a = j[key];
    if (!a.is_array()) throw Error(std::string("preprocessing: \"") + key + "\" is not an array");
    for (const auto& e : a) {
      if (!e.is_number())
        throw Error(std::string("preprocessing: \"") + key + "\" has a non-number");
      v.push_back(e.get<float>());
    }
    return v;
  };
  p.mean = floats("mean");
  p.std = floats("std");
  if (needs_stats(p.mode)) {
    if (p.mean.empty()) throw Error("preprocessing '" + mode_name(p.mode) + "' needs \"mean\"");
    if (p.mode == Mode::kStandardize && p.std.size() != p.mean.size())
      throw Error("preprocessing 'standardize' needs one \"std\" per \"mean\" entry");
    for (float sd : p.std)
      if (!(sd > 0.f)) throw Error("preprocessing: \"std\" entries must be positive");
  }
  return p;
}

Preprocessing::Mode Preprocessing::parse_mode(const std::string& name) {
  if (name == "none") return Mode::kNone;
  if (name == "scale01") return Mode::kScale01;
  if (name == "scale-1-1" || name == "signed") return Mode::kScaleSigned;
  if (name == "standardize") return Mode::kStandardize;
  if (name == "mean") return Mode::kMeanSubtract;
  throw Error("unknown preprocessing '" + name +
              "': choose none, scale01, scale-1-1 (or signed), standardize or mean");
}

std::string Preprocessing::mode_name(Mode mode) {
  switch (mode) {
    case Mode::kNone:
      return "none";
    case Mode::kScale01:
      return "scale01";
    case Mode::kScaleSigned:
      return "scale-1-1";
    case Mode::kStandardize:
      return "standardize";
    case Mode::kMeanSubtract:
      return "mean";
  }
  return "?";
}

}  // namespace cnn
