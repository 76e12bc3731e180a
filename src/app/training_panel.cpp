// Training panel: loss, optimiser, schedule, batch size, epochs, L2 and
// dropout; Train / Pause / Step / Reset and how training runs (worker thread
// or time slices); a progress bar with throughput and time left; live curves
// of training and validation loss and accuracy, and of the learning rate.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "app/app.h"
#include "app/panels.h"
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

// Training and validation curves in one frame (the second plot drawn over
// the first with a transparent background), the latest values in the overlay.
void curves(const char* id, const std::vector<float>& train, const std::vector<float>& val,
            float lo, float hi) {
  const ImVec4 train_color(0.4f, 0.7f, 1.f, 1.f), val_color(1.f, 0.6f, 0.3f, 1.f);
  char overlay[96] = "";
  if (!train.empty()) std::snprintf(overlay, sizeof overlay, "train %.4f", train.back());
  if (!val.empty())
    std::snprintf(overlay + std::strlen(overlay), sizeof overlay - std::strlen(overlay),
                  "   validation %.4f", val.back());
  // PlotLines takes no "fill the width" size (-1), unlike most widgets.
  const ImVec2 size(ImGui::GetContentRegionAvail().x, 56);
  const ImVec2 at = ImGui::GetCursorPos();
  ImGui::PushStyleColor(ImGuiCol_PlotLines, train_color);
  ImGui::PlotLines((std::string("##train ") + id).c_str(), train.data(), int(train.size()), 0,
                   overlay, lo, hi, size);
  ImGui::PopStyleColor();
  ImGui::SetCursorPos(at);
  ImGui::PushStyleColor(ImGuiCol_PlotLines, val_color);
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0, 0, 0, 0));
  ImGui::PlotLines((std::string("##val ") + id).c_str(), val.data(), int(val.size()), 0, nullptr,
                   lo, hi, size);
  ImGui::PopStyleColor(2);
}

// How training runs here, e.g. "web, 2 threads (worker)".
std::string run_mode(const Session& s) {
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

// The settings fixed once training started (until Reset): changing one
// rebuilds the model with fresh weights.
void fixed_settings(Session& s) {
  TrainSettings& t = s.settings;
  const std::vector<std::string>& losses = training_losses();
  ImGui::SetNextItemWidth(200);
  if (ImGui::BeginCombo("Loss", t.loss.c_str())) {
    for (const std::string& name : losses)
      if (ImGui::Selectable(name.c_str(), name == t.loss) && name != t.loss) {
        t.loss = name;
        s.rebuild();
      }
    ImGui::EndCombo();
  }
  int opt = t.optimizer == "sgd" ? 1 : 0;
  const char* optimizers[] = {"adam", "sgd"};
  ImGui::SetNextItemWidth(110);
  if (ImGui::Combo("Optimizer", &opt, optimizers, 2)) {
    t.optimizer = optimizers[opt];
    t.lr = opt == 1 ? 0.01f : 0.002f;
    s.rebuild();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  if (ImGui::InputInt("Batch size", &t.batch_size, 16, 64))
    t.batch_size = std::clamp(t.batch_size, 1, 4096);

  const char* schedules[] = {"none", "step", "plateau"};
  int sched = t.schedule == "step" ? 1 : t.schedule == "plateau" ? 2 : 0;
  ImGui::SetNextItemWidth(110);
  if (ImGui::Combo("Schedule", &sched, schedules, 3)) {
    t.schedule = schedules[sched];
    s.rebuild();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "step: multiply the rate by the factor every N epochs\n"
        "plateau: multiply it by the factor when the epoch's training loss\n"
        "has not improved for N epochs");
  if (sched != 0) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(70);
    int& n = sched == 1 ? t.schedule_every : t.schedule_patience;
    if (ImGui::InputInt(sched == 1 ? "every" : "patience", &n, 0, 0)) {
      n = std::clamp(n, 1, 100);
      s.rebuild();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(60);
    if (ImGui::InputFloat("factor", &t.schedule_factor, 0, 0, "%.2f")) {
      t.schedule_factor = std::clamp(t.schedule_factor, 0.01f, 1.f);
      s.rebuild();
    }
  }

  // Dropout is a brick setting: it applies to every dropout layer.
  float rate = s.dropout_rate();
  ImGui::BeginDisabled(s.dropout_layers() == 0);
  ImGui::SetNextItemWidth(110);
  if (ImGui::SliderFloat("Dropout", &rate, 0.f, 0.9f, "%.2f") && s.dropout_layers() > 0)
    s.set_dropout_rate(rate);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(s.dropout_layers() ? "the rate of the model's %d dropout layer(s)"
                                         : "the model has no dropout layer (add one in Model)",
                      s.dropout_layers());
}

float max_of(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0.1f;
  for (float v : a) m = std::max(m, v);
  for (float v : b) m = std::max(m, v);
  return m;
}

}  // namespace

void draw_training_panel(App& app) {
  Session& s = app.session;
  TrainSettings& t = s.settings;
  place_window(456, 8, 430, 462);
  ImGui::Begin("Training");

  // Loss, optimiser, schedule, batch size and dropout are fixed once training
  // started (until Reset); the learning rate, L2 and epochs can change at any time.
  ImGui::BeginDisabled(s.started());
  fixed_settings(s);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(80);
  if (ImGui::InputFloat("L2", &t.l2, 0.0f, 0.0f, "%.5f")) {
    t.l2 = std::clamp(t.l2, 0.f, 1.f);
    s.apply_learning_rate();
  }
  ImGui::SetNextItemWidth(110);
  if (ImGui::InputFloat("Learning rate", &t.lr, 0.0f, 0.0f, "%.5f")) {
    t.lr = std::clamp(t.lr, 1e-6f, 10.f);
    s.apply_learning_rate();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  if (ImGui::InputInt("Epochs", &t.epochs)) t.epochs = std::clamp(t.epochs, 1, 100);

  const bool can_train = s.state() != Session::State::kNoModel;
  const bool running = s.state() == Session::State::kTraining;
  if (app.widgets.button(s.state() == Session::State::kFinished ? "Train more" : "Train",
                         can_train && !running))
    s.train();
  ImGui::SameLine();
  if (app.widgets.button("Pause", running)) s.pause();
  ImGui::SameLine();
  if (app.widgets.button("Step", can_train && !running)) s.step_batch();
  ImGui::SameLine();
  if (app.widgets.button("Reset", can_train)) s.reset();
  ImGui::SameLine();
  ImGui::TextDisabled("%s", run_mode(s).c_str());

  // Progress of this epoch.
  char text[160];
  if (const TrainProgress* p = s.progress(); p && p->batches > 0) {
    std::snprintf(text, sizeof text, "epoch %d/%d  batch %d/%d", p->epoch + 1, p->epochs, p->batch,
                  p->batches);
    ImGui::ProgressBar(float(p->batch) / float(p->batches), ImVec2(-1, 0), text);
    if (running)
      std::snprintf(text, sizeof text, "%.0f images/s   ETA %s   loss %.4f   accuracy %.4f",
                    s.throughput(), duration(s.eta_seconds()).c_str(), p->logs.get("loss"),
                    p->logs.get("accuracy"));
    else
      std::snprintf(text, sizeof text, "epoch means: loss %.4f   accuracy %.4f",
                    p->logs.get("loss"), p->logs.get("accuracy"));
    ImGui::TextUnformatted(text);
  } else if (can_train) {
    ImGui::ProgressBar(0.f, ImVec2(-1, 0), "not started");
    ImGui::TextDisabled("Press Train (or Step for a single batch).");
  } else {
    ImGui::ProgressBar(0.f, ImVec2(-1, 0),
                       app.train.size() ? "fix the model first" : "waiting for data");
    ImGui::NewLine();
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
  ImGui::TextColored(ImVec4(0.4f, 0.7f, 1.f, 1.f), "training");
  ImGui::SameLine();
  ImGui::TextColored(ImVec4(1.f, 0.6f, 0.3f, 1.f), "validation");
  ImGui::SameLine();
  ImGui::TextDisabled("(on %d test images)", Session::kLiveValSize);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "A point every %d batches: the mean training loss and accuracy of those batches,\n"
        "and the model's loss and accuracy on the first %d test images (the whole\n"
        "test set at the end of an epoch).",
        Session::kCurveEvery, Session::kLiveValSize);
  ImGui::Text("Loss");
  curves("loss", c.train_loss, c.val_loss, 0.f, max_of(c.train_loss, c.val_loss));
  ImGui::Text("Accuracy");
  curves("accuracy", c.train_acc, c.val_acc, 0.f, 1.f);
  char lr_text[48] = "";
  if (!c.lr.empty()) std::snprintf(lr_text, sizeof lr_text, "learning rate %.6f", c.lr.back());
  float top_lr = 1e-6f;
  for (float v : c.lr) top_lr = std::max(top_lr, v);
  ImGui::PushStyleColor(ImGuiCol_PlotLines, ImVec4(0.6f, 0.85f, 0.5f, 1.f));
  ImGui::PlotLines("##learning rate", c.lr.data(), int(c.lr.size()), 0, lr_text, 0.f,
                   top_lr * 1.05f, ImVec2(ImGui::GetContentRegionAvail().x, 36));
  ImGui::PopStyleColor();
  if (const EvalResult* r = s.test_result())
    ImGui::Text("Test set after %d epoch%s: accuracy %.2f%%, loss %.4f", s.test_result_epoch(),
                s.test_result_epoch() == 1 ? "" : "s", 100 * r->accuracy, r->loss);
  ImGui::End();
}

}  // namespace cnn::app
