// The "Style transfer" panel: Gatys et al.'s optimisation with the embedded
// ResNet50 (app.backbone) or a VGG file the user brings, on sample or
// uploaded images (style_images.cpp), with its settings (style_settings.cpp),
// a live preview, loss curves and the feature maps and Gram matrix of one
// chosen layer. The iterations run in a StyleJob (style_job.h): on its own
// worker thread where threads can run, else in time slices of each frame.
#include "app/style_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/app.h"
#include "app/colorbar.h"
#include "app/panel_ui.h"
#include "app/panels.h"
#include "app/plot.h"
#include "app/style_state.h"
#include "lab/style_job.h"
#include "style/image.h"

namespace cnn::app {
using lab::BackboneLoader, lab::style_state_name;

using namespace style_ui;

namespace {

// Copies what the job published since the last frame into textures and plots.
void refresh_from_job(State& p) {
  Rgba image;
  MapPicture maps, gram;
  bool changed = false;
  p.job.read([&](const StyleJob::Shared& s) {
    if (s.version == p.shown_version) return;
    changed = true;
    p.shown_version = s.version;
    if (s.image.size() > 0) {
      p.result_image = s.image;
      image = to_rgba(s.image);
    }
    maps = s.feature_maps;
    gram = s.gram;
    p.plot_content.clear(), p.plot_style.clear(), p.plot_tv.clear();
    for (const StyleLosses& l : s.history) {
      p.plot_content.push_back(l.content);
      p.plot_style.push_back(l.style);
      p.plot_tv.push_back(l.tv);
    }
  });
  if (!changed) return;
  p.result.set(image);
  // Through the same viridis shader as the colour bars beside them.
  if (!p.gpu) p.gpu = new MapCanvases;
  if (!maps.tiles.empty()) p.gpu->maps.draw(maps.image, maps.tiles, platform::Colormap::kViridis);
  if (!gram.tiles.empty()) p.gpu->gram.draw(gram.image, gram.tiles, platform::Colormap::kViridis);
}

// A canvas scaled to fit side x side.
void show_fitted(const platform::ColormapCanvas& c, float side) {
  if (!c.texture() || c.width() <= 0 || c.height() <= 0) return;
  const float scale = side / float(std::max(c.width(), c.height()));
  ImGui::Image(c.texture(), ImVec2(float(c.width()) * scale, float(c.height()) * scale));
}

void draw_controls(App& app, State& p, const StyleJob::State state) {
  using S = StyleJob::State;
  const bool busy = state == S::kRunning || state == S::kPreparing;
  const bool backbone_ok = p.use_vgg || app.backbone.state() == BackboneLoader::State::kReady;
  const bool images_ok = p.content.image.size() > 0 && p.style.image.size() > 0;
  if (state == S::kPaused || state == S::kFinished) {
    if (app.widgets.button(state == S::kFinished ? "More iterations##style" : "Resume##style"))
      p.job.run();
    app.widgets.track("style-resume");
    tooltip("Continue the run from where it stopped.");
    ImGui::SameLine();
  }
  if (app.widgets.button("Run##style", !busy && images_ok && backbone_ok)) start_run(app, p, true);
  app.widgets.track("style-run");
  tooltip("Start style transfer with these images and settings.");
  ImGui::SameLine();
  if (app.widgets.button("Pause##style", busy)) p.job.pause();
  app.widgets.track("style-pause");
  tooltip("Stop after the current iteration; Resume continues.");
  ImGui::SameLine();
  if (app.widgets.button("Reset##style", state != S::kIdle)) {
    p.job.reset();
    p.shown_version = -1;
    p.result_image = Tensor{};
    p.plot_content.clear(), p.plot_style.clear(), p.plot_tv.clear();
  }
  app.widgets.track("style-reset");
  tooltip("Discard the run and its result.");
  ImGui::SameLine();
  const bool have_result = p.result_image.size() > 0 && state != S::kIdle;
  if (app.widgets.button("Download PNG##style", have_result)) {
    try {
      const std::string path = web() ? "stylised.png" : std::string(p.out_path);
      platform::save_file(path, encode_png(p.result_image));
      p.saved = web() ? "offered stylised.png as a download" : "saved " + path;
    } catch (const std::exception& e) {
      p.saved = e.what();
    }
  }
  app.widgets.track("style-download");
  tooltip("Save the current result as a PNG file.");
  if (!web()) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em(15));
    ImGui::InputText("##out", p.out_path, sizeof p.out_path);
    tooltip("Where Download PNG saves the result.");
  }
  if (!p.saved.empty()) ImGui::TextDisabled("%s", p.saved.c_str());
}

void draw_progress(State& p) {
  StyleJob::State state = StyleJob::State::kIdle;
  int steps = 0, iterations = 0;
  double sps = 0;
  std::string error, view_layer, view_shape;
  p.job.read([&](const StyleJob::Shared& s) {
    state = s.state, steps = s.steps, iterations = s.iterations, sps = s.seconds_per_step;
    error = s.error, view_layer = s.view_layer, view_shape = s.view_shape;
  });
  ImGui::Text("%s: %d / %d iterations", style_state_name(state), steps, iterations);
  ImGui::TextDisabled("%s, %.0f ms per iteration",
                      p.job.threaded() ? "worker thread" : "time slices of the UI thread",
                      sps * 1000);
  if (!error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", error.c_str());
    ImGui::PopTextWrapPos();
  }
  if (state == StyleJob::State::kIdle) return;
  ImGui::TextUnformatted("Result (live)");
  p.result.draw(std::max(em(10), ImGui::GetContentRegionAvail().x), em(24));
  // The three losses, weighted as in the total, on one log axis: they differ
  // by orders of magnitude and fall by several.
  std::vector<plot::Series> losses = {{"content loss", p.plot_content, plot::palette(0)},
                                      {"style loss", p.plot_style, plot::palette(1)},
                                      {"TV loss", p.plot_tv, plot::palette(2)}};
  plot::draw("##style-losses", losses,
             {.x_label = "iteration",
              .y_label = "weighted loss (log scale)",
              .log_y = true,
              .height_lines = 10,
              .integer_x = true});
  if (!view_layer.empty() && p.gpu && p.gpu->maps.texture()) {
    ImGui::TextWrapped("%s (%s): feature maps (first 16 channels) and Gram matrix",
                       view_layer.c_str(), view_shape.c_str());
    // Two pictures and their bars side by side in the room there is.
    const float side = std::clamp(
        (ImGui::GetContentRegionAvail().x - 2 * color_bar_width()) / 2 - em(1.5f), em(4), em(12));
    // Both pictures use viridis: each feature map scaled to its own range;
    // the Gram matrix as sqrt(|G| / max |G|), so weak correlations show.
    show_fitted(p.gpu->maps, side);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "The result's features in this layer, one map per channel, each scaled "
          "to its own range.");
    ImGui::SameLine();
    color_bar(platform::Colormap::kViridis, 0.f, 1.f, side, "per map");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Each map from its own minimum (0) to its own maximum (1).");
    ImGui::SameLine();
    show_fitted(p.gpu->gram, side);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "Channel i x channel j: how strongly two channels fire together. Style "
          "transfer matches these to the style image's.");
    ImGui::SameLine();
    color_bar(platform::Colormap::kViridis, 0.f, 1.f, side, "sqrt(|G|/max)");
  }
}

}  // namespace

StylePanel::StylePanel(StyleJob& job) : state_(std::make_unique<State>(job)) {}
StylePanel::~StylePanel() = default;

void StylePanel::open_at_start(int demo_iterations) {
  state_->demo = demo_iterations;
}

bool StylePanel::demo_done() const {
  const State& p = *state_;
  if (p.demo > 0 && p.demo_blocked) return true;
  if (p.demo <= 0 || !p.demo_started) return false;
  bool done = false;
  p.job.read([&](const StyleJob::Shared& s) {
    done = s.state == StyleJob::State::kFailed ||
           (s.steps >= p.demo && s.state != StyleJob::State::kRunning);
  });
  return done && p.shown_version >= 0;
}

void StylePanel::draw(App& app) {
  State& p = *state_;
  if (p.size == 0) {
    // Small where iterations share the UI thread, 256 px (the default) elsewhere.
    p.size = platform::can_start_threads() ? 256 : 96;
    set_defaults(p);
    load_sample(p.content, kContentImages[0]);
    load_sample(p.style, kStyleImages[0]);
  }
  refresh_from_job(p);

  // The one-click default, or the start-up demo.
  const StyleJob::State state = p.job.state();
  if (p.demo > 0 && !p.demo_started && app.backbone.state() == BackboneLoader::State::kReady &&
      p.content.image.size() > 0 && p.style.image.size() > 0 && !p.content.loading &&
      !p.style.loading) {
    p.iterations = p.demo;
    p.demo_started = true;
    start_run(app, p, true);
  }
  if (p.demo > 0 && !p.demo_started &&
      (app.backbone.state() == BackboneLoader::State::kFailed || !p.content.error.empty() ||
       !p.style.error.empty()))
    p.demo_blocked = true;
  // Not while a sample is still loading: the slots then hold the previous
  // images, and the one-click run would stylise those. A sample that failed
  // to load cancels it (its message is shown).
  if (p.run_when_ready && !p.content.loading && !p.style.loading &&
      (!p.content.error.empty() || !p.style.error.empty()))
    p.run_when_ready = false;
  if (p.run_when_ready && app.backbone.state() == BackboneLoader::State::kReady &&
      p.content.image.size() > 0 && p.style.image.size() > 0 && !p.content.loading &&
      !p.style.loading) {
    p.run_when_ready = false;
    start_run(app, p, true);
  }

  ImGui::BeginTable("##style-columns", 2, ImGuiTableFlags_Resizable);
  ImGui::TableSetupColumn("settings", ImGuiTableColumnFlags_WidthFixed, em(34));
  ImGui::TableSetupColumn("result", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableNextColumn();
  ImGui::TextWrapped(
      "Gatys et al.: the pixels of an image are optimised so that its features in a pretrained "
      "network match the content image's and the Gram matrices of its features match the style "
      "image's.");
  if (app.widgets.button(
          "One click: coffee in the style of The Starry Night##style",
          state != StyleJob::State::kRunning && state != StyleJob::State::kPreparing)) {
    p.content_choice = 0, p.style_choice = 0;
    if (p.content.name != kContentImages[0]) load_sample(p.content, kContentImages[0]);
    if (p.style.name != kStyleImages[0]) load_sample(p.style, kStyleImages[0]);
    if (p.use_vgg) {
      p.use_vgg = false;
      set_defaults(p);
    }
    p.run_when_ready = true;
    app.backbone.request();
  }
  app.widgets.track("style-one-click");
  tooltip("Load the two sample images and run with the default settings.");
  image_picker(app, p, p.content, "Content", kContentImages, IM_ARRAYSIZE(kContentImages),
               p.content_choice, false);
  ImGui::SameLine(0, em(2));
  image_picker(app, p, p.style, "Style", kStyleImages, IM_ARRAYSIZE(kStyleImages), p.style_choice,
               true);
  ImGui::TextDisabled(platform::has_file_picker()
                          ? "Or drop PNG/JPEG files on the page (first content, then style)."
                          : "Or drop PNG/JPEG files on the window (first content, then style).");
  ImGui::Separator();
  draw_backbone(app, p);
  const bool busy = state == StyleJob::State::kRunning || state == StyleJob::State::kPreparing;
  const bool settings =
      ImGui::CollapsingHeader("Layers, weights, optimiser", ImGuiTreeNodeFlags_DefaultOpen);
  tooltip("Show or hide the losses' layers and weights and the optimiser's settings.");
  if (settings) draw_settings(p, busy);
  draw_view_layer(p, busy);
  draw_controls(app, p, state);
  if (!p.error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", p.error.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::TableNextColumn();
  draw_progress(p);
  ImGui::EndTable();
}

nlohmann::json StylePanel::to_json(const App& app) const {
  using nlohmann::json;
  const State& p = *state_;
  json j;
  auto slot = [](const Slot& s) {
    json o = {{"name", s.name}, {"loading", s.loading}, {"notice", s.notice}, {"error", s.error}};
    o["size"] =
        s.image.size() > 0 ? json::array({s.image.shape().w, s.image.shape().h}) : json::array();
    return o;
  };
  j["content"] = slot(p.content);
  j["style"] = slot(p.style);
  j["backbone"] = p.use_vgg ? "vgg" : "resnet50";
  const char* bs[] = {"idle", "loading", "ready", "failed"};
  j["backbone_state"] = bs[int(app.backbone.state())];
  j["backbone_progress"] = app.backbone.progress();
  j["backbone_message"] = app.backbone.message();
  j["error"] = p.error;
  j["saved"] = p.saved;
  j["size"] = p.size;
  j["mode"] = p.job.threaded() ? "worker" : "time slices";
  p.job.read([&](const StyleJob::Shared& s) {
    j["state"] = style_state_name(s.state);
    j["steps"] = s.steps;
    j["iterations"] = s.iterations;
    j["job_error"] = s.error;
    j["version"] = s.version;
    j["seconds_per_step"] = s.seconds_per_step;
    j["image"] =
        s.image.size() > 0 ? json::array({s.image.shape().w, s.image.shape().h}) : json::array();
    json losses = json::array();
    for (size_t i : {size_t(0), s.history.size() - 1}) {
      if (s.history.empty()) break;
      const StyleLosses& l = s.history[i];
      losses.push_back(
          {{"content", l.content}, {"style", l.style}, {"tv", l.tv}, {"total", l.total}});
    }
    j["losses"] = losses;
    // The last few style losses: Adam on pixels spikes for an iteration now and
    // then, so a test judges the trend by their median, not by one reading.
    json recent = json::array();
    for (size_t i = s.history.size() > 5 ? s.history.size() - 5 : 0; i < s.history.size(); ++i)
      recent.push_back(s.history[i].style);
    j["recent_style"] = recent;
    j["view"] = {{"layer", s.view_layer},
                 {"shape", s.view_shape},
                 {"maps", {s.feature_maps.image.width, s.feature_maps.image.height}},
                 {"gram", s.gram_channels}};
  });
  j["shown_version"] = p.shown_version;
  return j;
}

void draw_style_panel(App& app) {
  app.style_panel.draw(app);
}

}  // namespace cnn::app
