#include "app/screen.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/app.h"
#include "app/panels.h"
#include "platform/platform.h"

namespace cnn::app {

namespace {

// Presentation mode's type and lines, relative to the normal ones.
constexpr float kPresentationScale = 1.5f;

constexpr Tab kTabs[] = {Tab::kTraining, Tab::kInside, Tab::kStyle, Tab::kTransfer};

const char* tab_tooltip(Tab tab) {
  switch (tab) {
    case Tab::kTraining:
      return "Progress, loss and accuracy curves, test accuracy and the confusion matrix.";
    case Tab::kInside:
      return "What the network computes: filters, activation maps and saliency for one input.";
    case Tab::kStyle:
      return "Gatys style transfer: repaint a photo in the style of a painting.";
    case Tab::kTransfer:
      return "Reuse a trained network: fine-tuning, and pretrained features vs training from scratch.";
  }
  return "";
}

// A fixed region: placed every frame, never moved, resized, collapsed or
// brought in front of another.
bool begin_region(const char* id, const Rect& r, ImGuiWindowFlags extra = 0) {
  ImGui::SetNextWindowPos(ImVec2(r.x, r.y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(r.w, r.h), ImGuiCond_Always);
  constexpr ImGuiWindowFlags kFixed = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                      ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                      ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoBringToFrontOnFocus;
  return ImGui::Begin(id, nullptr, kFixed | extra);
}

void draw_tab(App& app, Tab tab) {
  switch (tab) {
    case Tab::kTraining:
      draw_training_panel(app);
      break;
    case Tab::kInside:
      draw_inside_panel(app);
      break;
    case Tab::kStyle:
      draw_style_panel(app);
      break;
    case Tab::kTransfer:
      draw_transfer_panel(app);
      break;
  }
}

void draw_main(App& app) {
  ScreenState& ui = app.ui;
  if (!ImGui::BeginTabBar("activities")) return;
  bool drawn = false;
  for (Tab tab : kTabs) {
    const bool wanted = ui.select_pending && tab == ui.tab;
    const bool open = ImGui::BeginTabItem(tab_label(tab), nullptr,
                                          wanted ? ImGuiTabItemFlags_SetSelected : 0);
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ui.tabs[tab_label(tab)] = Rect{a.x, a.y, b.x - a.x, b.y - a.y};
    tooltip(tab_tooltip(tab));
    if (!open) continue;
    // A tab asked for at start (or by a test) becomes visible a frame later.
    if (!ui.select_pending || tab == ui.tab) {
      ui.tab = tab;
      ui.select_pending = false;
      ImGui::BeginChild("##tab");
      draw_tab(app, tab);
      drawn = true;
      ImGui::EndChild();
    }
    ImGui::EndTabItem();
  }
  (void)drawn;
  ImGui::EndTabBar();
}

void draw_status(App& app) {
  ScreenState& ui = app.ui;
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled("%s   %.0f frames/s", training_run_mode(app).c_str(), app.fps);
  const char* label = ui.presentation ? "Normal size" : "Presentation";
  const float w = ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - w));
  if (app.widgets.button(label)) ui.presentation = !ui.presentation;
  tooltip(ui.presentation ? "Back to the normal type size."
                          : "Larger type and thicker lines, for a projector (or ?present).");
}

}  // namespace

const char* tab_label(Tab tab) {
  switch (tab) {
    case Tab::kTraining:
      return "Training";
    case Tab::kInside:
      return "Inside the network";
    case Tab::kStyle:
      return "Style transfer";
    case Tab::kTransfer:
      return "Transfer learning";
  }
  return "?";
}

void draw_screen(App& app, const std::function<void(const char*)>& timed) {
  ScreenState& ui = app.ui;
  // Takes effect from the next frame (the font is rebuilt before it starts).
  platform::set_ui_scale(ui.presentation ? kPresentationScale : 1.f);
  app.widgets.begin_frame();
  // Files dropped or picked arrive between frames, whichever panel is shown.
  app.handle_received_files();

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ui.viewport_w = viewport->WorkSize.x;
  ui.viewport_h = viewport->WorkSize.y;
  ui.font_pixels = ImGui::GetFontSize();
  const std::vector<std::string>& messages = app.options.messages;
  ui.layout = compute_layout(viewport->WorkPos.x, viewport->WorkPos.y, viewport->WorkSize.x,
                             viewport->WorkSize.y, ui.font_pixels, int(messages.size()));
  const ScreenLayout& l = ui.layout;

  if (l.messages.h > 0) {
    begin_region("##messages", l.messages);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
    for (const std::string& m : messages) ImGui::TextWrapped("%s", m.c_str());
    ImGui::PopStyleColor();
    ImGui::End();
  }

  begin_region("##controls", l.controls, ImGuiWindowFlags_NoScrollbar);
  draw_training_controls(app);
  ImGui::End();
  timed("controls");

  begin_region("##settings", l.settings);
  if (ImGui::CollapsingHeader("Data", ImGuiTreeNodeFlags_DefaultOpen)) draw_data_panel(app);
  timed("data");
  if (ImGui::CollapsingHeader("Model", ImGuiTreeNodeFlags_DefaultOpen)) draw_model_panel(app);
  timed("model");
  if (ImGui::CollapsingHeader("Training settings", ImGuiTreeNodeFlags_DefaultOpen))
    draw_training_settings(app);
  ImGui::End();
  timed("settings");

  if (l.pad.h > 0) {
    begin_region("##pad", l.pad);
    draw_pad_panel(app);
    ImGui::End();
  }
  timed("pad");

  begin_region("##main", l.main);
  draw_main(app);  // after the pad: "Inside the network" may show the pad's digit
  ImGui::End();
  timed(tab_label(ui.tab));

  begin_region("##status", l.status, ImGuiWindowFlags_NoScrollbar);
  draw_status(app);
  ImGui::End();
}

nlohmann::json screen_state_json(const App& app) {
  using nlohmann::json;
  const ScreenState& ui = app.ui;
  auto array = [](const Rect& r) { return json::array({r.x, r.y, r.w, r.h}); };
  json regions = json::object();
  for (const auto& [name, r] : ui.layout.regions()) regions[name] = array(r);
  json tabs = json::object();
  for (const auto& [label, r] : ui.tabs) tabs[label] = array(r);
  return {{"viewport", {ui.viewport_w, ui.viewport_h}},
          {"font_pixels", ui.font_pixels},
          {"device_pixel_ratio", platform::device_pixel_ratio()},
          {"presentation", ui.presentation},
          {"tab", tab_label(ui.tab)},
          {"pad_beside", ui.layout.pad_beside},
          {"regions", regions},
          {"tabs", tabs},
          {"messages", app.options.messages}};
}

}  // namespace cnn::app
