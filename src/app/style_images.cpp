// The "Style transfer" panel's images: the sample pictures, uploads and
// dropped files, files opened by path on the desktop, their thumbnails.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "app/app.h"
#include "app/panel_ui.h"
#include "app/style_panel.h"
#include "app/style_state.h"
#include "style/image.h"

#ifndef CNN_DEFAULT_IMAGES_DIR
#define CNN_DEFAULT_IMAGES_DIR "assets/images"
#endif

namespace cnn::app {
namespace style_ui {

const char* const kContentImages[6] = {"coffee.png", "chelsea.png", "astronaut.png",
                                       "horses.jpg", "eagle.jpg",   "dog.jpg"};
const char* const kStyleImages[5] = {"starry_night.jpg", "scream.jpg", "brick.png", "grass.png",
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

void image_picker(App& app, State& p, Slot& s, const char* label, const char* const* files,
                  int count, int& choice, bool style_slot) {
  ImGui::PushID(label);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(label);
  ImGui::SetNextItemWidth(em(13));
  if (ImGui::Combo("##sample", &choice, files, count)) load_sample(s, files[choice]);
  app.widgets.track(std::string("style-") + label + "-sample");
  tooltip("One of the sample pictures that come with BrickLab.");
  if (platform::has_file_picker()) {
    if (ImGui::Button("Upload...")) {
      p.upload_to_style = style_slot;
      platform::pick_files("image/*");
    }
    app.widgets.track(std::string("style-") + label + "-upload");
    tooltip("Pick an image file from your computer for this slot (PNG, JPEG, ...).");
  } else {
    // Desktop: a path (or drop the file on the window).
    char* path = style_slot ? p.style_path : p.content_path;
    ImGui::SetNextItemWidth(em(9));
    ImGui::InputTextWithHint("##path", "image path", path, sizeof p.style_path);
    tooltip("The path of an image file on this computer; then press Open.");
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
    tooltip("Load the image at the path on the left.");
  }
  if (s.dirty) {
    s.thumb.set(to_rgba(resized(s.image, kThumbSide)));
    s.dirty = false;
  }
  s.thumb.draw(em(10), em(10));
  if (s.loading) ImGui::TextDisabled("loading...");
  if (!s.name.empty() && s.image.size() > 0)
    ImGui::TextDisabled("%s, %dx%d", s.name.c_str(), s.image.shape().w, s.image.shape().h);
  if (!s.notice.empty()) ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "%s", s.notice.c_str());
  if (!s.error.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + em(20));
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", s.error.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndGroup();
  ImGui::PopID();
}

}  // namespace style_ui

using namespace style_ui;

bool is_image_file(const std::string& name) {
  const std::string n = lower(name);
  for (const char* ext :
       {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".pnm", ".ppm", ".pgm", ".psd"})
    if (n.size() >= std::strlen(ext) &&
        n.compare(n.size() - std::strlen(ext), std::string::npos, ext) == 0)
      return true;
  return false;
}

void StylePanel::receive_image(platform::DroppedFile file) {
  State& p = *state_;
  Slot& s = p.upload_to_style ? p.style : p.content;
  ++s.generation;  // a sample still loading is superseded
  set_image(s, file.bytes, base_name(file.name));
  // Two images in a row (content first): the next goes to the style.
  if (s.error.empty()) p.upload_to_style = !p.upload_to_style;
}

bool StylePanel::wants_weights() const {
  return state_->wants_weights;
}

void StylePanel::receive_weights(platform::DroppedFile file) {
  State& p = *state_;
  p.wants_weights = false;
  p.vgg_error.clear();
  if (file.bytes.size() < 8) {
    p.vgg_error = base_name(file.name) + ": too short for a safetensors file";
    return;
  }
  p.vgg_bytes = std::move(file.bytes);
  p.vgg_name = base_name(file.name);
}

}  // namespace cnn::app
