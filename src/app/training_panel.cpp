// Training, in three places of the screen: the settings (loss, optimiser,
// schedule, batch size, epochs, L2, dropout) in the left column; Train /
// Pause / Step / Reset and the epoch's progress above them; and the Training
// tab: how training runs, throughput and time left, live curves of the
// running training and validation loss and accuracy and of the learning rate,
// the test accuracy and the evaluation (confusion matrix).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "app/app.h"
#include "app/panels.h"
#include "app/plot.h"
#include "kernels/threads.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::Session, lab::Curves, lab::EvalResult, lab::TrainSettings, lab::training_losses;

namespace {

std::string duration(double seconds) {
  char text[32];
  const long s = long(std::lround(seconds));
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

}  // namespace

// How training runs here, e.g. "web, 2 threads (worker)".
std::string training_run_mode(const App& app) {
  const Session& s = app.session;
  char text[96];
  const int n = kernels::threads();
  if (s.has_worker())
    std::snprintf(text, sizeof text, "%s, %d thread%s (worker)", platform::name(), n,
                  n == 1 ? "" : "s");
  else if (std::string(platform::name()) == "web" && !platform::cross_origin_isolated())
    std::snprintf(text, sizeof text, "web, single-threaded: page not cross-origin isolated");
  else
    std::snprintf(text, sizeof text, "%s, single-threaded (time slices)", platform::name());
  return text;
}

namespace {

// The settings fixed once training started (until Reset): changing one
// rebuilds the model with fresh weights.
void fixed_settings(Session& s) {
  TrainSettings& t = s.settings;
  const std::vector<std::string>& losses = training_losses();
  const float w = 7 * ImGui::GetFontSize();  // one setting a line: the column is narrow
  ImGui::SetNextItemWidth(1.6f * w);
  if (ImGui::BeginCombo("Loss", t.loss.c_str())) {
    for (const std::string& name : losses)
      if (ImGui::Selectable(name.c_str(), name == t.loss) && name != t.loss) {
        t.loss = name;
        s.rebuild();
      }
    ImGui::EndCombo();
  }
  tooltip("What training minimises (fixed once training started; Reset to change).");
  int opt = t.optimizer == "sgd" ? 1 : 0;
  const char* optimizers[] = {"adam", "sgd"};
  ImGui::SetNextItemWidth(w);
  if (ImGui::Combo("Optimizer", &opt, optimizers, 2)) {
    t.optimizer = optimizers[opt];
    t.lr = opt == 1 ? 0.01f : 0.002f;
    s.rebuild();
  }
  tooltip("How the weights move: Adam (adaptive steps) or plain SGD with momentum.");
  ImGui::SetNextItemWidth(w);
  if (ImGui::InputInt("Batch size", &t.batch_size, 16, 64))
    t.batch_size = std::clamp(t.batch_size, 1, 4096);
  tooltip("Images per training step.");

  const char* schedules[] = {"none", "step", "plateau"};
  int sched = t.schedule == "step" ? 1 : t.schedule == "plateau" ? 2 : 0;
  ImGui::SetNextItemWidth(w);
  if (ImGui::Combo("Schedule", &sched, schedules, 3)) {
    t.schedule = schedules[sched];
    s.rebuild();
  }
  tooltip(
      "How the learning rate falls. step: multiply the rate by the factor every N epochs\n"
      "plateau: multiply it by the factor when the epoch's training loss\n"
      "has not improved for N epochs");
  if (sched != 0) {
    ImGui::SetNextItemWidth(0.6f * w);
    int& n = sched == 1 ? t.schedule_every : t.schedule_patience;
    if (ImGui::InputInt(sched == 1 ? "every" : "patience", &n, 0, 0)) {
      n = std::clamp(n, 1, 100);
      s.rebuild();
    }
    tooltip(sched == 1 ? "Epochs between reductions." : "Epochs without improvement before one.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(0.6f * w);
    if (ImGui::InputFloat("factor", &t.schedule_factor, 0, 0, "%.2f")) {
      t.schedule_factor = std::clamp(t.schedule_factor, 0.01f, 1.f);
      s.rebuild();
    }
    tooltip("What each reduction multiplies the learning rate by.");
  }

  // Dropout is a brick setting: it applies to every dropout layer.
  float rate = s.dropout_rate();
  ImGui::BeginDisabled(s.dropout_layers() == 0);
  ImGui::SetNextItemWidth(w);
  if (ImGui::SliderFloat("Dropout", &rate, 0.f, 0.9f, "%.2f") && s.dropout_layers() > 0)
    s.set_dropout_rate(rate);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(s.dropout_layers() ? "the rate of the model's %d dropout layer(s)"
                                         : "the model has no dropout layer (add one in Model)",
                      s.dropout_layers());
}

}  // namespace

void draw_training_settings(App& app) {
  Session& s = app.session;
  TrainSettings& t = s.settings;
  // Loss, optimiser, schedule, batch size and dropout are fixed once training
  // started (until Reset); the learning rate, L2 and epochs can change at any time.
  ImGui::BeginDisabled(s.started());
  fixed_settings(s);
  ImGui::EndDisabled();
  const float w = 7 * ImGui::GetFontSize();
  ImGui::SetNextItemWidth(w);
  if (ImGui::InputFloat("Learning rate", &t.lr, 0.0f, 0.0f, "%.5f")) {
    t.lr = std::clamp(t.lr, 1e-6f, 10.f);
    s.apply_learning_rate();
  }
  tooltip("The optimiser's starting step size (the schedule lowers it); applies at once.");
  ImGui::SetNextItemWidth(w);
  if (ImGui::InputFloat("L2", &t.l2, 0.0f, 0.0f, "%.5f")) {
    t.l2 = std::clamp(t.l2, 0.f, 1.f);
    s.apply_learning_rate();
  }
  tooltip("Weight decay: a penalty on large weights, added to the loss; applies at once.");
  ImGui::SetNextItemWidth(w);
  if (ImGui::InputInt("Epochs", &t.epochs)) t.epochs = std::clamp(t.epochs, 1, 100);
  tooltip("How many passes over the training set Train runs.");
}

void draw_training_controls(App& app) {
  Session& s = app.session;
  const bool can_train = s.state() != Session::State::kNoModel;
  const bool running = s.state() == Session::State::kTraining;
  if (app.widgets.button(s.state() == Session::State::kFinished ? "Train more" : "Train",
                         can_train && !running))
    s.train();
  tooltip("Train the model on the training set for the planned epochs (or continue).");
  ImGui::SameLine();
  if (app.widgets.button("Pause", running)) s.pause();
  tooltip("Stop after the current batch; Train continues from there.");
  ImGui::SameLine();
  if (app.widgets.button("Step", can_train && !running)) s.step_batch();
  tooltip("Train on a single batch.");
  ImGui::SameLine();
  if (app.widgets.button("Reset", can_train)) s.reset();
  tooltip("Start again with fresh random weights (the settings are kept).");
  // This epoch's progress, in one bar.
  char text[96];
  if (const TrainProgress* p = s.progress(); p && p->batches > 0) {
    std::snprintf(text, sizeof text, "epoch %d/%d  batch %d/%d", p->epoch + 1, p->epochs, p->batch,
                  p->batches);
    ImGui::ProgressBar(float(p->batch) / float(p->batches), ImVec2(-1, 0), text);
  } else {
    ImGui::ProgressBar(0.f, ImVec2(-1, 0),
                       !can_train ? (app.train.size() ? "fix the model first" : "waiting for data")
                                  : "not started");
  }
}

void draw_training_panel(App& app) {
  Session& s = app.session;
  const bool can_train = s.state() != Session::State::kNoModel;
  const bool running = s.state() == Session::State::kTraining;

  // Progress of this epoch.
  char text[200];
  if (const TrainProgress* p = s.progress(); p && p->batches > 0) {
    if (running)
      std::snprintf(text, sizeof text,
                    "%.0f images/s   ETA %s   running training loss %.4f, accuracy %.4f",
                    s.throughput(), duration(s.eta_seconds()).c_str(), p->logs.get("loss"),
                    p->logs.get("accuracy"));
    else
      std::snprintf(text, sizeof text, "this epoch's training batches: loss %.4f, accuracy %.4f",
                    p->logs.get("loss"), p->logs.get("accuracy"));
    ImGui::TextUnformatted(text);
    tooltip("Running training accuracy: the mean over this epoch's training batches so far,\n"
            "measured while the weights were still changing (with dropout and augmentation).");
  } else if (can_train) {
    ImGui::TextDisabled("Press Train (or Step for a single batch).");
  }
  if (s.evaluating()) {
    ImGui::SameLine();
    ImGui::TextDisabled("(evaluating %.0f%%)", 100 * s.evaluation_progress());
  }
  if (!s.message().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
    ImGui::TextWrapped("%s", s.message().c_str());
    ImGui::PopStyleColor();
  }

  // Curves: one point per Session::kCurveEvery batches.
  const Curves& c = s.curves();
  ImGui::Separator();
  ImGui::TextDisabled("Curves: which accuracy is which (?)");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "A point every %d batches. training (running): the mean loss and accuracy of\n"
        "those training batches, measured while the weights changed. validation: the\n"
        "model's loss and accuracy on the first %d test images (the validation subset).\n"
        "The test accuracy below is on the full test set, after each epoch.",
        Session::kCurveEvery, Session::kLiveValSize);
  // x in epochs: a point every kCurveEvery batches.
  const TrainProgress* p = s.progress();
  const int batch_size = std::max(1, s.settings.batch_size);
  const int per_epoch = p && p->batches > 0 ? p->batches
                                            : std::max(1, (app.train.size() + batch_size - 1) / batch_size);
  const double step = double(Session::kCurveEvery) / per_epoch;
  auto series = [&](const char* label, const std::vector<float>& y, ImU32 colour) {
    plot::Series one;
    one.label = label;
    one.y = y;
    one.colour = colour;
    one.x_start = one.x_step = step;
    return one;
  };
  const ImU32 train_colour = IM_COL32(102, 178, 255, 255), val_colour = IM_COL32(255, 153, 77, 255);
  const double epochs = std::max(s.settings.epochs, s.epochs_done());
  plot::draw("##loss",
             {series("training (running)", c.train_loss, train_colour),
              series("validation (1,000 test images)", c.val_loss, val_colour)},
             {.y_label = "loss", .x_max = epochs, .height_lines = 8});
  plot::draw("##accuracy",
             {series("training (running)", c.train_acc, train_colour),
              series("validation (1,000 test images)", c.val_acc, val_colour)},
             {.y_label = "accuracy", .y_min = 0, .y_max = 1, .x_max = epochs, .height_lines = 8,
              .value_format = "%.3f"});
  float top_lr = 1e-6f;
  for (float v : c.lr) top_lr = std::max(top_lr, v);
  plot::draw("##learning rate", {series("learning rate", c.lr, IM_COL32(153, 217, 128, 255))},
             {.y_label = "learning rate", .y_min = 0, .y_max = 1.1 * top_lr, .x_max = epochs,
              .height_lines = 5, .value_format = "%.2g"});
  if (const EvalResult* r = s.test_result()) {
    ImGui::Text("Test accuracy (full test set, %d images) after %d epoch%s: %.2f%%, loss %.4f",
                r->samples, s.test_result_epoch(), s.test_result_epoch() == 1 ? "" : "s",
                100 * r->accuracy, r->loss);
    tooltip("Every test image, once, with the weights at the end of that epoch.");
  }
  ImGui::Separator();
  draw_evaluation_panel(app);
}

}  // namespace cnn::app
