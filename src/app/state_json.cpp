// The app's state as JSON for end-to-end tests (platform::set_state_provider):
// what a tester would read off the screen, plus where the widgets are.
#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "kernels/threads.h"
#include "app/inside_panel.h"
#include "app/style_panel.h"
#include "app/transfer_panel.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::DataLoader, lab::Session, lab::EvalResult;

namespace {

const char* session_state_name(Session::State s) {
  switch (s) {
    case Session::State::kNoModel:
      return "no-model";
    case Session::State::kReady:
      return "ready";
    case Session::State::kTraining:
      return "training";
    case Session::State::kPaused:
      return "paused";
    case Session::State::kFinished:
      return "finished";
  }
  return "?";
}

const char* loader_state_name(DataLoader::State s) {
  switch (s) {
    case DataLoader::State::kIdle:
      return "idle";
    case DataLoader::State::kLoading:
      return "loading";
    case DataLoader::State::kWaitingForFiles:
      return "waiting-for-files";
    case DataLoader::State::kReady:
      return "ready";
    case DataLoader::State::kFailed:
      return "failed";
  }
  return "?";
}

// JSON has no NaN.
nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace

std::string App::state_json() const {
  using nlohmann::json;
  json j;
  j["platform"] = platform::name();
  // How training runs: "worker" (a thread, with `threads` kernel threads) or
  // "time slices" of the UI thread; the longest UI frame while training.
  j["threads"] = kernels::threads();
  j["mode"] = session.has_worker() ? "worker" : "time slices";
  j["longest_frame_ms"] = session.longest_frame_ms();
  j["longest_wait_ms"] = session.longest_wait_ms();
  j["longest_train_unit_ms"] = session.longest_train_unit_ms();
  j["longest_eval_unit_ms"] = session.longest_eval_unit_ms();
  j["longest_ui_ms"] = longest_ui_ms;
  j["drawn_while_training"] = {{"longest_gap_ms", drawn.longest_gap_ms},
                               {"gaps_over_100ms", drawn.gaps_over_100ms},
                               {"frames", drawn.frames}};
  // Frame pacing (Session::frame_drawn): the worker's waits for late frames.
  j["frame_pacing"] = {{"waits", session.frame_waits()},
                       {"seconds", session.frame_wait_seconds()}};
  j["cross_origin_isolated"] = platform::cross_origin_isolated();
  j["frames"] = frames;
  j["fps"] = fps;
  j["data"] = {{"name", loader.name()},         {"state", loader_state_name(loader.state())},
               {"progress", loader.progress()}, {"error", loader.error()},
               {"train", train.size()},         {"test", test.size()}};
  {
    // The data side (app_data.cpp, data_panel.cpp): files supplied, the
    // sample shape, what the first samples are, preprocessing, augmentation.
    json& d = j["data"];
    d["status"] = loader.status();
    d["waiting_for_files"] = loader.state() == DataLoader::State::kWaitingForFiles;
    json files = json::array();
    for (const auto& f : loader.user_files())
      files.push_back({{"name", f.base}, {"images", f.images}});
    d["files"] = files;
    d["sample_shape"] = train.size() ? train.x.shape().sample_str() : "";
    d["classes"] = train.class_names;
    json labels = json::array();
    for (int i = 0; i < std::min(train.size(), 10); ++i) labels.push_back(int(train.y[size_t(i)]));
    d["first_labels"] = labels;
    d["preprocessing"] = preprocessing.to_json();
    d["augmentation"] = augmentation.get().to_json();
    d["augmented_batches"] = augmentation.batches_augmented();
  }
  j["model"] = {{"preset", session.preset()},
                {"layers", session.layers.size()},
                {"params", session.param_count()},
                {"error", session.arch_error()},
                {"file_status", file_status}};
  json t = {{"state", session_state_name(session.state())},
            {"epochs_done", session.epochs_done()},
            {"batches_done", session.batches_done()},
            {"images_per_second", session.throughput()},
            {"learning_rate", session.current_learning_rate()},
            {"settings",
             {{"loss", session.settings.loss},
              {"optimizer", session.settings.optimizer_config()},
              {"schedule", session.settings.schedule_config()},
              {"batch_size", session.settings.batch_size},
              {"epochs", session.settings.epochs},
              {"dropout", session.dropout_rate()}}},
            {"message", session.message()}};
  if (const TrainProgress* p = session.progress()) {
    t["epoch"] = p->epoch;
    t["epochs"] = p->epochs;
    t["batch"] = p->batch;
    t["batches"] = p->batches;
    t["train_loss"] = number(p->logs.get("loss"));
    t["train_accuracy"] = number(p->logs.get("accuracy"));
  }
  j["training"] = t;
  if (const EvalResult* r = session.test_result()) {
    j["test"] = {{"epochs_done", session.test_result_epoch()},
                 {"samples", r->samples},
                 {"loss", number(r->loss)},
                 {"accuracy", number(r->accuracy)}};
  } else {
    j["test"] = nullptr;
  }
  j["evaluating"] = session.evaluating();
  json probs = json::array();
  for (float p : pad.probabilities) probs.push_back(p);
  int best = -1;
  for (int i = 0; i < int(pad.probabilities.size()); ++i)
    if (best < 0 || pad.probabilities[size_t(i)] > pad.probabilities[size_t(best)]) best = i;
  j["pad"] = {{"has_ink", pad.has_ink}, {"predicted", best}, {"probabilities", probs}};
  j["inside"] = inside_panel.to_json();  // inside_panel.cpp
  j["style"] = style_panel.to_json(*this);  // style_panel.cpp
  j["transfer"] = transfer_panel.to_json();  // transfer_panel.cpp
  // A tab's panel is on screen while its tab is selected (screen.cpp).
  j["inside"]["visible"] = ui.tab == Tab::kInside && !ui.select_pending;
  j["style"]["open"] = ui.tab == Tab::kStyle && !ui.select_pending;
  j["transfer"]["open"] = ui.tab == Tab::kTransfer && !ui.select_pending;
  // The screen: viewport, regions, tabs, type size, presentation mode, option messages.
  j["layout"] = screen_state_json(*this);
  j["widgets"] = widgets.to_json();
  j["widget_areas"] = widgets.areas_json();
  return j.dump();
}

}  // namespace cnn::app
