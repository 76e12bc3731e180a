#include "optim/schedule.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/fmath.h"

namespace cnn {

float StepDecay::epoch_begin(int epoch, float base_lr, float) {
  // The engine's own power (not libm's) keeps deterministic runs identical across builds.
  return base_lr * float(fm::powi(double(factor_), epoch / every_));
}

nlohmann::json StepDecay::config() const {
  return {{"type", "step"}, {"every", every_}, {"factor", factor_}};
}

float ReduceOnPlateau::epoch_begin(int, float, float current_lr) {
  return current_lr;
}

float ReduceOnPlateau::epoch_end(float current_lr, float error) {
  if (error < best_) {
    best_ = error;
    wait_ = 0;
    return current_lr;
  }
  if (++wait_ < patience_) return current_lr;
  wait_ = 0;
  return std::max(min_lr_, current_lr * factor_);
}

nlohmann::json ReduceOnPlateau::config() const {
  nlohmann::json c = {{"type", "plateau"},
                      {"factor", factor_},
                      {"patience", patience_},
                      {"min_lr", min_lr_},
                      {"wait", wait_}};
  if (std::isfinite(best_)) c["best"] = best_;
  return c;
}

std::unique_ptr<LrSchedule> make_schedule(const nlohmann::json& config) {
  if (config.is_null() || config == "none") return nullptr;
  nlohmann::json c = config.is_string() ? nlohmann::json{{"type", config}} : config;
  const std::string type = c.value("type", "");
  if (type == "step") {
    int every = c.value("every", 1);
    float factor = c.value("factor", 0.5f);
    if (every < 1 || !(factor > 0.f)) throw Error("schedule step: need every >= 1 and factor > 0");
    return std::make_unique<StepDecay>(every, factor);
  }
  if (type == "plateau") {
    auto s = std::make_unique<ReduceOnPlateau>(c.value("factor", 0.5f), c.value("patience", 1),
                                               c.value("min_lr", 1e-6f));
    if (c.contains("best")) s->restore(c["best"].get<float>(), c.value("wait", 0));
    return s;
  }
  throw Error("unknown learning-rate schedule \"" + c.dump() + "\" (choose none, step or plateau)");
}

}  // namespace cnn
