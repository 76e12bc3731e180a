// Evaluation panel: the confusion matrix of the last test-set evaluation
// (rows: true class, columns: predicted; shaded by the share of the row) and
// each class's accuracy.
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "app/app.h"
#include "app/panel_ui.h"
#include "app/panels.h"

namespace cnn::app {
using lab::Session, lab::EvalResult;

namespace {

// 10000 -> "10,000".
std::string thousands(int n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

void draw_evaluation_panel(App& app) {
  Session& s = app.session;
  const bool can = s.state() != Session::State::kNoModel && !s.evaluating() &&
                   s.state() != Session::State::kTraining;
  if (app.widgets.button("Evaluate test set", can)) s.evaluate_test_set();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Runs the model on every test image (not used for training) and fills the confusion "
        "matrix below. Also runs by itself after each epoch.");
  const EvalResult* r = s.test_result();
  ImGui::PushTextWrapPos(0);
  if (s.evaluating()) {
    ImGui::TextDisabled("evaluating the full test set... %.0f%%", 100 * s.evaluation_progress());
  } else if (r) {
    // Which accuracy this is: the full test set, not the validation subset
    // nor the running training batches of the Training panel.
    ImGui::Text("Test accuracy %.2f%% (loss %.4f) on the full test set (%s images) after epoch %d",
                100 * r->accuracy, r->loss, thousands(r->samples).c_str(), s.test_result_epoch());
  } else {
    ImGui::TextDisabled(
        "The full test set is evaluated after each epoch, or when you press the button.");
  }
  ImGui::PopTextWrapPos();
  if (!r) return;

  const std::vector<std::string>& names = app.test.class_names;
  const int k = r->classes;
  // Sized from the font: a cell holds a 4-digit count, a label 6 letters.
  const float f = ImGui::GetFontSize();
  const float cell = f * 2.f, label_w = ImGui::CalcTextSize("MMMMMM").x * 0.8f + f * 0.5f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 grid(o.x + label_w, o.y + f * 1.2f);
  char text[32];
  for (int c = 0; c < k; ++c) {
    std::snprintf(text, sizeof text, "%d", c);
    draw->AddText(ImVec2(grid.x + c * cell + cell * 0.35f, o.y), ImGui::GetColorU32(ImGuiCol_Text),
                  text);
  }
  for (int t = 0; t < k; ++t) {
    int row = 0;
    for (int p = 0; p < k; ++p) row += r->count(t, p);
    const std::string label =
        size_t(t) < names.size() ? names[size_t(t)].substr(0, 6) : std::to_string(t);
    draw->AddText(ImVec2(o.x, grid.y + t * cell + (cell - f) / 2),
                  ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
    for (int p = 0; p < k; ++p) {
      const int n = r->count(t, p);
      const float share = row ? float(n) / float(row) : 0.f;
      // Correct answers in green, mistakes in red; brighter = larger share.
      const float a = n ? 0.15f + 0.85f * std::sqrt(share) : 0.f;
      const ImU32 fill =
          t == p ? IM_COL32(40, 170, 90, int(255 * a)) : IM_COL32(220, 60, 50, int(255 * a));
      const ImVec2 a0(grid.x + p * cell, grid.y + t * cell), a1(a0.x + cell - 1, a0.y + cell - 1);
      draw->AddRectFilled(a0, a1, fill);
      if (n) {
        std::snprintf(text, sizeof text, "%d", n);
        const float tw = ImGui::CalcTextSize(text).x;
        if (tw <= cell)
          draw->AddText(ImVec2(a0.x + (cell - tw) / 2, a0.y + (cell - f) / 2),
                        IM_COL32(255, 255, 255, 230), text);
      }
    }
    // The class's accuracy right of its row.
    const double acc = r->class_accuracy(t);
    if (std::isfinite(acc)) {
      std::snprintf(text, sizeof text, "%.1f%%", 100 * acc);
      draw->AddText(ImVec2(grid.x + k * cell + f * 0.5f, grid.y + t * cell + (cell - f) / 2),
                    ImGui::GetColorU32(ImGuiCol_Text), text);
    }
  }
  draw->AddText(ImVec2(grid.x + k * cell + f * 0.5f, o.y),
                ImGui::GetColorU32(ImGuiCol_TextDisabled), "class acc.");
  ImGui::Dummy(ImVec2(label_w + k * cell + f + ImGui::CalcTextSize("class acc.").x,
                      f * 1.2f + k * cell + f * 0.3f));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Each cell counts the test images of one true class (row) given one predicted class "
        "(column): the diagonal (green) is right, the rest (red) are mistakes. Right: each "
        "class's accuracy.");
  ImGui::TextWrapped(
      "Rows: true class, columns: predicted class. Class accuracy: the share of each row that "
      "is right.");
}

}  // namespace cnn::app
