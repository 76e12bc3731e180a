#include "app/app_options.h"

#include <algorithm>

#include "core/error.h"
#include "model/zoo.h"

namespace cnn::app {

namespace {

// "a, b, c" from a list of names.
std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The option parsers: each keeps `out` and returns false when `value` is no good.
bool read_int(const std::string& value, int min, int& out) {
  try {
    size_t used = 0;
    const int v = std::stoi(value, &used);
    if (used != value.size() || v < min) return false;
    out = v;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool read_positive(const std::string& value, double& out) {
  try {
    size_t used = 0;
    const double v = std::stod(value, &used);
    if (used != value.size() || !(v > 0)) return false;
    out = v;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

const std::vector<std::string> kKnown = {
    "dataset",   "model",       "epochs",    "batch",     "batch-size",    "lr",
    "optimizer", "seed",        "limit",     "threads",   "slice",         "autostart",
    "smoke-test", "screenshot", "width",     "height",    "present",       "preprocessing",
    "hflip",     "crop-pad",    "translate", "jitter",    "data",          "inside",
    "shader-fault", "style",    "style-demo", "backbone", "transfer",      "transfer-demo"};

}  // namespace

AppOptions AppOptions::parse(const std::map<std::string, std::string>& options,
                             const std::vector<std::string>& datasets) {
  AppOptions o;
  if (!datasets.empty()) o.dataset = datasets.front();
  auto bad = [&](const std::string& key, const std::string& value, const std::string& expected) {
    o.messages.push_back("option " + key + "=\"" + value + "\": expected " + expected +
                         "; using the default");
  };
  auto whole = [&](const std::string& key, const std::string& value, int min, int& out) {
    if (!read_int(value, min, out))
      bad(key, value, "a whole number >= " + std::to_string(min));
  };
  auto positive = [&](const std::string& key, const std::string& value, auto& out) {
    double v = 0;
    if (read_positive(value, v))
      out = static_cast<std::remove_reference_t<decltype(out)>>(v);
    else
      bad(key, value, "a positive number");
  };
  for (const auto& [key, value] : options) {
    if (key == "dataset") {
      if (std::find(datasets.begin(), datasets.end(), value) != datasets.end())
        o.dataset = value;
      else
        bad(key, value, "one of " + joined(datasets));
    } else if (key == "model") {
      std::vector<std::string> names;
      for (const Preset& p : presets()) names.push_back(p.name);
      if (std::find(names.begin(), names.end(), value) != names.end())
        o.model = value;
      else
        bad(key, value, "one of " + joined(names));
    } else if (key == "epochs") {
      whole(key, value, 1, o.train.epochs);
    } else if (key == "batch" || key == "batch-size") {
      whole(key, value, 1, o.train.batch_size);
    } else if (key == "lr") {
      positive(key, value, o.train.lr);
    } else if (key == "optimizer") {
      if (value == "adam" || value == "sgd")
        o.train.optimizer = value;
      else
        bad(key, value, "adam or sgd");
    } else if (key == "seed") {
      int seed = 0;
      if (read_int(value, 0, seed))
        o.train.seed = decltype(o.train.seed)(seed);
      else
        bad(key, value, "a whole number >= 0");
    } else if (key == "limit") {
      whole(key, value, 0, o.limit);
    } else if (key == "threads") {
      whole(key, value, 1, o.threads);
    } else if (key == "slice") {
      positive(key, value, o.slice_ms);
    } else if (key == "autostart") {
      o.autostart = true;
    } else if (key == "smoke-test") {
      whole(key, value, 1, o.smoke_test);
      o.autostart = o.smoke_test > 0;
    } else if (key == "screenshot") {
      o.screenshot = value;
    } else if (key == "width") {
      whole(key, value, 320, o.width);
    } else if (key == "height") {
      whole(key, value, 240, o.height);
    } else if (key == "present") {
      o.present = true;
    } else if (key == "style") {
      o.style = true;
    } else if (key == "backbone") {
      o.backbone = value;
    } else if (key == "style-demo") {
      whole(key, value, 1, o.style_demo);
      o.style = true;
    } else if (key == "transfer") {
      o.transfer = true;
    } else if (key == "transfer-demo") {
      o.transfer = o.transfer_demo = true;
    } else if (key == "inside") {
      o.inside = true;
    } else if (key == "shader-fault") {
      o.shader_fault = true;
    } else if (key == "preprocessing") {
      try {
        o.preprocessing = Preprocessing::parse_mode(value);
      } catch (const Error& e) {
        o.messages.push_back("option preprocessing=\"" + value + "\": " + e.what() +
                             "; using the default");
      }
    } else if (key == "hflip") {
      o.augmentation.hflip = true;
    } else if (key == "crop-pad") {
      whole(key, value, 0, o.augmentation.crop_pad);
    } else if (key == "translate") {
      whole(key, value, 0, o.augmentation.translate);
    } else if (key == "jitter") {
      float jitter = 0;
      positive(key, value, jitter);
      if (jitter > 0) o.augmentation.brightness = o.augmentation.contrast = jitter;
    } else if (key == "data") {
      for (size_t start = 0; start <= value.size();) {
        const size_t comma = std::min(value.find(',', start), value.size());
        if (comma > start) o.data.push_back(value.substr(start, comma - start));
        start = comma + 1;
      }
    } else {
      o.messages.push_back("unknown option \"" + key + "\" (known: " + joined(kKnown) +
                           "); ignored");
    }
  }
  return o;
}

}  // namespace cnn::app
