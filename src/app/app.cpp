#include "app/app.h"

#include <imgui.h>

#include "app/panels.h"
#include "core/error.h"
#include "model/zoo.h"
#include "platform/platform.h"

namespace cnn::app {

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
      bool known = false;
      for (const DataSetInfo& d : playground_datasets()) known |= value == d.name;
      if (!known) throw Error("option dataset: \"" + value + "\" is not mnist or fashion-mnist");
      o.dataset = value;
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
    } else if (key == "slice") {
      o.slice_ms = parse_double(key, value);
    } else if (key == "autostart") {
      o.autostart = true;
    } else if (key == "smoke-test") {
      o.smoke_test = parse_int(key, value, 1);
      o.autostart = true;
    } else if (key == "screenshot") {
      o.screenshot = value;
    } else {
      throw Error(
          "unknown option \"" + key +
          "\" (known: dataset, model, epochs, batch, lr, optimizer, seed, limit, slice, autostart, "
          "smoke-test, screenshot)");
    }
  }
  return o;
}

App::App(AppOptions o) : options(std::move(o)) {
  session.settings = options.train;
  session.stop_after_batches = options.smoke_test;
  session.load_preset(options.model);
  loader.start(options.dataset);
}

void App::select_dataset(const std::string& name) {
  session.set_data(nullptr, nullptr);
  train = Dataset{};
  test = Dataset{};
  loader.start(name);
}

void App::on_data_ready() {
  data_generation_ = loader.generation();
  train = std::move(loader.train);
  test = std::move(loader.test);
  loader.train = loader.test = Dataset{};
  if (options.limit > 0 && options.limit < train.size()) train = train.slice(0, options.limit);
  preprocessing = Preprocessing::fit(Preprocessing::Mode::kScale01, train);
  preprocessing.apply(train.x);
  preprocessing.apply(test.x);
  session.set_data(&train, &test);
  if (options.autostart) session.train();
}

bool App::frame() {
  const double now = platform::now_seconds();
  if (last_frame_time_ > 0) {
    const double dt = now - last_frame_time_;
    if (dt > 0) fps = fps == 0 ? 1 / dt : 0.9 * fps + 0.1 / dt;
  }
  last_frame_time_ = now;
  ++frames;

  if (loader.state() == DataLoader::State::kReady && loader.generation() != data_generation_)
    on_data_ready();
  session.update(options.slice_ms / 1000.0);

  draw_data_panel(*this);
  draw_model_panel(*this);
  draw_training_panel(*this);
  draw_evaluation_panel(*this);
  draw_pad_panel(*this);
  return true;
}

bool App::smoke_test_done() const {
  return options.smoke_test > 0 && session.batches_done() >= options.smoke_test &&
         !session.evaluating();
}

void place_window(float x, float y, float w, float h) {
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_FirstUseEver);
}

}  // namespace cnn::app
