// Data panel: which data set, its loading progress, and a grid of training
// samples with their labels (one texture holding the whole grid).
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/app.h"
#include "app/panels.h"
#include "core/rng.h"
#include "platform/platform.h"

namespace cnn::app {

namespace {

constexpr int kCols = 10, kRows = 5;

struct Grid {
  void* texture = nullptr;
  int generation = -1;  // loader generation the grid shows
  int first = 0;        // first sample shown (pages of kCols * kRows)
  std::vector<int> indices;
  Rng rng{7};
};

// Draws samples into one RGBA atlas of kCols x kRows images. Each image is
// stretched from its own min..max, so it shows whatever the preprocessing.
void build_grid(Grid& g, const Dataset& d) {
  const Shape s = d.x.shape();
  const int w = s.w, h = s.h;
  std::vector<uint8_t> rgba(size_t(kCols * w) * (kRows * h) * 4, 0);
  g.indices.clear();
  for (int k = 0; k < kCols * kRows && g.first + k < d.size(); ++k) {
    const int n = g.first + k;
    g.indices.push_back(n);
    const float* img = d.x.sample(n);
    const size_t plane = s.plane();
    float lo = img[0], hi = img[0];
    for (size_t i = 0; i < plane * s.c; ++i) lo = std::min(lo, img[i]), hi = std::max(hi, img[i]);
    const float scale = hi > lo ? 255.f / (hi - lo) : 0.f;
    const int ox = (k % kCols) * w, oy = (k / kCols) * h;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        uint8_t* px = &rgba[(size_t(oy + y) * kCols * w + ox + x) * 4];
        for (int c = 0; c < 3; ++c) {
          const int ch = s.c == 3 ? c : 0;  // grey images: the same value in R, G and B
          px[c] = uint8_t((img[size_t(ch) * plane + size_t(y) * w + x] - lo) * scale);
        }
        px[3] = 255;
      }
  }
  if (!g.texture)
    g.texture = platform::create_texture(kCols * w, kRows * h, rgba.data());
  else
    platform::update_texture(g.texture, kCols * w, kRows * h, rgba.data());
}

}  // namespace

void draw_data_panel(App& app) {
  static Grid grid;
  place_window(8, 8, 440, 350);
  ImGui::Begin("Data");

  const auto& sets = playground_datasets();
  int current = 0;
  for (int i = 0; i < int(sets.size()); ++i)
    if (app.loader.name() == sets[size_t(i)].name) current = i;
  ImGui::SetNextItemWidth(200);
  const bool open = ImGui::BeginCombo("Data set", sets[size_t(current)].label);
  app.widgets.track("Data set");
  if (open) {
    for (int i = 0; i < int(sets.size()); ++i)
      if (ImGui::Selectable(sets[size_t(i)].label, i == current) && i != current)
        app.select_dataset(sets[size_t(i)].name);
    ImGui::EndCombo();
  }

  switch (app.loader.state()) {
    case DataLoader::State::kLoading: {
      char text[64];
      std::snprintf(text, sizeof text, "loading %.1f MB", app.loader.bytes_loaded() / 1e6);
      ImGui::ProgressBar(app.loader.progress(), ImVec2(-1, 0), text);
      break;
    }
    case DataLoader::State::kFailed:
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
      ImGui::TextWrapped("Could not load the data: %s", app.loader.error().c_str());
      ImGui::PopStyleColor();
      if (app.widgets.button("Retry")) app.select_dataset(app.loader.name());
      break;
    default:
      break;
  }
  if (app.train.size() == 0) {
    ImGui::End();
    return;
  }

  ImGui::Text("%d training and %d test images of %s, %d classes", app.train.size(), app.test.size(),
              app.train.x.shape().sample_str().c_str(), app.train.num_classes);
  if (grid.generation != app.loader.generation()) {
    grid.generation = app.loader.generation();
    grid.first = 0;
    build_grid(grid, app.train);
  }
  if (app.widgets.button("Other samples")) {
    grid.first = int(grid.rng.below(uint32_t(std::max(1, app.train.size() - kCols * kRows))));
    build_grid(grid, app.train);
  }
  ImGui::SameLine();
  ImGui::TextDisabled("samples %d..%d of the training set", grid.first,
                      grid.first + kCols * kRows - 1);

  // The grid, 1.5x, with each label in the cell's corner.
  const float cell = 1.5f * float(app.train.x.shape().w);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Image(grid.texture, ImVec2(cell * kCols, cell * kRows));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (int k = 0; k < int(grid.indices.size()); ++k) {
    const int label = int(app.train.y[size_t(grid.indices[size_t(k)])]);
    const ImVec2 at(origin.x + (k % kCols) * cell + 1, origin.y + (k / kCols) * cell);
    const std::string& name = app.train.class_names[size_t(label)];
    const char* end = name.c_str() + std::min<size_t>(name.size(), 5);
    const ImVec2 size = ImGui::CalcTextSize(name.c_str(), end);
    draw->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), IM_COL32(0, 0, 0, 150));
    draw->AddText(at, IM_COL32(255, 200, 60, 255), name.c_str(), end);
  }
  ImGui::TextDisabled("Labels in yellow (the first letters of longer class names).");
  ImGui::End();
}

}  // namespace cnn::app
