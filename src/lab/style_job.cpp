#include "lab/style_job.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "core/error.h"
#include "style/gram.h"

namespace cnn::lab {

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

MapPicture StyleJob::feature_mosaic(const Tensor& f, int max_maps) {
  MapPicture out;
  const Shape s = f.shape();
  const int n = std::min(s.c, max_maps);
  if (n <= 0 || s.h <= 0 || s.w <= 0) return out;
  const int cols = int(std::ceil(std::sqrt(double(n)))), rows = (n + cols - 1) / cols;
  out.image = platform::FloatImage(cols * (s.w + 1) - 1, rows * (s.h + 1) - 1, 1);
  const size_t plane = size_t(s.h) * s.w;
  for (int c = 0; c < n; ++c) {
    const float* p = f.data() + size_t(c) * plane;
    const auto [lo, hi] = std::minmax_element(p, p + plane);
    platform::MapTile tile{(c % cols) * (s.w + 1), (c / cols) * (s.h + 1), s.w, s.h, *lo, *hi};
    if (!(tile.hi - tile.lo > 1e-12f)) tile.hi = tile.lo + 1;  // a flat map: its low colour
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x) out.image.at(tile.x + x, tile.y + y) = p[size_t(y) * s.w + x];
    out.tiles.push_back(tile);
  }
  return out;
}

MapPicture StyleJob::gram_picture(const Tensor& g) {
  MapPicture out;
  const int c = g.shape().w;
  if (c <= 0 || g.shape().h != c) return out;
  out.image = platform::FloatImage(c, c, 1);
  float top = 0;
  for (size_t i = 0; i < size_t(c) * c; ++i) top = std::max(top, std::abs(g.data()[i]));
  if (top <= 0) top = 1;
  for (size_t i = 0; i < size_t(c) * c; ++i)
    out.image.values[i] = std::sqrt(std::abs(g.data()[i]) / top);
  out.tiles.push_back({0, 0, c, c, 0.f, 1.f});
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
    shared_.gram_channels = shared_.gram.image.width;
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
