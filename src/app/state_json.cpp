// The app's state as JSON for end-to-end tests (platform::set_state_provider):
// what a tester would read off the screen, plus where the widgets are.
#include <cmath>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "platform/platform.h"

namespace cnn::app {

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
  j["threads"] = false;  // this version trains on the UI thread, in time slices
  j["cross_origin_isolated"] = platform::cross_origin_isolated();
  j["frames"] = frames;
  j["fps"] = fps;
  j["data"] = {{"name", loader.name()},         {"state", loader_state_name(loader.state())},
               {"progress", loader.progress()}, {"error", loader.error()},
               {"train", train.size()},         {"test", test.size()}};
  j["model"] = {{"preset", session.preset()},
                {"layers", session.layers.size()},
                {"params", session.param_count()},
                {"error", session.arch_error()},
                {"file_status", file_status}};
  json t = {{"state", session_state_name(session.state())},
            {"epochs_done", session.epochs_done()},
            {"batches_done", session.batches_done()},
            {"images_per_second", session.throughput()},
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
  j["widgets"] = widgets.to_json();
  return j.dump();
}

}  // namespace cnn::app
