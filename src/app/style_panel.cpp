// The "Style transfer" panel: Gatys et al.'s optimisation with the embedded
// ResNet50 (app.backbone) or a VGG file the user brings, on sample or
// uploaded images, with a live preview, loss curves and the feature maps and
// Gram matrix of one chosen layer. The iterations run in a StyleJob
// (style_job.h): on its own worker thread where threads can run, else in
// time slices of each frame.
#include "app/style_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>

#include <unistd.h>

#include "app/app.h"
#include "app/panels.h"
#include "core/error.h"
#include "data/file.h"
#include "lab/style_job.h"
#include "pretrained/features.h"
#include "pretrained/vgg.h"
#include "style/image.h"

#ifndef CNN_DEFAULT_IMAGES_DIR
#define CNN_DEFAULT_IMAGES_DIR "assets/images"
#endif

namespace cnn::app {
using lab::BackboneLoader, lab::StyleJob, lab::Rgba, lab::StyleDefaults, lab::StyleJobSpec,
    lab::style_defaults, lab::style_state_name, lab::parse_layer_weights;

namespace {

constexpr int kMaxSide = 1024;  // uploads above this are scaled down, with a notice
constexpr int kThumbSide = 128;
const char* const kContentImages[] = {"coffee.png", "chelsea.png", "astronaut.png",
                                      "horses.jpg", "eagle.jpg",   "dog.jpg"};
const char* const kStyleImages[] = {"starry_night.jpg", "scream.jpg", "brick.png", "grass.png",
                                    "gravel.png"};

bool web() {
  return std::string(platform::name()) == "web";
}

std::string images_dir() {
  return web() ? "assets/images/" : std::string(CNN_DEFAULT_IMAGES_DIR) + "/";
}

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// (1,3,H,W) in [0, 1] -> RGBA8.
Rgba to_rgba(const Tensor& image) {
  Rgba out;
  const Shape s = image.shape();
  out.width = s.w, out.height = s.h;
  out.pixels.resize(size_t(s.w) * s.h * 4);
  const size_t plane = size_t(s.h) * s.w;
  for (size_t i = 0; i < plane; ++i) {
    for (int c = 0; c < 3; ++c) {
      const float v = image.data()[size_t(std::min(c, s.c - 1)) * plane + i];
      out.pixels[i * 4 + size_t(c)] = uint8_t(std::clamp(v, 0.f, 1.f) * 255.f + 0.5f);
    }
    out.pixels[i * 4 + 3] = 255;
  }
  return out;
}

Tensor resized(const Tensor& image, int long_side) {
  const Shape s = image.shape();
  if (std::max(s.h, s.w) == long_side) return image;
  int h = 0, w = 0;
  long_side_size(s.h, s.w, long_side, h, w);
  Tensor out;
  resize_bilinear(image, h, w, out);
  return out;
}

// A texture that follows an RGBA picture (created on first use, resized by re-creating).
struct Texture {
  void* id = nullptr;
  int width = 0, height = 0;
  void set(const Rgba& p) {
    if (p.width <= 0 || p.height <= 0) return;
    if (id && (p.width != width || p.height != height)) {
      platform::delete_texture(id);
      id = nullptr;
    }
    if (!id)
      id = platform::create_texture(p.width, p.height, p.pixels.data());
    else
      platform::update_texture(id, p.width, p.height, p.pixels.data());
    width = p.width, height = p.height;
  }
  // Draws at most max_w x max_h, keeping the aspect ratio.
  void draw(float max_w, float max_h) const {
    if (!id) return;
    const float scale = std::min(max_w / float(width), max_h / float(height));
    ImGui::Image(id, ImVec2(float(width) * scale, float(height) * scale));
  }
};

struct Slot {
  std::string name;  // file name
  Tensor image;      // (1,3,H,W) RGB in [0, 1], long side <= kMaxSide
  std::string notice, error;
  bool loading = false, dirty = false;
  int generation = 0;
  Texture thumb;
};

struct Panel {
  bool expand_at_start = false, expanded = false;
  int demo = 0;  // iterations of the start-up demo (0: none)
  bool demo_started = false;
  bool demo_blocked = false;  // the network or an image could not be loaded: nothing to wait for
  Slot content, style;
  int content_choice = 0, style_choice = 0;
  bool upload_to_style = false;  // where the next dropped / picked image goes
  // Backbone: the embedded ResNet50, or a VGG file.
  bool use_vgg = false;
  bool smoothing = true;
  char vgg_path[512] = "vgg19.safetensors";
  std::vector<uint8_t> vgg_bytes;  // web: the uploaded file
  std::string vgg_name, vgg_error;
  bool wants_weights = false;
  // Settings.
  char content_layers[256] = "", content_weights[128] = "";
  char style_layers[512] = "", style_weights[256] = "";
  // Adam step 0.01: at the panel's small sizes (96-192 px) the smoothed ResNet
  // style loss jumps by 2-5x from step to step at 0.02 (chelsea/scream, 96 px:
  // 35816 -> 5864 after 30 steps, with spikes to 53592) and falls steadily at
  // 0.01 (35816 -> 1332); `cnn style --lr` shows it.
  float content_weight = 1.f, style_weight = 1e3f, tv_weight = 1e-3f, lr = 0.01f;
  int optimizer = 0;  // 0 Adam, 1 L-BFGS
  int init = 0;       // 0 content, 1 noise
  int iterations = 100;
  int size = 0;                 // long side; set on the first frame
  bool run_when_ready = false;  // Run was pressed while the backbone loads
  int view_choice = 0;          // index into the chosen layers
  char out_path[512] = "stylised.png";
  char content_path[512] = "", style_path[512] = "";
  std::string error, saved;
  // What the job showed last.
  long shown_version = -1;
  Texture result, maps, gram;
  std::vector<float> plot_content, plot_style, plot_tv;
  Tensor result_image;
  Rect open_rect;  // the title bar's collapse arrow (screen pixels)
};

Panel& panel() {
  static Panel p;
  return p;
}

// The playground's (lab::Playground::style_job), given by the first call.
StyleJob& job(StyleJob* playground_job = nullptr) {
  static StyleJob& j = *playground_job;
  return j;
}

void set_defaults(Panel& p) {
  const StyleDefaults d = style_defaults(!p.use_vgg);
  std::snprintf(p.content_layers, sizeof p.content_layers, "%s", d.content_layers.c_str());
  std::snprintf(p.style_layers, sizeof p.style_layers, "%s", d.style_layers.c_str());
  p.content_weights[0] = p.style_weights[0] = '\0';
  p.style_weight = d.style_weight;
  p.smoothing = d.smoothing > 0;
  p.view_choice = 0;
}

// Decodes an image into a slot; a bad file leaves the previous image and
// names the file in slot.error.
void set_image(Slot& s, const std::vector<uint8_t>& bytes, const std::string& name) {
  s.loading = false;
  try {
    Tensor t = decode_image(bytes, name);
    const Shape sh = t.shape();
    s.notice.clear();
    if (std::max(sh.h, sh.w) > kMaxSide) {
      t = resized(t, kMaxSide);
      s.notice = name + " is " + std::to_string(sh.w) + "x" + std::to_string(sh.h) +
                 ": scaled down to " + std::to_string(t.shape().w) + "x" +
                 std::to_string(t.shape().h);
    }
    s.image = std::move(t);
    s.name = name;
    s.error.clear();
    s.dirty = true;
    ++s.generation;
  } catch (const std::exception& e) {
    s.error = e.what();
  }
}

void load_sample(Slot& s, const std::string& file) {
  s.loading = true;
  s.error.clear();
  const int generation = ++s.generation;
  platform::LoadCallbacks c;
  c.done = [&s, file, generation](std::vector<uint8_t> bytes) {
    if (generation == s.generation) set_image(s, bytes, file);
  };
  c.failed = [&s, file, generation](const std::string& message) {
    if (generation != s.generation) return;
    s.loading = false;
    s.error = message.find(file) == std::string::npos ? file + ": " + message : message;
  };
  platform::load_bytes(images_dir() + file, std::move(c));
}

// The feature network for a run, made on the UI thread where that is quick
// (a copy of the embedded ResNet50) or deferred to the job (reading a VGG file).
std::function<std::unique_ptr<Model>(int, int)> feature_maker(App& app, Panel& p,
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

// Starts a run from the panel's settings; problems go to p.error.
void start_run(App& app, Panel& p, bool run) {
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
    job().start(std::move(spec), platform::can_start_threads(), run);
  } catch (const std::exception& e) {
    p.error = e.what();
  }
}

// Copies what the job published since the last frame into textures and plots.
void refresh_from_job(Panel& p) {
  Rgba image, maps, gram;
  bool changed = false;
  job().read([&](const StyleJob::Shared& s) {
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
      p.plot_content.push_back(std::log10(std::max(l.content, 1e-12f)));
      p.plot_style.push_back(std::log10(std::max(l.style, 1e-12f)));
      p.plot_tv.push_back(std::log10(std::max(l.tv, 1e-12f)));
    }
  });
  if (!changed) return;
  p.result.set(image);
  p.maps.set(maps);
  p.gram.set(gram);
}

void image_picker(App& app, Panel& p, Slot& s, const char* label, const char* const* files,
                  int count, int& choice, bool style_slot) {
  ImGui::PushID(label);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(label);
  ImGui::SetNextItemWidth(170);
  if (ImGui::Combo("##sample", &choice, files, count)) load_sample(s, files[choice]);
  app.widgets.track(std::string("style-") + label + "-sample");
  if (platform::has_file_picker()) {
    if (ImGui::Button("Upload...")) {
      p.upload_to_style = style_slot;
      platform::pick_files("image/*");
    }
    app.widgets.track(std::string("style-") + label + "-upload");
  } else {
    // Desktop: a path (or drop the file on the window).
    char* path = style_slot ? p.style_path : p.content_path;
    ImGui::SetNextItemWidth(120);
    ImGui::InputTextWithHint("##path", "image path", path, sizeof p.style_path);
    ImGui::SameLine();
    if (ImGui::Button("Open") && path[0] != '\0') {
      const std::string file = path;
      s.loading = true;
      const int generation = ++s.generation;
      platform::LoadCallbacks c;
      c.done = [&s, file, generation](std::vector<uint8_t> bytes) {
        if (generation == s.generation) set_image(s, bytes, base_name(file));
      };
      c.failed = [&s, generation](const std::string& message) {
        if (generation != s.generation) return;
        s.loading = false;
        s.error = message;
      };
      platform::open_file(file, "", std::move(c));
    }
  }
  if (s.dirty) {
    s.thumb.set(to_rgba(resized(s.image, kThumbSide)));
    s.dirty = false;
  }
  s.thumb.draw(kThumbSide, kThumbSide);
  if (s.loading) ImGui::TextDisabled("loading...");
  if (!s.name.empty() && s.image.size() > 0)
    ImGui::TextDisabled("%s, %dx%d", s.name.c_str(), s.image.shape().w, s.image.shape().h);
  if (!s.notice.empty()) ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "%s", s.notice.c_str());
  if (!s.error.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 260);
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", s.error.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndGroup();
  ImGui::PopID();
}

void draw_backbone(App& app, Panel& p) {
  int which = p.use_vgg ? 1 : 0;
  ImGui::TextUnformatted("Network:");
  ImGui::SameLine();
  bool changed = ImGui::RadioButton("ResNet50 (embedded)", &which, 0);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("VGG19/VGG16 file", &which, 1);
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
        break;
      default:
        ImGui::ProgressBar(app.backbone.progress(), ImVec2(200, 0));
        ImGui::SameLine();
        ImGui::TextDisabled("%s", app.backbone.message().c_str());
    }
  } else {
    if (platform::has_file_picker()) {
      if (ImGui::Button("Upload VGG weights (.safetensors)...")) {
        p.wants_weights = true;
        platform::pick_files(".safetensors");
      }
      ImGui::SameLine();
      ImGui::TextDisabled("%s", p.vgg_name.empty() ? "none yet" : p.vgg_name.c_str());
    } else {
      ImGui::SetNextItemWidth(360);
      ImGui::InputText("VGG file", p.vgg_path, sizeof p.vgg_path);
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

void draw_settings(App& app, Panel& p, bool busy) {
  (void)app;
  ImGui::BeginDisabled(busy);
  ImGui::SetNextItemWidth(250);
  ImGui::InputText("content layers", p.content_layers, sizeof p.content_layers);
  ImGui::SetNextItemWidth(250);
  ImGui::InputText("their weights##content", p.content_weights, sizeof p.content_weights);
  ImGui::SetNextItemWidth(250);
  ImGui::InputText("style layers", p.style_layers, sizeof p.style_layers);
  ImGui::SetNextItemWidth(250);
  ImGui::InputText("their weights##style", p.style_weights, sizeof p.style_weights);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("comma-separated; empty: equal, summing to 1");
  ImGui::SetNextItemWidth(90);
  ImGui::InputFloat("content weight", &p.content_weight, 0, 0, "%.3g");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  ImGui::InputFloat("style weight", &p.style_weight, 0, 0, "%.3g");
  ImGui::SetNextItemWidth(90);
  ImGui::InputFloat("TV weight", &p.tv_weight, 0, 0, "%.3g");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  ImGui::InputFloat("Adam step", &p.lr, 0, 0, "%.3g");
  ImGui::SetNextItemWidth(90);
  ImGui::Combo("optimizer", &p.optimizer, "Adam\0L-BFGS\0");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  ImGui::Combo("start from", &p.init, "content\0noise\0");
  ImGui::SetNextItemWidth(90);
  ImGui::InputInt("iterations", &p.iterations);
  p.iterations = std::clamp(p.iterations, 1, 5000);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  ImGui::InputInt("size (px)", &p.size, 16);
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

void draw_controls(App& app, Panel& p, const StyleJob::State state) {
  using S = StyleJob::State;
  const bool busy = state == S::kRunning || state == S::kPreparing;
  const bool backbone_ok = p.use_vgg || app.backbone.state() == BackboneLoader::State::kReady;
  const bool images_ok = p.content.image.size() > 0 && p.style.image.size() > 0;
  if (state == S::kPaused || state == S::kFinished) {
    if (app.widgets.button(state == S::kFinished ? "More iterations##style" : "Resume##style"))
      job().run();
    app.widgets.track("style-resume");
    ImGui::SameLine();
  }
  if (app.widgets.button("Run##style", !busy && images_ok && backbone_ok)) start_run(app, p, true);
  app.widgets.track("style-run");
  ImGui::SameLine();
  if (app.widgets.button("Pause##style", busy)) job().pause();
  app.widgets.track("style-pause");
  ImGui::SameLine();
  if (app.widgets.button("Reset##style", state != S::kIdle)) {
    job().reset();
    p.shown_version = -1;
    p.result_image = Tensor{};
    p.plot_content.clear(), p.plot_style.clear(), p.plot_tv.clear();
  }
  app.widgets.track("style-reset");
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
  if (!web()) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(200);
    ImGui::InputText("##out", p.out_path, sizeof p.out_path);
  }
  if (!p.saved.empty()) ImGui::TextDisabled("%s", p.saved.c_str());
}

void draw_progress(Panel& p) {
  StyleJob::State state = StyleJob::State::kIdle;
  int steps = 0, iterations = 0;
  double sps = 0;
  std::string error, view_layer, view_shape;
  job().read([&](const StyleJob::Shared& s) {
    state = s.state, steps = s.steps, iterations = s.iterations, sps = s.seconds_per_step;
    error = s.error, view_layer = s.view_layer, view_shape = s.view_shape;
  });
  ImGui::Text("%s: %d / %d iterations", style_state_name(state), steps, iterations);
  ImGui::TextDisabled("%s, %.0f ms per iteration",
                      job().threaded() ? "worker thread" : "time slices of the UI thread",
                      sps * 1000);
  if (!error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", error.c_str());
    ImGui::PopTextWrapPos();
  }
  if (state == StyleJob::State::kIdle) return;
  ImGui::TextUnformatted("Result (live)");
  p.result.draw(340, 300);
  ImGui::TextUnformatted("Losses (log10)");
  const ImVec2 plot(280, 50);
  auto curve = [&](const char* name, const std::vector<float>& v) {
    char overlay[64] = "";
    if (!v.empty())
      std::snprintf(overlay, sizeof overlay, "%s %.3g", name, std::pow(10.0, v.back()));
    ImGui::PlotLines(name, v.data(), int(v.size()), 0, overlay, FLT_MAX, FLT_MAX, plot);
  };
  curve("content", p.plot_content);
  curve("style", p.plot_style);
  curve("TV", p.plot_tv);
  if (!view_layer.empty() && p.maps.id) {
    ImGui::TextWrapped("%s (%s): feature maps (first 16 channels) and Gram matrix",
                       view_layer.c_str(), view_shape.c_str());
    p.maps.draw(170, 170);
    ImGui::SameLine();
    p.gram.draw(170, 170);
  }
}

}  // namespace

void set_style_job(StyleJob& playground_job) {
  job(&playground_job);
}

bool is_image_file(const std::string& name) {
  const std::string n = lower(name);
  for (const char* ext :
       {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".pnm", ".ppm", ".pgm", ".psd"})
    if (n.size() >= std::strlen(ext) &&
        n.compare(n.size() - std::strlen(ext), std::string::npos, ext) == 0)
      return true;
  return false;
}

void style_receive_image(App& app, platform::DroppedFile file) {
  (void)app;
  Panel& p = panel();
  Slot& s = p.upload_to_style ? p.style : p.content;
  ++s.generation;  // a sample still loading is superseded
  set_image(s, file.bytes, base_name(file.name));
  p.expand_at_start = true;  // show where the image went (expanded, in front)
  // Two images in a row (content first): the next goes to the style.
  if (s.error.empty()) p.upload_to_style = !p.upload_to_style;
}

bool style_wants_weights() {
  return panel().wants_weights;
}

void style_receive_weights(App& app, platform::DroppedFile file) {
  (void)app;
  Panel& p = panel();
  p.wants_weights = false;
  p.vgg_error.clear();
  if (file.bytes.size() < 8) {
    p.vgg_error = base_name(file.name) + ": too short for a safetensors file";
    return;
  }
  p.vgg_bytes = std::move(file.bytes);
  p.vgg_name = base_name(file.name);
}

void open_style_panel_at_start(int demo_iterations) {
  panel().expand_at_start = true;
  panel().demo = demo_iterations;
}

bool style_demo_done() {
  const Panel& p = panel();
  if (p.demo > 0 && p.demo_blocked) return true;
  if (p.demo <= 0 || !p.demo_started) return false;
  bool done = false;
  job().read([&](const StyleJob::Shared& s) {
    done = s.state == StyleJob::State::kFailed ||
           (s.steps >= p.demo && s.state != StyleJob::State::kRunning);
  });
  return done && p.shown_version >= 0;
}

void draw_style_panel(App& app) {
  Panel& p = panel();
  if (p.size == 0) {
    // Small where iterations share the UI thread, 256 px (the default) elsewhere.
    p.size = platform::can_start_threads() ? 256 : 96;
    set_defaults(p);
    load_sample(p.content, kContentImages[0]);
    load_sample(p.style, kStyleImages[0]);
  }
  job().update(std::max(0.005, app.options.slice_ms / 1000.0));
  refresh_from_job(p);

  place_window(430, 30, 840, 820);
  ImGui::SetNextWindowBgAlpha(1.f);
  if (p.expand_at_start) {
    ImGui::SetNextWindowCollapsed(false);
    ImGui::SetNextWindowFocus();
    p.expand_at_start = false;
  } else {
    ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
  }
  const bool open = ImGui::Begin("Style transfer");
  {
    // The title bar's collapse arrow, for tests that open the panel like a user.
    const ImVec2 pos = ImGui::GetWindowPos();
    const ImGuiStyle& st = ImGui::GetStyle();
    const float f = ImGui::GetFontSize();
    p.open_rect = {pos.x + st.FramePadding.x, pos.y + st.FramePadding.y, f, f};
  }
  p.expanded = open;
  if (!open) {
    ImGui::End();
    return;
  }
  // The one-click default, or the start-up demo.
  const StyleJob::State state = job().state();
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
  ImGui::TableSetupColumn("settings", ImGuiTableColumnFlags_WidthFixed, 440);
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
  image_picker(app, p, p.content, "Content", kContentImages, IM_ARRAYSIZE(kContentImages),
               p.content_choice, false);
  ImGui::SameLine(0, 30);
  image_picker(app, p, p.style, "Style", kStyleImages, IM_ARRAYSIZE(kStyleImages), p.style_choice,
               true);
  ImGui::TextDisabled(platform::has_file_picker()
                          ? "Or drop PNG/JPEG files on the page (first content, then style)."
                          : "Or drop PNG/JPEG files on the window (first content, then style).");
  ImGui::Separator();
  draw_backbone(app, p);
  const bool busy = state == StyleJob::State::kRunning || state == StyleJob::State::kPreparing;
  if (ImGui::CollapsingHeader("Layers, weights, optimiser", ImGuiTreeNodeFlags_DefaultOpen))
    draw_settings(app, p, busy);
  // The layer whose feature maps and Gram matrix are shown (a style layer).
  {
    std::vector<std::string> names;
    try {
      for (const auto& l : parse_layer_weights(p.style_layers, "", "style layers"))
        names.push_back(l.layer);
    } catch (const Error&) {
    }
    if (!names.empty()) {
      p.view_choice = std::clamp(p.view_choice, 0, int(names.size()) - 1);
      ImGui::SetNextItemWidth(200);
      ImGui::BeginDisabled(busy);
      if (ImGui::BeginCombo("layer shown", names[size_t(p.view_choice)].c_str())) {
        for (int i = 0; i < int(names.size()); ++i)
          if (ImGui::Selectable(names[size_t(i)].c_str(), i == p.view_choice)) p.view_choice = i;
        ImGui::EndCombo();
      }
      ImGui::EndDisabled();
    }
  }
  draw_controls(app, p, state);
  if (!p.error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", p.error.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::TableNextColumn();
  draw_progress(p);
  ImGui::EndTable();
  ImGui::End();
}

nlohmann::json style_panel_state(const App& app) {
  using nlohmann::json;
  const Panel& p = panel();
  json j;
  j["open"] = p.expanded;
  j["open_rect"] = {p.open_rect.x, p.open_rect.y, p.open_rect.w, p.open_rect.h};
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
  j["mode"] = job().threaded() ? "worker" : "time slices";
  job().read([&](const StyleJob::Shared& s) {
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
                 {"maps", {s.feature_maps.width, s.feature_maps.height}},
                 {"gram", s.gram_channels}};
  });
  j["shown_version"] = p.shown_version;
  return j;
}

}  // namespace cnn::app
