// "Transfer learning": the course's two ways of reusing a trained network,
// each against training from scratch on the same few images, with both
// test-accuracy curves drawn live, one point per epoch (transfer_job.h;
// the demos' settings in transfer_finetune.cpp and transfer_features.cpp):
//  (a) the playground's MNIST model (or one pretrained here in seconds)
//      fine-tuned on N Fashion-MNIST images, chosen bricks frozen and the
//      pretrained ones at a lower rate;
//  (b) the embedded ResNet50's features (app/backbone.h) + a dense
//      classifier, on the user's own classes of images or on CIFAR-10 from
//      the Data panel.
// The jobs run on their own worker threads on the desktop and in time slices
// of the frame on the page (App::frame()) (a second thread there would outgrow the pthreads
// build's pool); the panel holds a job's lock while it reads or changes it.
#include "app/transfer_panel.h"

#include <imgui.h>

#include <mutex>

#include "app/app.h"
#include "app/panel_ui.h"
#include "app/panels.h"
#include "app/plot.h"
#include "app/transfer_state.h"
#include "lab/transfer_job.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::BackboneLoader, lab::DataLoader, lab::ImageClasses, lab::TransferJob, lab::FeatureSetup,
    lab::FinetuneSetup, lab::LayerInfo;

namespace transfer_ui {

// Both test-accuracy curves in one plot, x in epochs (point 0: before
// training), titled with what the accuracy is measured on.
void accuracy_plot(const char* id, const TransferJob& job, const std::string& measured_on) {
  const AccuracyCurve& a = job.curve(0);
  const AccuracyCurve& b = job.curve(1);
  if (a.accuracy.empty() && b.accuracy.empty()) return;
  ImGui::TextWrapped("Test accuracy on %s, before training (epoch 0) and after each epoch.",
                     measured_on.c_str());
  plot::draw(id, {{a.label, a.accuracy, plot::palette(0)}, {b.label, b.accuracy, plot::palette(1)}},
             {.x_label = "epoch",
              .y_label = "test accuracy",
              .y_min = 0,
              .y_max = 1,
              .x_max = double(job.epochs()),
              .height_lines = 9,
              .integer_x = true});
}

void job_status(const TransferJob& job, const std::string& message) {
  if (job.running()) {
    ImGui::ProgressBar(job.progress(), ImVec2(-1, 0));
    ImGui::TextWrapped("%s", job.status().c_str());
  } else if (job.phase() == TransferJob::Phase::kFailed) {
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", job.error().c_str());
  }
  if (!message.empty()) ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "%s", message.c_str());
}

}  // namespace transfer_ui

using namespace transfer_ui;

namespace {

const char* phase_name(TransferJob::Phase p) {
  switch (p) {
    case TransferJob::Phase::kIdle:
      return "idle";
    case TransferJob::Phase::kPreparing:
      return "preparing";
    case TransferJob::Phase::kTraining:
      return "training";
    case TransferJob::Phase::kDone:
      return "done";
    case TransferJob::Phase::kFailed:
      return "failed";
  }
  return "?";
}

}  // namespace

TransferPanel::TransferPanel(TransferJob& finetune, TransferJob& features)
    : state_(std::make_unique<State>(finetune, features)) {}
TransferPanel::~TransferPanel() = default;

void TransferPanel::open_at_start(bool run_demo) {
  state_->open_at_start = true;
  state_->run_demo = run_demo;
}

bool TransferPanel::demo_done() const {
  State& s = *state_;
  std::lock_guard<TransferJob> lock(s.finetune);
  return s.demo_started && !s.run_when_loaded && !s.finetune.running();
}

void TransferPanel::draw(App& app) {
  State& s = *state_;
  if (!s.workers && std::string(platform::name()) == "desktop" && platform::can_start_threads()) {
    s.finetune.start_worker();
    s.features.start_worker();
    s.workers = true;
  }
  s.fashion.update();
  s.mnist.update();
  if (s.run_demo && !s.demo_started) {
    s.run_when_loaded = s.demo_started = true;
  }
  if (s.run_when_loaded && finetune_data_ready(app, s)) {
    s.run_when_loaded = false;
    start_finetune(app, s);
  }
  if (s.run_features_when_ready) {  // waits for the embedded ResNet50 (app/backbone.h)
    if (app.backbone.state() == BackboneLoader::State::kReady) {
      s.run_features_when_ready = false;
      start_features(app, s);
    } else if (app.backbone.state() == BackboneLoader::State::kFailed) {
      s.run_features_when_ready = false;
      s.features_message = app.backbone.message();
    }
  }
  s.open_at_start = false;  // drawn only while its tab is selected (the frame's layout)
  const bool finetune = ImGui::CollapsingHeader("(a) MNIST -> Fashion-MNIST: fine-tuning",
                                                ImGuiTreeNodeFlags_DefaultOpen);
  tooltip("Show or hide demo (a): reuse a digit network for clothes.");
  if (finetune) draw_finetune(app, s);
  const bool features =
      ImGui::CollapsingHeader("(b) ResNet50 features + classifier", ImGuiTreeNodeFlags_DefaultOpen);
  tooltip("Show or hide demo (b): a pretrained ImageNet network's features for your own classes.");
  if (features) draw_features(app, s);
}

nlohmann::json TransferPanel::to_json() const {
  using nlohmann::json;
  State& s = *state_;
  auto job_json = [](TransferJob& job, const std::string& message) {
    std::lock_guard<TransferJob> lock(job);
    json curves = json::array();
    for (int i = 0; i < 2; ++i)
      curves.push_back({{"label", job.curve(i).label}, {"accuracy", job.curve(i).accuracy}});
    return json{{"phase", phase_name(job.phase())},
                {"status", job.status()},
                {"error", job.error()},
                {"message", message},
                {"epochs", job.epochs()},
                {"progress", job.progress()},
                {"curves", curves}};
  };
  json j;
  j["finetune"] = job_json(s.finetune, s.finetune_message);
  j["finetune"]["measured_on"] = s.finetune_measured_on;
  j["finetune"]["waiting_for_data"] = s.run_when_loaded;
  j["features"] = job_json(s.features, s.features_message);
  j["features"]["measured_on"] = s.features_measured_on;
  json classes = json::array();
  for (const ImageClasses::Class& c : s.classes.classes())
    classes.push_back({{"name", c.name}, {"images", c.images.size()}});
  j["classes"] = classes;
  return j;
}

void draw_transfer_panel(App& app) {
  app.transfer_panel.draw(app);
}

}  // namespace cnn::app
