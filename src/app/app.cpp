#include "app/app.h"

#include <algorithm>

#include "app/inside_panel.h"
#include "app/panels.h"
#include "app/style_panel.h"
#include "app/transfer_panel.h"
#include "platform/colormap_renderer.h"
#include "platform/platform.h"

namespace cnn::app {

App::App(AppOptions o) : options(std::move(o)) {
  session.settings = options.train;
  session.stop_after_batches = options.smoke_test;
  session.load_preset(options.model);
  loader.start(options.dataset);
  ui.presentation = options.present;
  if (options.inside) {
    inside_panel.open_at_start();
    ui.select(Tab::kInside);
  }
  if (options.style) {
    style_panel.open_at_start(options.style_demo);
    ui.select(Tab::kStyle);
  }
  if (!options.backbone.empty()) backbone.set_source(options.backbone);
  if (options.transfer) {
    transfer_panel.open_at_start(options.transfer_demo);
    ui.select(Tab::kTransfer);
  }
  if (options.shader_fault) platform::break_colormap_shaders_for_testing();
  init_data_side();
}

void App::select_dataset(const std::string& name) {
  session.set_data(nullptr, nullptr);
  train = Dataset{};
  test = Dataset{};
  loader.start(name);
}

void App::on_data_ready() {
  session.wait_unit();  // the worker may still be inside a unit on the old data
  data_generation_ = loader.generation();
  train = std::move(loader.train);
  test = std::move(loader.test);
  loader.train = loader.test = Dataset{};
  if (options.limit > 0 && options.limit < train.size()) train = train.slice(0, options.limit);
  preprocessing = Preprocessing::fit(preprocessing.mode, train);
  preprocessing.apply(train.x);
  preprocessing.apply(test.x);
  switch_preset_family();
  session.set_data(&train, &test);
  if (options.autostart) session.train();
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

  loader.update();
  if (loader.state() == DataLoader::State::kReady && loader.generation() != data_generation_)
    on_data_ready();
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
  session.update(options.slice_ms / 1000.0);
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
