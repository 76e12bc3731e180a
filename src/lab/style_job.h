// A style-transfer run for the playground's Style panel (style_panel.cpp):
// StyleTransfer (style/style_transfer.h) stepped on the playground's
// background work (lab/background.h): a worker thread (desktop,
// cross-origin-isolated page) or time slices of the UI thread (update(); the
// single-threaded page), like the training session.
//
// The UI never waits for an iteration: start(), run(), pause() and reset()
// only set flags under the UI lock; the worker picks them up between
// iterations (a unit: preparing, or one iteration). What the UI shows (the current image, the
// losses, the feature maps and Gram matrix of one layer) is published after every iteration and
// read with read().
//
//   StyleJob job;
//   job.start({.make_features = ..., .content = c, .style = s, .options = o,
//              .iterations = 100, .view_layer = "conv2_block3_out"}, /*thread=*/true,
//              /*run=*/true);
//   ... every frame: job.update(0.03) (no-op with a thread);
//       job.read([](const StyleJob::Shared& s) { ... s.image, s.history ... });
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lab/background.h"
#include "model/model.h"
#include "style/layer_weights.h"
#include "platform/colormap_renderer.h"
#include "style/style_transfer.h"

namespace cnn::lab {

struct StyleJobSpec {
  // Makes the feature network for the content image's size (may be slow:
  // reads a VGG file); runs where the iterations run. Throws cnn::Error.
  std::function<std::unique_ptr<Model>(int height, int width)> make_features;
  Tensor content, style;  // (1,3,H,W) RGB in [0, 1]
  StyleTransferOptions options;
  int iterations = 100;
  std::string view_layer;  // whose feature maps and Gram matrix are shown ("" = none)
};

// An RGBA8 picture for a texture.
struct Rgba {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};

// Values for the colour-map shaders (platform/colormap_renderer.h), which
// the panel draws them through: tiles of one float image, each with the
// range its colours span.
struct MapPicture {
  platform::FloatImage image;
  std::vector<platform::MapTile> tiles;
};

class StyleJob : private BackgroundJob {
 public:
  enum class State { kIdle, kPreparing, kRunning, kPaused, kFinished, kFailed };

  // What the UI reads (under the job's lock, see read()).
  struct Shared {
    State state = State::kIdle;
    int steps = 0, iterations = 0;
    std::vector<StyleLosses> history;  // one per iteration
    Tensor image;                      // the current image, (1,3,H,W) in [0, 1]
    long version = 0;                  // bumped whenever image changes
    std::string error;                 // kFailed: why
    double seconds_per_step = 0;       // of the last iteration
    std::string view_layer;
    std::string view_shape;   // "256x32x32" (C x H x W)
    MapPicture feature_maps;  // the first channels of view_layer, tiled
    MapPicture gram;          // its Gram matrix (C x C)
    int gram_channels = 0;
  };

  StyleJob() = default;
  StyleJob(const StyleJob&) = delete;
  StyleJob& operator=(const StyleJob&) = delete;
  ~StyleJob() override;  // stops the worker (after the iteration in progress)

  // Replaces whatever ran before. With use_thread a worker thread (started
  // once) does the work; else update() does. Runs at once when `run`.
  void start(StyleJobSpec spec, bool use_thread, bool run);
  void run();    // resume; after kFinished: `iterations` more
  void pause();  // after the iteration in progress
  void reset();  // back to kIdle (the result is dropped)
  // Single-threaded mode: prepares or iterates until budget_seconds have
  // passed (at least one iteration, which cannot be split). No-op with a worker.
  void update(double budget_seconds);
  // Calls f with the shared state under the UI lock; keep f short.
  template <class F>
  void read(F f) const {
    std::lock_guard<Background> lock(background_);
    f(shared_);
  }
  State state() const;
  bool threaded() const { return background_.has_worker(); }
  // Waits until the job is neither preparing nor running (tests); false on timeout.
  bool wait_idle(double timeout_seconds);

  // The tiles of up to `max_maps` channels of f (1,C,H,W), each with its
  // own range, in a grid with 1-pixel gaps.
  static MapPicture feature_mosaic(const Tensor& f, int max_maps);
  // A C x C picture of a Gram matrix (1,1,C,C): sqrt(|G| / max |G|), one
  // tile over 0..1, so weak correlations show.
  static MapPicture gram_picture(const Tensor& g);

 private:
  // BackgroundJob: a unit takes the requests (lock held), prepares or runs
  // one iteration (without it) and publishes the result (lock held).
  bool has_work() const override;
  void begin_unit() override;
  bool compute_unit() override;
  void end_unit() override;

  Shared shared_;
  // Requests, under the lock, taken by the next unit.
  std::unique_ptr<StyleJobSpec> pending_;
  bool reset_pending_ = false, run_after_prepare_ = false;
  int extra_iterations_ = 0;
  // The unit in progress: what it took, and what it found.
  struct Unit {
    bool reset = false, iterate = false;
    std::unique_ptr<StyleJobSpec> spec;
    std::string error;
    StyleLosses losses;
    double seconds = 0;
    MapPicture maps, gram;
    std::string view_shape;
  };
  Unit unit_;
  // Owned by the unit in progress; not under the lock.
  std::unique_ptr<StyleJobSpec> spec_;
  std::unique_ptr<Model> features_;
  std::unique_ptr<StyleTransfer> transfer_;
  int view_node_ = -1;
  Tensor gram_scratch_;
  // Declared last; ~StyleJob stops its worker while the job is whole.
  mutable Background background_{*this};  // const readers take the UI lock
};

const char* style_state_name(StyleJob::State s);

}  // namespace cnn::lab
