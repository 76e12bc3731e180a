#include "app/app.h"

#include <algorithm>
#include <mutex>

#include "app/inside_panel.h"
#include "app/panels.h"
#include "app/style_panel.h"
#include "app/transfer_panel.h"
#include "platform/colormap_renderer.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::Session;

lab::PlaygroundSetup playground_setup(const AppOptions& o) {
  return {.dataset = o.dataset,
          .model = o.model,
          .train = o.train,
          .limit = o.limit,
          .autostart = o.autostart,
          .stop_after_batches = o.smoke_test,
          .preprocessing = o.preprocessing,
          .augmentation = o.augmentation,
          .data = o.data,
          .backbone = o.backbone};
}

App::App(AppOptions o)
    : Playground(playground_setup(o)),
      options(std::move(o)),
      style_panel(style_job),
      transfer_panel(finetune_job, features_job) {
  ui.presentation = options.present;
  if (options.inside) {
    inside_panel.open_at_start();
    ui.select(Tab::kInside);
  }
  if (options.style) {
    style_panel.open_at_start(options.style_demo);
    ui.select(Tab::kStyle);
  }
  if (options.transfer) {
    transfer_panel.open_at_start(options.transfer_demo);
    ui.select(Tab::kTransfer);
  }
  if (options.shader_fault) platform::break_colormap_shaders_for_testing();
}

bool App::take_file(platform::DroppedFile& file) {
  if (is_image_file(file.name)) {  // content, then style: shown in the Style transfer tab
    style_panel.receive_image(std::move(file));
    ui.select(Tab::kStyle);
    return true;
  }
  if (style_panel.wants_weights() && lab::is_model_file(file.name)) {
    style_panel.receive_weights(std::move(file));
    return true;
  }
  return false;
}

bool App::frame() {
  const double now = platform::now_seconds();
  const bool training_now = session.state() == Session::State::kTraining;
  if (last_frame_time_ > 0) {
    const double dt = now - last_frame_time_;
    if (dt > 0) fps = fps == 0 ? 1 / dt : 0.9 * fps + 0.1 / dt;
    // What the user sees of training: how often the picture (and input
    // handling) comes round while the model trains.
    if (training_now && last_frame_training_) {
      drawn.longest_gap_ms = std::max(drawn.longest_gap_ms, 1000 * dt);
      drawn.gaps_over_100ms += dt > 0.1;
      ++drawn.frames;
    }
  }
  last_frame_time_ = now;
  last_frame_training_ = training_now;
  ++frames;
  session.frame_drawn();

  poll_data();
  const bool training = session.state() == Session::State::kTraining;
  double t0 = platform::now_seconds();
  auto timed = [&](const char* name) {
    const double t1 = platform::now_seconds();
    if (training) {
      double& longest = longest_ui_ms[name];
      longest = std::max(longest, 1000 * (t1 - t0));
    }
    t0 = t1;
  };
  const double slice = options.slice_ms / 1000.0;
  session.update(slice);
  // Style transfer and transfer learning, in time slices where they have no
  // worker (update() is then a no-op): they go on whichever tab is on screen.
  style_job.update(std::max(0.005, slice));
  for (lab::TransferJob* job : {&finetune_job, &features_job}) {
    std::lock_guard<lab::TransferJob> lock(*job);
    job->update(slice);
  }
  timed("update");
  backbone.poll();

  draw_screen(*this, timed);
  return true;
}

bool App::smoke_test_done() const {
  if (options.style_demo > 0) return style_panel.demo_done();  // style_panel.cpp
  if (options.transfer_demo) return transfer_panel.demo_done();  // transfer_panel.cpp
  return options.smoke_test > 0 && session.batches_done() >= options.smoke_test &&
         !session.evaluating();
}

}  // namespace cnn::app
