#include "lab/style_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "core/error.h"
#include "style/gram.h"

namespace cnn::lab {

namespace {

// A few stops of matplotlib's viridis, interpolated: dark blue (low) to yellow (high).
void viridis(float t, uint8_t* rgba) {
  static const float stops[5][3] = {
      {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = std::clamp(std::isfinite(t) ? t : 0.f, 0.f, 1.f) * 4.f;
  const int i = std::min(3, int(t));
  const float u = t - float(i);
  for (int c = 0; c < 3; ++c)
    rgba[c] = uint8_t(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * u + 0.5f);
  rgba[3] = 255;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ',') {
      const size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
      if (a != std::string::npos) out.push_back(item.substr(a, b - a + 1));
      item.clear();
    } else {
      item += s[i];
    }
  }
  return out;
}

}  // namespace

StyleDefaults style_defaults(bool resnet) {
  if (resnet)
    return {"conv3_block4_out", "conv1_relu,conv2_block3_out,conv3_block4_out", 1e3f, 1.f};
  return {"relu4_2", "relu1_1,relu2_1,relu3_1,relu4_1,relu5_1", 1e4f, 0.f};
}

std::vector<LayerWeight> parse_layer_weights(const std::string& layers, const std::string& weights,
                                             const std::string& what) {
  const std::vector<std::string> names = split_list(layers), w = split_list(weights);
  if (names.empty()) throw Error(what + ": no layer given");
  if (!w.empty() && w.size() != names.size())
    throw Error(what + ": " + std::to_string(w.size()) + " weights for " +
                std::to_string(names.size()) + " layers");
  std::vector<LayerWeight> out;
  for (size_t i = 0; i < names.size(); ++i) {
    float weight = 1.f / float(names.size());
    if (!w.empty()) {
      char* end = nullptr;
      weight = std::strtof(w[i].c_str(), &end);
      if (end == w[i].c_str() || *end != '\0' || !(weight >= 0.f) || !std::isfinite(weight))
        throw Error(what + ": \"" + w[i] + "\" is not a weight >= 0");
    }
    out.push_back({names[i], weight});
  }
  return out;
}

const char* style_state_name(StyleJob::State s) {
  switch (s) {
    case StyleJob::State::kIdle:
      return "idle";
    case StyleJob::State::kPreparing:
      return "preparing";
    case StyleJob::State::kRunning:
      return "running";
    case StyleJob::State::kPaused:
      return "paused";
    case StyleJob::State::kFinished:
      return "finished";
    case StyleJob::State::kFailed:
      return "failed";
  }
  return "?";
}

Rgba StyleJob::feature_mosaic(const Tensor& f, int max_maps) {
  Rgba out;
  const Shape s = f.shape();
  const int n = std::min(s.c, max_maps);
  if (n <= 0 || s.h <= 0 || s.w <= 0) return out;
  const int cols = int(std::ceil(std::sqrt(double(n)))), rows = (n + cols - 1) / cols;
  out.width = cols * (s.w + 1) - 1;
  out.height = rows * (s.h + 1) - 1;
  out.pixels.assign(size_t(out.width) * out.height * 4, 0);
  for (size_t i = 3; i < out.pixels.size(); i += 4) out.pixels[i] = 255;
  const size_t plane = size_t(s.h) * s.w;
  for (int c = 0; c < n; ++c) {
    const float* p = f.data() + size_t(c) * plane;
    const auto [lo, hi] = std::minmax_element(p, p + plane);
    const float range = *hi - *lo > 1e-12f ? *hi - *lo : 1.f;
    const int x0 = (c % cols) * (s.w + 1), y0 = (c / cols) * (s.h + 1);
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x)
        viridis((p[size_t(y) * s.w + x] - *lo) / range,
                &out.pixels[(size_t(y0 + y) * out.width + x0 + x) * 4]);
  }
  return out;
}

Rgba StyleJob::gram_picture(const Tensor& g) {
  Rgba out;
  const int c = g.shape().w;
  if (c <= 0 || g.shape().h != c) return out;
  out.width = out.height = c;
  out.pixels.resize(size_t(c) * c * 4);
  float top = 0;
  for (size_t i = 0; i < size_t(c) * c; ++i) top = std::max(top, std::abs(g.data()[i]));
  if (top <= 0) top = 1;
  for (size_t i = 0; i < size_t(c) * c; ++i)
    viridis(std::sqrt(std::abs(g.data()[i]) / top), &out.pixels[i * 4]);
  return out;
}

StyleJob::~StyleJob() {
  background_.stop_worker();
}

void StyleJob::start(StyleJobSpec spec, bool use_thread, bool run) {
  {
    std::lock_guard<Background> lock(background_);
    shared_ = Shared{};
    shared_.state = State::kPreparing;
    shared_.iterations = spec.iterations;
    shared_.view_layer = spec.view_layer;
    pending_ = std::make_unique<StyleJobSpec>(std::move(spec));
    run_after_prepare_ = run;
    extra_iterations_ = shared_.iterations;
  }
  if (use_thread) background_.start_worker();
}

void StyleJob::run() {
  std::lock_guard<Background> lock(background_);
  if (shared_.state == State::kPreparing) run_after_prepare_ = true;
  if (shared_.state == State::kFinished) shared_.iterations += extra_iterations_;
  if (shared_.state == State::kPaused || shared_.state == State::kFinished)
    shared_.state = State::kRunning;
}

void StyleJob::pause() {
  std::lock_guard<Background> lock(background_);
  if (shared_.state == State::kPreparing) run_after_prepare_ = false;
  if (shared_.state == State::kRunning) shared_.state = State::kPaused;
}

void StyleJob::reset() {
  std::lock_guard<Background> lock(background_);
  pending_.reset();
  reset_pending_ = true;
  shared_ = Shared{};
}

StyleJob::State StyleJob::state() const {
  std::lock_guard<Background> lock(background_);
  return shared_.state;
}

bool StyleJob::has_work() const {
  return pending_ || reset_pending_ || (shared_.state == State::kRunning && transfer_);
}

void StyleJob::begin_unit() {
  unit_ = Unit{};
  unit_.reset = reset_pending_;
  reset_pending_ = false;
  unit_.spec = std::move(pending_);
  unit_.iterate = !unit_.spec && !unit_.reset && shared_.state == State::kRunning;
}

bool StyleJob::compute_unit() {
  if (unit_.reset || unit_.spec) {
    transfer_.reset();
    features_.reset();
    spec_.reset();
    view_node_ = -1;
  }
  if (unit_.spec) {
    // Prepare: the network at the content size and the style targets (a
    // forward pass over each image).
    const StyleJobSpec& spec = *unit_.spec;
    try {
      features_ = spec.make_features(spec.content.shape().h, spec.content.shape().w);
      transfer_ =
          std::make_unique<StyleTransfer>(*features_, spec.content, spec.style, spec.options);
      view_node_ = spec.view_layer.empty() ? -1 : features_->find(spec.view_layer);
    } catch (const std::exception& e) {
      unit_.error = e.what();
      transfer_.reset();
      features_.reset();
    }
    return false;
  }
  if (!unit_.iterate || !transfer_) return false;
  const double t0 = now_seconds();
  try {
    unit_.losses = transfer_->step();
  } catch (const std::exception& e) {
    unit_.error = e.what();
  }
  unit_.seconds = now_seconds() - t0;
  if (unit_.error.empty() && view_node_ >= 0) {
    const Tensor& f = features_->node_output(view_node_);
    unit_.maps = feature_mosaic(f, 16);
    gram_matrix(f, gram_scratch_);
    unit_.gram = gram_picture(gram_scratch_);
    unit_.view_shape = std::to_string(f.shape().c) + "x" + std::to_string(f.shape().h) + "x" +
                       std::to_string(f.shape().w);
  }
  return false;
}

void StyleJob::end_unit() {
  if (pending_ || reset_pending_) return;  // superseded meanwhile
  if (unit_.spec) {
    if (!transfer_) {
      shared_.state = State::kFailed;
      shared_.error = unit_.error;
      return;
    }
    spec_ = std::move(unit_.spec);
    shared_.image = transfer_->image();
    ++shared_.version;
    shared_.state = run_after_prepare_ ? State::kRunning : State::kPaused;
    return;
  }
  if (!unit_.iterate || !transfer_) return;
  if (!unit_.error.empty()) {
    shared_.state = State::kFailed;
    shared_.error = unit_.error;
    return;
  }
  const StyleLosses& losses = unit_.losses;
  shared_.history.push_back(losses);
  ++shared_.steps;
  shared_.image = transfer_->image();
  ++shared_.version;
  shared_.seconds_per_step = unit_.seconds;
  if (view_node_ >= 0) {
    shared_.feature_maps = std::move(unit_.maps);
    shared_.gram = std::move(unit_.gram);
    shared_.gram_channels = shared_.gram.width;
    shared_.view_shape = unit_.view_shape;
  }
  if (!std::isfinite(losses.total)) {
    shared_.state = State::kFailed;
    shared_.error = "the loss is not finite (lower the learning rate or the weights)";
  } else if (shared_.steps >= shared_.iterations && shared_.state == State::kRunning) {
    shared_.state = State::kFinished;
  }
}

void StyleJob::update(double budget_seconds) {
  background_.update(budget_seconds);  // a no-op with a worker
}

bool StyleJob::wait_idle(double timeout_seconds) {
  const double until = now_seconds() + timeout_seconds;
  for (;;) {
    {
      std::lock_guard<Background> lock(background_);
      const State s = shared_.state;
      if (!pending_ && !reset_pending_ && s != State::kPreparing && s != State::kRunning)
        return true;
    }
    if (now_seconds() > until) return false;
    if (!background_.has_worker())
      update(0.01);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace cnn::lab
