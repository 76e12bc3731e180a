// The "Style transfer" panel's settings: the network (the embedded
// ResNet50 or a VGG file), the layers and weights of the losses, the
// optimiser and size; and turning them into a run of the StyleJob.
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include <unistd.h>

#include "app/app.h"
#include "app/panel_ui.h"
#include "app/style_state.h"
#include "core/error.h"
#include "core/file.h"
#include "pretrained/features.h"
#include "pretrained/vgg.h"

namespace cnn::app::style_ui {

namespace {

// The feature network for a run, made on the UI thread where that is quick
// (a copy of the embedded ResNet50) or deferred to the job (reading a VGG file).
std::function<std::unique_ptr<Model>(int, int)> feature_maker(App& app, State& p,
                                                              const std::string& last_layer,
                                                              int height, int width) {
  if (!p.use_vgg) {
    auto model = std::make_shared<std::unique_ptr<Model>>(app.backbone.copy(height, width));
    return [model](int, int) { return std::move(*model); };
  }
  std::string path = p.vgg_path;
  std::shared_ptr<std::vector<uint8_t>> bytes;
  if (!p.vgg_bytes.empty()) bytes = std::make_shared<std::vector<uint8_t>>(p.vgg_bytes);
  const std::string name = bytes ? p.vgg_name : path;
  const int depth = lower(name).find("vgg16") != std::string::npos ? 16 : 19;
  return [bytes, path, name, depth, last_layer](int h, int w) {
    std::string file = path;
    std::string temp;
    if (bytes) {  // an upload: through a temporary file (the loader reads paths)
      temp = (std::filesystem::temp_directory_path() /
              ("bricklab-vgg-" + std::to_string(getpid()) + ".safetensors"))
                 .string();
      write_file_atomic(temp, *bytes);
      file = temp;
    }
    try {
      Backbone b = load_backbone(file, last_layer, h, w, depth);
      if (!temp.empty()) std::filesystem::remove(temp);
      return std::make_unique<Model>(std::move(b.model));
    } catch (const Error& e) {
      if (!temp.empty()) std::filesystem::remove(temp);
      std::string m = e.what();
      if (!temp.empty() && m.rfind(temp, 0) == 0) m = name + m.substr(temp.size());
      throw Error(m);
    }
  };
}

}  // namespace

void set_defaults(State& p) {
  const StyleDefaults d = style_defaults(p.use_vgg ? StyleBackbone::kVgg : StyleBackbone::kResNet50Stage3);
  std::snprintf(p.content_layers, sizeof p.content_layers, "%s", d.content_layers.c_str());
  std::snprintf(p.style_layers, sizeof p.style_layers, "%s", d.style_layers.c_str());
  p.content_weights[0] = p.style_weights[0] = '\0';
  p.style_weight = d.style_weight;
  p.smoothing = d.smoothing > 0;
  p.view_choice = 0;
}

// Starts a run from the panel's settings; problems go to p.error.
void start_run(App& app, State& p, bool run) {
  p.error.clear();
  p.saved.clear();
  try {
    if (p.content.image.size() == 0) throw Error("choose a content image first");
    if (p.style.image.size() == 0) throw Error("choose a style image first");
    if (p.use_vgg && p.vgg_bytes.empty() && !file_exists(p.vgg_path))
      throw FileError(p.vgg_path, "not found (a VGG16/VGG19 .safetensors file)");
    if (!p.use_vgg && !app.backbone.model()) throw Error("the ResNet50 is not loaded yet");
    StyleTransferOptions o;
    o.content_layers = parse_layer_weights(p.content_layers, p.content_weights, "content layers");
    o.style_layers = parse_layer_weights(p.style_layers, p.style_weights, "style layers");
    o.content_weight = p.content_weight;
    o.style_weight = p.style_weight;
    o.tv_weight = p.tv_weight;
    o.optimizer = p.optimizer == 1 ? StyleTransferOptions::Optimizer::kLbfgs
                                   : StyleTransferOptions::Optimizer::kAdam;
    o.lr = p.lr;
    o.init =
        p.init == 1 ? StyleTransferOptions::Init::kNoise : StyleTransferOptions::Init::kContent;
    if (p.use_vgg) {
      o.mean = kImageNetMean;
      o.std = kImageNetStd;
      o.smoothing = p.smoothing ? 1.f : 0.f;
    } else {
      // Caffe preprocessing (resnet50.h), as load_backbone sets it for "resnet50".
      o.mean = {103.939f / 255.f, 116.779f / 255.f, 123.68f / 255.f};
      o.std = {1.f / 255.f, 1.f / 255.f, 1.f / 255.f};
      o.reverse_channels = true;
      o.smoothing = p.smoothing ? 1.f : 0.f;
    }
    std::vector<std::string> names;
    for (const auto& l : o.content_layers) names.push_back(l.layer);
    for (const auto& l : o.style_layers) names.push_back(l.layer);
    if (!p.use_vgg) {
      const std::vector<std::string> known = BackboneLoader::layer_names();
      for (const std::string& n : names)
        if (std::find(known.begin(), known.end(), n) == known.end())
          throw Error("the embedded ResNet50 (stages 1-3) has no layer \"" + n +
                      "\"; try conv1_relu, pool1_pool, conv2_block{1..3}_out, "
                      "conv3_block{1..4}_out");
    }
    StyleJobSpec spec;
    spec.content = resized(p.content.image, p.size);
    spec.style = resized(p.style.image, p.size);
    const Shape cs = spec.content.shape();
    if (std::min(cs.h, cs.w) < 32)
      throw Error("the content image is " + std::to_string(cs.w) + "x" + std::to_string(cs.h) +
                  " at this size; the network needs at least 32 px on each side");
    const std::string last =
        p.use_vgg ? deepest_layer(lower(p.use_vgg && !p.vgg_bytes.empty() ? p.vgg_name
                                                                          : std::string(p.vgg_path))
                                              .find("vgg16") != std::string::npos
                                      ? "vgg16"
                                      : "vgg19",
                                  names)
                  : "conv3_block4_out";
    spec.make_features = feature_maker(app, p, last, cs.h, cs.w);
    spec.options = o;
    spec.iterations = p.iterations;
    // The view shows the first style layer by default.
    std::vector<std::string> views;
    for (const auto& l : o.style_layers) views.push_back(l.layer);
    spec.view_layer = views[size_t(std::clamp(p.view_choice, 0, int(views.size()) - 1))];
    p.shown_version = -1;
    p.plot_content.clear(), p.plot_style.clear(), p.plot_tv.clear();
    p.job.start(std::move(spec), platform::can_start_threads(), run);
  } catch (const std::exception& e) {
    p.error = e.what();
  }
}

void draw_backbone(App& app, State& p) {
  int which = p.use_vgg ? 1 : 0;
  ImGui::TextUnformatted("Network:");
  ImGui::SameLine();
  bool changed = ImGui::RadioButton("ResNet50 (embedded)", &which, 0);
  tooltip("Use the ResNet50 built into BrickLab (stages 1-3, ImageNet weights).");
  ImGui::SameLine();
  changed |= ImGui::RadioButton("VGG19/VGG16 file", &which, 1);
  tooltip(
      "Use a VGG16 or VGG19 .safetensors file you bring: the classic network for style "
      "transfer.");
  if (changed && (which == 1) != p.use_vgg) {
    p.use_vgg = which == 1;
    set_defaults(p);
  }
  if (!p.use_vgg) {
    // Loads on first sight; after a failure only on Retry.
    if (app.backbone.state() == BackboneLoader::State::kIdle) app.backbone.request();
    switch (app.backbone.state()) {
      case BackboneLoader::State::kReady:
        ImGui::TextDisabled("%s", app.backbone.message().c_str());
        break;
      case BackboneLoader::State::kFailed:
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", app.backbone.message().c_str());
        ImGui::PopTextWrapPos();
        if (ImGui::Button("Retry##backbone")) app.backbone.request();
        tooltip("Try loading the embedded ResNet50 again.");
        break;
      default:
        ImGui::ProgressBar(app.backbone.progress(), ImVec2(em(15), 0));
        ImGui::SameLine();
        ImGui::TextDisabled("%s", app.backbone.message().c_str());
    }
  } else {
    if (platform::has_file_picker()) {
      if (ImGui::Button("Upload VGG weights (.safetensors)...")) {
        p.wants_weights = true;
        platform::pick_files(".safetensors");
      }
      tooltip("Pick a VGG16/VGG19 .safetensors file from your computer.");
      ImGui::SameLine();
      ImGui::TextDisabled("%s", p.vgg_name.empty() ? "none yet" : p.vgg_name.c_str());
    } else {
      ImGui::SetNextItemWidth(em(28));
      ImGui::InputText("VGG file", p.vgg_path, sizeof p.vgg_path);
      tooltip("The path of a VGG16/VGG19 .safetensors file on this computer.");
    }
    ImGui::TextDisabled(
        "torchvision / timm names (e.g. vgg19.tv_in1k); no VGG ships with BrickLab");
    if (!p.vgg_error.empty())
      ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", p.vgg_error.c_str());
  }
  ImGui::Checkbox("Smooth activations (Wang et al. 2021)", &p.smoothing);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "A softmax over space before the Gram matrices: ResNet features stylise poorly without "
        "it. Turn it off to compare.");
}

void draw_settings(State& p, bool busy) {
  ImGui::BeginDisabled(busy);
  ImGui::SetNextItemWidth(em(19));
  ImGui::InputText("content layers", p.content_layers, sizeof p.content_layers);
  tooltip("Comma-separated layer names whose features must match the content image's.");
  ImGui::SetNextItemWidth(em(19));
  ImGui::InputText("their weights##content", p.content_weights, sizeof p.content_weights);
  tooltip("A weight per content layer, comma-separated; empty: equal, summing to 1.");
  ImGui::SetNextItemWidth(em(19));
  ImGui::InputText("style layers", p.style_layers, sizeof p.style_layers);
  tooltip("Comma-separated layer names whose Gram matrices must match the style image's.");
  ImGui::SetNextItemWidth(em(19));
  ImGui::InputText("their weights##style", p.style_weights, sizeof p.style_weights);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("comma-separated; empty: equal, summing to 1");
  ImGui::SetNextItemWidth(em(7));
  ImGui::InputFloat("content weight", &p.content_weight, 0, 0, "%.3g");
  tooltip("How much keeping the content image's features counts in the total loss.");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(7));
  ImGui::InputFloat("style weight", &p.style_weight, 0, 0, "%.3g");
  tooltip("How much matching the style image's Gram matrices counts in the total loss.");
  ImGui::SetNextItemWidth(em(7));
  ImGui::InputFloat("TV weight", &p.tv_weight, 0, 0, "%.3g");
  tooltip("Total variation: penalises differences between neighbouring pixels, against noise.");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(7));
  ImGui::InputFloat("Adam step", &p.lr, 0, 0, "%.3g");
  tooltip("Adam's learning rate on the pixels: larger changes faster but may jump about.");
  ImGui::SetNextItemWidth(em(7));
  ImGui::Combo("optimizer", &p.optimizer, "Adam\0L-BFGS\0");
  tooltip("Adam: steady small steps. L-BFGS: fewer, larger steps (the original paper's choice).");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(7));
  ImGui::Combo("start from", &p.init, "content\0noise\0");
  tooltip("The picture the optimisation starts from: the content image, or random noise.");
  ImGui::SetNextItemWidth(em(7));
  ImGui::InputInt("iterations", &p.iterations);
  tooltip("How many optimisation steps a run makes.");
  p.iterations = std::clamp(p.iterations, 1, 5000);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(7));
  ImGui::InputInt("size (px)", &p.size, 16);
  tooltip("The long side of the images, in pixels: larger is sharper and slower.");
  p.size = std::clamp(p.size, 32, web() ? 512 : 1024);
  ImGui::EndDisabled();
  p.content_weight = std::max(0.f, p.content_weight);
  p.style_weight = std::max(0.f, p.style_weight);
  p.tv_weight = std::max(0.f, p.tv_weight);
  p.lr = std::clamp(p.lr, 1e-5f, 1.f);
  if (!platform::can_start_threads())
    ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1),
                       "Single-threaded page: each iteration runs between two frames, so the "
                       "default size is small (96 px) to keep the page responsive.");
}

// The layer whose feature maps and Gram matrix are shown (a style layer).
void draw_view_layer(State& p, bool busy) {
  std::vector<std::string> names;
  try {
    for (const auto& l : parse_layer_weights(p.style_layers, "", "style layers"))
      names.push_back(l.layer);
  } catch (const Error&) {
  }
  if (!names.empty()) {
    p.view_choice = std::clamp(p.view_choice, 0, int(names.size()) - 1);
    ImGui::SetNextItemWidth(em(15));
    ImGui::BeginDisabled(busy);
    if (ImGui::BeginCombo("layer shown", names[size_t(p.view_choice)].c_str())) {
      for (int i = 0; i < int(names.size()); ++i)
        if (ImGui::Selectable(names[size_t(i)].c_str(), i == p.view_choice)) p.view_choice = i;
      ImGui::EndCombo();
    }
    tooltip("The style layer whose feature maps and Gram matrix are shown on the right.");
    ImGui::EndDisabled();
  }
}

}  // namespace cnn::app::style_ui
