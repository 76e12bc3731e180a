// Model panel: a preset to start from, its layers with each one's output
// shape and parameter count, and an editor for the selected layer. Any edit
// rebuilds the model at once; an impossible architecture shows why, inline,
// and training stays off until it is fixed.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/app.h"
#include "app/panels.h"
#include "model/zoo.h"

namespace cnn::app {
using lab::Session;

namespace {

struct Field {
  const char* key;
  bool is_int;
  float lo, hi, fallback;
};

// The settings the editor offers per brick type (others have none).
std::vector<Field> fields_of(const std::string& type) {
  if (type == "conv2d")
    return {{"filters", true, 1, 256, 8},
            {"kernel", true, 1, 11, 3},
            {"stride", true, 1, 4, 1},
            {"pad", true, 0, 5, 0}};
  if (type == "dense") return {{"units", true, 1, 1024, 10}};
  if (type == "maxpool2d" || type == "avgpool2d") return {{"size", true, 1, 8, 2}};
  if (type == "dropout") return {{"rate", false, 0, 0.95f, 0.25f}};
  if (type == "leaky_relu") return {{"slope", false, 0, 1, 0.01f}};
  return {};
}

const char* kAddable[] = {"conv2d", "relu",    "maxpool2d", "avgpool2d",
                          "dense",  "dropout", "batchnorm", "leaky_relu",
                          "tanh",   "sigmoid", "flatten",   "global_avgpool"};

nlohmann::json new_layer(const std::string& type) {
  nlohmann::json j = {{"type", type}};
  if (type == "conv2d") j.update({{"filters", 8}, {"kernel", 3}, {"pad", 1}});
  for (const Field& f : fields_of(type))
    if (!j.contains(f.key))
      j[f.key] = f.is_int ? nlohmann::json(int(f.fallback)) : nlohmann::json(f.fallback);
  return j;
}

// "conv2d 16@5x5 pad 2", "dense 128", "maxpool2d 2", "dropout 0.25".
std::string describe(const nlohmann::json& layer) {
  const std::string type = layer.value("type", "?");
  auto num = [&](const char* key, const std::string& fallback = "?") {
    return layer.contains(key) ? layer[key].dump() : fallback;
  };
  if (type == "conv2d") {
    std::string d = type + " " + num("filters") + "@" + num("kernel") + "x" + num("kernel");
    if (layer.value("stride", 1) != 1) d += " stride " + num("stride");
    if (layer.value("pad", 0) != 0) d += " pad " + num("pad");
    return d;
  }
  if (type == "dense") return type + " " + num("units");
  if (type == "maxpool2d" || type == "avgpool2d") return type + " " + num("size", "2");
  if (type == "dropout" || type == "leaky_relu") {
    char v[16];
    std::snprintf(v, sizeof v, "%.2f", layer.value(type == "dropout" ? "rate" : "slope", 0.f));
    return type + " " + v;
  }
  return type;
}

// Edits one layer's fields; true when something changed.
bool edit_layer(nlohmann::json& layer) {
  bool changed = false;
  for (const Field& f : fields_of(layer.value("type", ""))) {
    ImGui::SetNextItemWidth(6 * ImGui::GetFontSize());
    if (f.is_int) {
      int v = layer.contains(f.key) ? layer[f.key].get<int>() : int(f.fallback);
      if (ImGui::InputInt(f.key, &v)) {
        layer[f.key] = std::clamp(v, int(f.lo), int(f.hi));
        changed = true;
      }
      tooltip("A setting of this layer; a change rebuilds the model with fresh weights.");
    } else {
      float v = layer.contains(f.key) ? layer[f.key].get<float>() : f.fallback;
      if (ImGui::SliderFloat(f.key, &v, f.lo, f.hi, "%.2f")) {
        layer[f.key] = v;
        changed = true;
      }
      tooltip("A setting of this layer; a change rebuilds the model with fresh weights.");
    }
  }
  return changed;
}

}  // namespace

void draw_model_panel(App& app) {
  int& selected = app.ui.model.selected;
  int& add_type = app.ui.model.add_type;
  Session& s = app.session;

  const bool locked = s.state() == Session::State::kTraining;
  ImGui::BeginDisabled(locked);
  ImGui::SetNextItemWidth(12 * ImGui::GetFontSize());
  const bool open =
      ImGui::BeginCombo("Preset", s.preset().empty() ? "(edited)" : s.preset().c_str());
  app.widgets.track("Preset");
  tooltip("A ready-made architecture to start from (fresh weights).");
  if (open) {
    for (const Preset& p : presets()) {
      if (ImGui::Selectable(p.name.c_str(), p.name == s.preset())) {
        s.load_preset(p.name);
        selected = -1;
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.description.c_str());
    }
    ImGui::EndCombo();
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("%zu parameters", s.param_count());

  // The layers: name, output shape per sample, parameters.
  const auto& info = s.layer_info();
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY;
  const float f = ImGui::GetFontSize();
  if (ImGui::BeginTable("layers", 4, flags, ImVec2(0, 14 * f))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, 1.5f * f);
    ImGui::TableSetupColumn("brick");
    ImGui::TableSetupColumn("output", ImGuiTableColumnFlags_WidthFixed, 6.5f * f);
    ImGui::TableSetupColumn("params", ImGuiTableColumnFlags_WidthFixed, 5 * f);
    ImGui::TableHeadersRow();
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(1);
    ImGui::TextDisabled("input");
    ImGui::TableSetColumnIndex(2);
    if (app.train.size()) ImGui::TextDisabled("%s", app.train.x.shape().sample_str().c_str());
    for (int i = 0; i < int(s.layers.size()); ++i) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::Text("%d", i + 1);
      ImGui::TableSetColumnIndex(1);
      const std::string label = describe(s.layers[size_t(i)]);
      if (ImGui::Selectable((label + "##" + std::to_string(i)).c_str(), selected == i,
                            ImGuiSelectableFlags_SpanAllColumns))
        selected = selected == i ? -1 : i;
      tooltip("Select this layer to edit, move or remove it.");
      if (i < int(info.size())) {
        ImGui::TableSetColumnIndex(2);
        ImGui::Text("%s", info[size_t(i)].output.c_str());
        ImGui::TableSetColumnIndex(3);
        ImGui::Text("%zu", info[size_t(i)].params);
      }
    }
    ImGui::EndTable();
  }

  if (!s.arch_error().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
    ImGui::TextWrapped("Invalid model: %s", s.arch_error().c_str());
    ImGui::PopStyleColor();
  }

  // Editing (rebuilds the model, so not while training runs).
  ImGui::BeginDisabled(locked);
  bool changed = false;
  if (selected >= int(s.layers.size())) selected = -1;
  if (selected >= 0) {
    ImGui::Separator();
    ImGui::Text("Layer %d: %s", selected + 1,
                s.layers[size_t(selected)].value("type", "?").c_str());
    changed |= edit_layer(s.layers[size_t(selected)]);
    if (app.widgets.button("Up") && selected > 0) {
      std::swap(s.layers[size_t(selected)], s.layers[size_t(selected - 1)]);
      --selected;
      changed = true;
    }
    tooltip("Move the selected layer one place towards the input.");
    ImGui::SameLine();
    if (app.widgets.button("Down") && selected + 1 < int(s.layers.size())) {
      std::swap(s.layers[size_t(selected)], s.layers[size_t(selected + 1)]);
      ++selected;
      changed = true;
    }
    tooltip("Move the selected layer one place towards the output.");
    ImGui::SameLine();
    if (app.widgets.button("Remove")) {
      s.layers.erase(s.layers.begin() + selected);
      selected = -1;
      changed = true;
    }
    tooltip("Delete the selected layer.");
  }
  ImGui::Separator();
  ImGui::SetNextItemWidth(9 * f);
  ImGui::Combo("##add type", &add_type, kAddable, IM_ARRAYSIZE(kAddable));
  tooltip("The kind of layer Add inserts.");
  ImGui::SameLine();
  if (app.widgets.button(selected >= 0 ? "Add after selected" : "Add at the end")) {
    const int at = selected >= 0 ? selected + 1 : int(s.layers.size());
    s.layers.insert(s.layers.begin() + at, new_layer(kAddable[add_type]));
    selected = at;
    changed = true;
  }
  tooltip("Insert a layer of the kind on the left (rebuilds the model with fresh weights).");
  ImGui::EndDisabled();
  if (changed) {
    s.mark_edited();
    s.rebuild();
  }
  ImGui::TextDisabled(locked ? "Pause training to edit the layers."
                             : "Edits rebuild the model with fresh weights.");
  draw_model_files(app, locked);
}

}  // namespace cnn::app
