#include "app/app.h"

#include <imgui.h>

#include <algorithm>

#include "app/inside_panel.h"
#include "app/panels.h"
#include "app/style_panel.h"
#include "app/transfer_panel.h"
#include "core/error.h"
#include "model/zoo.h"
#include "platform/colormap_renderer.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::Session, lab::dataset_info;

namespace {

int parse_int(const std::string& key, const std::string& value, int min) {
  try {
    size_t used = 0;
    const int v = std::stoi(value, &used);
    if (used == value.size() && v >= min) return v;
  } catch (const std::exception&) {
  }
  throw Error("option " + key + ": expected a whole number >= " + std::to_string(min) + ", got \"" +
              value + "\"");
}

double parse_double(const std::string& key, const std::string& value) {
  try {
    size_t used = 0;
    const double v = std::stod(value, &used);
    if (used == value.size() && v > 0) return v;
  } catch (const std::exception&) {
  }
  throw Error("option " + key + ": expected a positive number, got \"" + value + "\"");
}

}  // namespace

AppOptions AppOptions::parse(const std::map<std::string, std::string>& options) {
  AppOptions o;
  for (const auto& [key, value] : options) {
    if (key == "dataset") {
      try {
        o.dataset = dataset_info(value).name;
      } catch (const Error& e) {
        throw Error(std::string("option dataset: ") + e.what());
      }
    } else if (key == "model") {
      o.model = value;  // checked by make_preset when loaded
    } else if (key == "epochs") {
      o.train.epochs = parse_int(key, value, 1);
    } else if (key == "batch" || key == "batch-size") {
      o.train.batch_size = parse_int(key, value, 1);
    } else if (key == "lr") {
      o.train.lr = float(parse_double(key, value));
    } else if (key == "optimizer") {
      if (value != "adam" && value != "sgd")
        throw Error("option optimizer: adam or sgd, not \"" + value + "\"");
      o.train.optimizer = value;
    } else if (key == "seed") {
      o.train.seed = parse_int(key, value, 0);
    } else if (key == "limit") {
      o.limit = parse_int(key, value, 0);
    } else if (key == "threads") {
      o.threads = parse_int(key, value, 1);
    } else if (key == "slice") {
      o.slice_ms = parse_double(key, value);
    } else if (key == "autostart") {
      o.autostart = true;
    } else if (key == "smoke-test") {
      o.smoke_test = parse_int(key, value, 1);
      o.autostart = true;
    } else if (key == "screenshot") {
      o.screenshot = value;
    } else if (key == "style") {
      o.style = true;
    } else if (key == "backbone") {
      o.backbone = value;
    } else if (key == "style-demo") {
      o.style_demo = parse_int(key, value, 1);
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
        throw Error(std::string("option preprocessing: ") + e.what());
      }
    } else if (key == "hflip") {
      o.augmentation.hflip = true;
    } else if (key == "crop-pad") {
      o.augmentation.crop_pad = parse_int(key, value, 0);
    } else if (key == "translate") {
      o.augmentation.translate = parse_int(key, value, 0);
    } else if (key == "jitter") {
      o.augmentation.brightness = o.augmentation.contrast = float(parse_double(key, value));
    } else if (key == "data") {
      for (size_t start = 0; start <= value.size();) {
        const size_t comma = std::min(value.find(',', start), value.size());
        if (comma > start) o.data.push_back(value.substr(start, comma - start));
        start = comma + 1;
      }
    } else {
      throw Error(
          "unknown option \"" + key +
          "\" (known: dataset, model, epochs, batch, lr, optimizer, seed, limit, threads, slice, autostart, "
          "smoke-test, screenshot, preprocessing, hflip, crop-pad, translate, jitter, data, inside, shader-fault, style, style-demo, backbone, transfer, transfer-demo)");
    }
  }
  return o;
}

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

App::App(AppOptions o) : Playground(playground_setup(o)), options(std::move(o)) {
  set_style_job(style_job);
  set_transfer_jobs(finetune_job, features_job);
  if (options.inside) open_inside_panel_at_start();
  if (options.style) open_style_panel_at_start(options.style_demo);
  if (options.transfer) open_transfer_panel_at_start(options.transfer_demo);
  if (options.shader_fault) platform::break_colormap_shaders_for_testing();
}

bool App::take_file(platform::DroppedFile& file) {
  if (is_image_file(file.name)) {
    style_receive_image(*this, std::move(file));
    return true;
  }
  if (style_wants_weights() && lab::is_model_file(file.name)) {
    style_receive_weights(*this, std::move(file));
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
  session.update(options.slice_ms / 1000.0);
  timed("update");
  backbone.poll();

  draw_data_panel(*this);
  timed("data");
  draw_model_panel(*this);
  timed("model");
  draw_training_panel(*this);
  timed("training");
  draw_evaluation_panel(*this);
  timed("evaluation");
  draw_pad_panel(*this);
  timed("pad");
  draw_inside_panel(*this);  // after the pad: it may show the pad's digit
  timed("inside");
  draw_style_panel(*this);
  timed("style");
  draw_transfer_panel(*this);
  timed("transfer");
  return true;
}

bool App::smoke_test_done() const {
  if (options.style_demo > 0) return style_demo_done();  // style_panel.cpp
  if (options.transfer_demo) return transfer_demo_done();  // transfer_panel.cpp
  return options.smoke_test > 0 && session.batches_done() >= options.smoke_test &&
         !session.evaluating();
}

void place_window(float x, float y, float w, float h) {
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_FirstUseEver);
}

}  // namespace cnn::app
