// What the "Style transfer" panel keeps between frames (StylePanel owns
// one) and the functions its three files share: style_panel.cpp (the run:
// controls, progress, test hook), style_images.cpp (content and style
// images: samples, uploads, files) and style_settings.cpp (network, layers,
// weights, optimiser; starting a run).
#pragma once
#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "app/widgets.h"
#include "core/tensor.h"
#include "lab/style_job.h"
#include "platform/colormap_renderer.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::MapPicture, lab::Rgba, lab::StyleJob, lab::StyleJobSpec;

class App;

namespace style_ui {

constexpr int kMaxSide = 1024;   // uploads above this are scaled down, with a notice
constexpr int kThumbSide = 128;  // the thumbnails' pixels (drawn at 10 em)
extern const char* const kContentImages[6];
extern const char* const kStyleImages[5];

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

struct MapCanvases {
  platform::ColormapCanvas maps, gram;
};

struct Slot {
  std::string name;  // file name
  Tensor image;      // (1,3,H,W) RGB in [0, 1], long side <= kMaxSide
  std::string notice, error;
  bool loading = false, dirty = false;
  int generation = 0;
  Texture thumb;
};

struct State {
  explicit State(StyleJob& job) : job(job) {}
  StyleJob& job;  // the playground's (lab::Playground::style_job)
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
  Texture result;
  // The feature maps and Gram matrix, drawn by the colour-map shaders. GL
  // objects: made on the UI thread, never destroyed (they live as long as
  // the window).
  MapCanvases* gpu = nullptr;
  std::vector<float> plot_content, plot_style, plot_tv;
  Tensor result_image;
};

// style_images.cpp
bool web();
std::string base_name(const std::string& path);
std::string lower(std::string s);
Rgba to_rgba(const Tensor& image);  // (1,3,H,W) in [0, 1] -> RGBA8
Tensor resized(const Tensor& image, int long_side);
void set_image(Slot& s, const std::vector<uint8_t>& bytes, const std::string& name);
void load_sample(Slot& s, const std::string& file);
void image_picker(App& app, State& p, Slot& s, const char* label, const char* const* files,
                  int count, int& choice, bool style_slot);

// style_settings.cpp
void set_defaults(State& p);
void start_run(App& app, State& p, bool run);  // problems go to p.error
void draw_backbone(App& app, State& p);
void draw_settings(State& p, bool busy);
void draw_view_layer(State& p, bool busy);  // the layer whose maps and Gram matrix are shown

}  // namespace style_ui
}  // namespace cnn::app
