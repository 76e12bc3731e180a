// Evaluation panel: the confusion matrix of the last test-set evaluation
// (rows: true class, columns: predicted; shaded by the share of the row) and
// each class's accuracy.
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "app/app.h"
#include "app/panels.h"

namespace cnn::app {
using lab::Session, lab::EvalResult;

void draw_evaluation_panel(App& app) {
  Session& s = app.session;
  place_window(456, 478, 430, 374);
  ImGui::Begin("Evaluation");
  const bool can = s.state() != Session::State::kNoModel && !s.evaluating() &&
                   s.state() != Session::State::kTraining;
  if (app.widgets.button("Evaluate test set", can)) s.evaluate_test_set();
  ImGui::SameLine();
  const EvalResult* r = s.test_result();
  if (s.evaluating())
    ImGui::TextDisabled("evaluating... %.0f%%", 100 * s.evaluation_progress());
  else if (r)
    ImGui::Text("%d images: accuracy %.2f%%, loss %.4f", r->samples, 100 * r->accuracy, r->loss);
  else
    ImGui::TextDisabled("after each epoch, or press the button");
  if (!r) {
    ImGui::End();
    return;
  }

  const std::vector<std::string>& names = app.test.class_names;
  const int k = r->classes;
  const float cell = 28.f, label_w = 48.f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 grid(o.x + label_w, o.y + 16);
  char text[32];
  for (int c = 0; c < k; ++c) {
    std::snprintf(text, sizeof text, "%d", c);
    draw->AddText(ImVec2(grid.x + c * cell + 10, o.y), ImGui::GetColorU32(ImGuiCol_Text), text);
  }
  for (int t = 0; t < k; ++t) {
    int row = 0;
    for (int p = 0; p < k; ++p) row += r->count(t, p);
    const std::string label =
        size_t(t) < names.size() ? names[size_t(t)].substr(0, 6) : std::to_string(t);
    draw->AddText(ImVec2(o.x, grid.y + t * cell + 7), ImGui::GetColorU32(ImGuiCol_Text),
                  label.c_str());
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
          draw->AddText(ImVec2(a0.x + (cell - tw) / 2, a0.y + 7), IM_COL32(255, 255, 255, 230),
                        text);
      }
    }
    // The class's accuracy right of its row.
    const double acc = r->class_accuracy(t);
    if (std::isfinite(acc)) {
      std::snprintf(text, sizeof text, "%.1f%%", 100 * acc);
      draw->AddText(ImVec2(grid.x + k * cell + 8, grid.y + t * cell + 7),
                    ImGui::GetColorU32(ImGuiCol_Text), text);
    }
  }
  draw->AddText(ImVec2(grid.x + k * cell + 8, o.y), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                "class acc.");
  ImGui::Dummy(ImVec2(label_w + k * cell + 60, 16 + k * cell + 4));
  ImGui::TextDisabled("Rows: true class, columns: predicted class.");
  ImGui::End();
}

}  // namespace cnn::app
