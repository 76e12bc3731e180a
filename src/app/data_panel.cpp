// Data panel: which data set, its loading progress, the user's CIFAR-10 files
// (drop on the window, pick, or a path on the desktop), and two tabs: a grid
// of training samples with their labels, and the preprocessing and
// augmentation settings with a live preview of augmented samples.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/app.h"
#include "app/augment_preview.h"
#include "app/panels.h"
#include "core/rng.h"
#include "core/file.h"
#include "model/trainer.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::DataLoader;

namespace {

constexpr int kCols = 10, kRows = 4;

using Grid = SampleGrid;

// Samples first.. into one RGBA atlas of kCols x kRows images, in raw pixels.
void build_grid(Grid& g, const Dataset& d, const Preprocessing& p) {
  const Shape s = d.x.shape();
  g.indices.clear();
  for (int k = 0; k < kCols * kRows && g.first + k < d.size(); ++k)
    g.indices.push_back(g.first + k);
  Tensor samples;
  gather_samples(d.x, g.indices, 0, int(g.indices.size()), samples);
  std::vector<uint8_t> rgba = samples_to_rgba(std::move(samples), p, kCols);
  rgba.resize(size_t(kCols * s.w) * (kRows * s.h) * 4, 0);  // a short last page
  if (g.texture) platform::delete_texture(g.texture);       // sizes differ between data sets
  g.texture = platform::create_texture(kCols * s.w, kRows * s.h, rgba.data());
  g.mode = p.mode;
}

void draw_status(App& app) {
  const DataLoader& loader = app.loader;
  switch (loader.state()) {
    case DataLoader::State::kLoading: {
      char text[96];
      if (loader.status().empty())
        std::snprintf(text, sizeof text, "loading %.1f MB", loader.bytes_loaded() / 1e6);
      else
        std::snprintf(text, sizeof text, "%s", loader.status().c_str());
      ImGui::ProgressBar(loader.progress(), ImVec2(-1, 0), text);
      break;
    }
    case DataLoader::State::kWaitingForFiles:
      ImGui::TextWrapped("Drop the files on this window, or add them: %s.",
                         loader.status().c_str());
      break;
    case DataLoader::State::kFailed:
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
      ImGui::TextWrapped("Could not load the data: %s", loader.error().c_str());
      ImGui::PopStyleColor();
      if (app.widgets.button("Retry")) app.select_dataset(loader.name());
      tooltip("Load the data set's files again.");
      return;
    default:
      break;
  }
  if (!loader.error().empty()) {  // files refused while data is in use or awaited
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
    ImGui::TextWrapped("%s", loader.error().c_str());
    ImGui::PopStyleColor();
  }
}

// The user's files: what was taken, and how to add more.
void draw_user_files(App& app) {
  char* path = app.ui.data.path;
  const size_t path_size = sizeof app.ui.data.path;
  if (platform::has_file_picker()) {
    if (app.widgets.button("Add files..."))
      platform::pick_files(".bin,.gz,.tgz,.tar,application/gzip,application/x-tar");
    tooltip("Choose CIFAR-10 files (or a model file) from this computer.");
  } else {
    ImGui::SetNextItemWidth(16 * ImGui::GetFontSize());
    ImGui::InputText("##path", path, path_size);
    app.widgets.track("Data path");
    tooltip("A CIFAR-10 file (cifar-10-binary.tar.gz, a batch .bin) or the folder holding them.");
    ImGui::SameLine();
    if (app.widgets.button("Add")) app.add_data_path(path);
    tooltip("Read the file or folder named on the left into the data set.");
  }
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "CIFAR-10, binary version (www.cs.toronto.edu/~kriz/cifar.html):\n"
        "cifar-10-binary.tar.gz as downloaded, or the batch files inside it,\n"
        "data_batch_1..5.bin (training) and test_batch.bin (test), added in\n"
        "one go or several. Model files (.safetensors) can be dropped too.");
  const auto files = app.loader.user_files();
  if (files.empty()) return;
  std::string list;
  for (const auto& f : files)
    list += (list.empty() ? "" : ", ") + f.base + " (" + std::to_string(f.images) + ")";
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Files: %s", list.c_str());
  ImGui::PopStyleColor();
}

void draw_samples_tab(App& app, Grid& grid) {
  if (grid.generation != app.data_generation() || grid.mode != app.preprocessing.mode) {
    if (grid.generation != app.data_generation()) grid.first = 0;
    grid.generation = app.data_generation();
    build_grid(grid, app.train, app.preprocessing);
  }
  if (app.widgets.button("Other samples")) {
    grid.first = int(grid.rng.below(uint32_t(std::max(1, app.train.size() - kCols * kRows))));
    build_grid(grid, app.train, app.preprocessing);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Show other random training samples (now %d..%d).", grid.first,
                      grid.first + int(grid.indices.size()) - 1);
  ImGui::SameLine();
  ImGui::TextDisabled("labels in yellow");

  // The grid as wide as the column (it scrolls), with each label in the cell's corner.
  const Shape s = app.train.x.shape();
  const ImVec2 room = ImGui::GetContentRegionAvail();
  const float cell = std::max(8.f, std::min(room.x / kCols, 4 * ImGui::GetFontSize()));
  const float cell_h = cell * float(s.h) / float(s.w);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Image(grid.texture, ImVec2(cell * kCols, cell_h * kRows));
  app.widgets.track("Sample grid");
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (int k = 0; k < int(grid.indices.size()); ++k) {
    const int label = int(app.train.y[size_t(grid.indices[size_t(k)])]);
    const ImVec2 at(origin.x + (k % kCols) * cell + 1, origin.y + (k / kCols) * cell_h);
    // As many letters of the class name as fit the cell.
    const std::string& name = app.train.class_names[size_t(label)];
    const char* end = name.c_str() + name.size();
    while (end > name.c_str() + 1 && ImGui::CalcTextSize(name.c_str(), end).x > cell - 2) --end;
    const ImVec2 size = ImGui::CalcTextSize(name.c_str(), end);
    draw->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), IM_COL32(0, 0, 0, 150));
    draw->AddText(at, IM_COL32(255, 200, 60, 255), name.c_str(), end);
  }
}

void draw_augment_tab(App& app, AugmentPreview& preview) {
  static const std::pair<Preprocessing::Mode, const char*> modes[] = {
      {Preprocessing::Mode::kScale01, "scale to 0..1 (x / 255)"},
      {Preprocessing::Mode::kScaleSigned, "scale to -1..1"},
      {Preprocessing::Mode::kMeanSubtract, "subtract the mean per channel"},
      {Preprocessing::Mode::kStandardize, "standardise per channel"},
      {Preprocessing::Mode::kNone, "none (raw 0..255)"},
  };
  const char* current = "?";
  for (const auto& [mode, label] : modes)
    if (mode == app.preprocessing.mode) current = label;
  ImGui::SetNextItemWidth(14 * ImGui::GetFontSize());
  const bool open = ImGui::BeginCombo("Preprocessing", current);
  app.widgets.track("Preprocessing");
  if (open) {
    for (const auto& [mode, label] : modes)
      if (ImGui::Selectable(label, mode == app.preprocessing.mode) &&
          mode != app.preprocessing.mode)
        app.change_preprocessing(mode);
    ImGui::EndCombo();
  }
  tooltip("How pixels are scaled before the model sees them. Statistics come from the\n"
          "training set. A change starts the model afresh.");

  Augmentation a = app.augmentation.get();
  const float w = 6 * ImGui::GetFontSize();
  bool changed = ImGui::Checkbox("Flip", &a.hflip);
  app.widgets.track("Flip");
  tooltip("Mirror each training image left-right at random (half of them).");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  changed |= ImGui::SliderInt("Crop pad", &a.crop_pad, 0, 8);
  tooltip("Pad each image with this many zero pixels per side, then crop a random window.");
  ImGui::SetNextItemWidth(w);
  changed |= ImGui::SliderInt("Shift", &a.translate, 0, 8);
  tooltip("Shift each image by up to this many pixels in x and y.");
  ImGui::SetNextItemWidth(w);
  changed |= ImGui::SliderFloat("Brightness", &a.brightness, 0.f, 0.5f, "%.2f");
  tooltip("Add a random brightness offset up to this much.");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  changed |= ImGui::SliderFloat("Contrast", &a.contrast, 0.f, 0.5f, "%.2f");
  tooltip("Scale the contrast by a random factor up to this far from 1.");
  if (changed) app.augmentation.set(a);
  ImGui::TextDisabled(a.any() ? "Each training batch gets random changes like these:"
                              : "No augmentation (each row: a sample and its variants):");
  const ImVec2 room = ImGui::GetContentRegionAvail();
  const Shape s = app.train.x.shape();
  const float fit_w = 12 * ImGui::GetFontSize() * float(AugmentPreview::kVariants + 1) * float(s.w) /
                      (float(AugmentPreview::kSamples) * float(s.h));
  preview.draw(app.train, app.preprocessing, a, std::max(40.f, std::min(room.x, fit_w)));
}

}  // namespace

void draw_data_panel(App& app) {
  Grid& grid = app.ui.data.grid;
  AugmentPreview& preview = app.ui.data.preview;

  const auto& sets = known_datasets();
  int current = 0;
  for (int i = 0; i < int(sets.size()); ++i)
    if (app.loader.name() == sets[size_t(i)].name) current = i;
  ImGui::SetNextItemWidth(12 * ImGui::GetFontSize());
  const bool open = ImGui::BeginCombo("Data set", sets[size_t(current)].label);
  app.widgets.track("Data set");
  tooltip("The images to train and test on (CIFAR-10: files you supply).");
  if (open) {
    for (int i = 0; i < int(sets.size()); ++i)
      if (ImGui::Selectable(sets[size_t(i)].label, i == current) && i != current)
        app.select_dataset(sets[size_t(i)].name);
    ImGui::EndCombo();
  }
  if (sets[size_t(current)].user_files) draw_user_files(app);
  draw_status(app);
  if (app.train.size() == 0) return;

  ImGui::Text("%d training and %d test images of %s, %d classes", app.train.size(), app.test.size(),
              app.train.x.shape().sample_str().c_str(), app.train.num_classes);
  if (ImGui::BeginTabBar("data tabs")) {
    const bool samples = ImGui::BeginTabItem("Samples");
    app.widgets.track("Samples tab");
    tooltip("A page of training images with their labels.");
    if (samples) {
      draw_samples_tab(app, grid);
      ImGui::EndTabItem();
    }
    const bool augment = ImGui::BeginTabItem("Preprocess & augment");
    app.widgets.track("Augment tab");
    tooltip("How images are scaled, and the random changes each training batch gets.");
    if (augment) {
      draw_augment_tab(app, preview);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
}

}  // namespace cnn::app
