#include "optim/optimizer.h"

#include <cmath>

#include "core/error.h"
#include "core/fmath.h"

namespace cnn {

void Optimizer::prepare(const std::vector<Param*>& params) {
  resize_state(params);
}

void Optimizer::step(const std::vector<Param*>& params) {
  if (!lr_multipliers.empty() && lr_multipliers.size() != params.size())
    throw Error("optimizer: " + std::to_string(lr_multipliers.size()) +
                " learning-rate multipliers for " + std::to_string(params.size()) + " parameters");
  resize_state(params);
  ++steps_;
  begin_step();
  for (size_t i = 0; i < params.size(); ++i) {
    Param& p = *params[i];
    const float* g = p.grad.data();
    if (l2 > 0.f && p.decay) {
      decayed_.resize(p.grad.shape());
      const float* w = p.value.data();
      float* d = decayed_.data();
      for (size_t j = 0; j < p.grad.size(); ++j) d[j] = g[j] + l2 * w[j];
      g = d;
    }
    if (lr_multipliers.empty()) {
      update(i, p, g);
      continue;
    }
    // update() reads learning_rate, so each parameter sees its own rate.
    const float base = learning_rate;
    learning_rate = base * lr_multipliers.at(i);
    update(i, p, g);
    learning_rate = base;
  }
}

namespace {
// Keeps a state vector aligned with the parameter list: one zero tensor per
// parameter, shaped like it. Allocates only when the list changes.
void match_state(std::vector<Tensor>& state, const std::vector<Param*>& params) {
  if (state.size() == params.size()) {
    bool same = true;
    for (size_t i = 0; i < params.size() && same; ++i)
      same = state[i].shape() == params[i]->value.shape();
    if (same) return;
  }
  state.clear();
  for (const Param* p : params) state.emplace_back(p->value.shape(), 0.f);
}
}  // namespace

Sgd::Sgd(Options o) : o_(o) {
  learning_rate = o.lr;
  l2 = o.l2;
}

nlohmann::json Sgd::config() const {
  return {{"type", "sgd"},
          {"lr", learning_rate},
          {"momentum", o_.momentum},
          {"nesterov", o_.nesterov},
          {"l2", l2}};
}

std::vector<StateSlot> Sgd::state(size_t i) {
  if (o_.momentum == 0.f) return {};
  return {{"velocity", &velocity_.at(i)}};
}

void Sgd::resize_state(const std::vector<Param*>& params) {
  if (o_.momentum != 0.f) match_state(velocity_, params);
}

void Sgd::update(size_t i, Param& p, const float* g) {
  float* w = p.value.data();
  const size_t n = p.value.size();
  const float lr = learning_rate;
  if (o_.momentum == 0.f) {
    for (size_t j = 0; j < n; ++j) w[j] -= lr * g[j];
    return;
  }
  float* v = velocity_[i].data();
  const float mu = o_.momentum;
  for (size_t j = 0; j < n; ++j) {
    v[j] = mu * v[j] + g[j];
    w[j] -= lr * (o_.nesterov ? g[j] + mu * v[j] : v[j]);
  }
}

Adam::Adam(Options o) : o_(o) {
  learning_rate = o.lr;
  l2 = o.l2;
}

nlohmann::json Adam::config() const {
  return {{"type", "adam"},    {"lr", learning_rate}, {"beta1", o_.beta1},
          {"beta2", o_.beta2}, {"eps", o_.eps},       {"l2", l2}};
}

std::vector<StateSlot> Adam::state(size_t i) {
  return {{"m", &m_.at(i)}, {"v", &v_.at(i)}};
}

void Adam::resize_state(const std::vector<Param*>& params) {
  match_state(m_, params);
  match_state(v_, params);
}

void Adam::begin_step() {
  // Our own power (core/fmath), not libm's pow: the same bits in every build.
  correction1_ = 1.f - float(fm::powi(double(o_.beta1), steps_));
  correction2_ = 1.f - float(fm::powi(double(o_.beta2), steps_));
}

void Adam::update(size_t i, Param& p, const float* g) {
  float* w = p.value.data();
  float* m = m_[i].data();
  float* v = v_[i].data();
  const size_t n = p.value.size();
  const float b1 = o_.beta1, b2 = o_.beta2;
  // lr_t folds the bias correction of both moments into one factor, and eps
  // is scaled to match, as in Kingma & Ba's "efficient" formulation.
  const float lr_t = learning_rate * std::sqrt(correction2_) / correction1_;
  const float eps_t = o_.eps * std::sqrt(correction2_);
  for (size_t j = 0; j < n; ++j) {
    m[j] = b1 * m[j] + (1.f - b1) * g[j];
    v[j] = b2 * v[j] + (1.f - b2) * g[j] * g[j];
    w[j] -= lr_t * m[j] / (std::sqrt(v[j]) + eps_t);
  }
}

std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& config) {
  nlohmann::json c = config.is_string() ? nlohmann::json{{"type", config}} : config;
  if (!c.is_object() || !c.contains("type") || !c["type"].is_string())
    throw Error("optimizer: expected a name or an object with a \"type\", got " + c.dump());
  const std::string type = c["type"];
  auto number = [&](const char* key, float fallback) {
    if (!c.contains(key)) return fallback;
    if (!c[key].is_number())
      throw Error("optimizer " + type + ": \"" + key + "\" must be a number");
    return c[key].get<float>();
  };
  auto check_keys = [&](std::initializer_list<const char*> allowed) {
    for (auto& [key, value] : c.items()) {
      bool ok = key == "type";
      for (const char* a : allowed) ok = ok || key == a;
      if (!ok) throw Error("optimizer " + type + ": unknown option \"" + key + "\"");
    }
  };
  if (type == "sgd") {
    check_keys({"lr", "momentum", "nesterov", "l2"});
    Sgd::Options o;
    o.lr = number("lr", o.lr);
    o.momentum = number("momentum", o.momentum);
    o.nesterov = c.value("nesterov", false);
    o.l2 = number("l2", 0.f);
    return std::make_unique<Sgd>(o);
  }
  if (type == "adam") {
    check_keys({"lr", "beta1", "beta2", "eps", "l2"});
    Adam::Options o;
    o.lr = number("lr", o.lr);
    o.beta1 = number("beta1", o.beta1);
    o.beta2 = number("beta2", o.beta2);
    o.eps = number("eps", o.eps);
    o.l2 = number("l2", 0.f);
    return std::make_unique<Adam>(o);
  }
  throw Error("unknown optimizer \"" + type + "\" (choose sgd or adam)");
}

}  // namespace cnn
