// The plot widget in a headless Dear ImGui context (no window, no GL): it
// takes the width it is given, puts the legend beside the curves when there
// is room and under them when not, and draws its axes' numbers.
#include "app/plot.h"

#include <gtest/gtest.h>
#include <imgui.h>

#include <string>

namespace cnn::app::plot {
namespace {

struct Frame {
  explicit Frame(float width) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(width + 40, 800);
    io.DeltaTime = 1.f / 60;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the font atlas
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width, 780));
    ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration);
  }
  ~Frame() {
    ImGui::End();
    ImGui::Render();
    ImGui::DestroyContext();
  }
};

std::vector<Series> two_series() {
  return {{"training loss", {2.3f, 1.1f, 0.6f, 0.4f}, palette(0)},
          {"validation loss", {2.2f, 1.2f, 0.7f, 0.5f}, palette(1)}};
}

TEST(PlotWidget, LegendBesideWhenWideUnderWhenNarrow) {
  float wide_h = 0, narrow_h = 0, wide_w = 0;
  {
    Frame f(900);
    draw("##wide", two_series(), {.y_label = "loss", .height_lines = 8});
    wide_h = ImGui::GetItemRectSize().y;
    wide_w = ImGui::GetItemRectSize().x;
    EXPECT_LE(wide_w, ImGui::GetWindowContentRegionMax().x);
  }
  {
    Frame f(260);
    draw("##narrow", two_series(), {.y_label = "loss", .height_lines = 8});
    narrow_h = ImGui::GetItemRectSize().y;
    EXPECT_LE(ImGui::GetItemRectSize().x, 260.f);
  }
  // Under the plot, the legend's two lines add to the height.
  EXPECT_GT(narrow_h, wide_h + 13);
  EXPECT_GT(wide_w, 800.f);  // the whole width it was given
}

TEST(PlotWidget, DrawsAxesAndCurvesWithAnyData) {
  Frame f(600);
  ImDrawList* list = ImGui::GetWindowDrawList();
  const int before = list->VtxBuffer.Size;
  draw("##empty", {}, {});
  const int empty = list->VtxBuffer.Size - before;
  EXPECT_GT(empty, 0);  // the frame and axes, even without data
  std::vector<Series> log_series = {{"style loss", {1e7f, 1e5f, 3e4f, 0.f, -1.f}, palette(1)}};
  log_series[0].x_step = 0.5;
  const int before_log = list->VtxBuffer.Size;
  draw("##log", log_series, {.x_label = "iteration", .log_y = true});
  EXPECT_GT(list->VtxBuffer.Size - before_log, empty);  // plus the curve and its legend
}

}  // namespace
}  // namespace cnn::app::plot
