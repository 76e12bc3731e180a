#include "data/augment.h"

#include <algorithm>

#include "core/error.h"

namespace cnn {

namespace {

// img (C,H,W): out(c,h,w) = in(c, h-dy, w-dx), zero where that falls outside.
// The content moves down by dy and right by dx.
void shift(float* img, int c, int h, int w, int dy, int dx, std::vector<float>& scratch) {
  if (dy == 0 && dx == 0) return;
  const size_t plane = size_t(h) * w;
  scratch.assign(img, img + plane * c);
  std::fill(img, img + plane * c, 0.f);
  const int y0 = std::max(0, dy), y1 = std::min(h, h + dy);
  const int x0 = std::max(0, dx), x1 = std::min(w, w + dx);
  for (int ch = 0; ch < c; ++ch)
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x)
        img[ch * plane + size_t(y) * w + x] = scratch[ch * plane + size_t(y - dy) * w + (x - dx)];
}

void mirror(float* img, int c, int h, int w) {
  for (int row = 0; row < c * h; ++row)
    std::reverse(img + size_t(row) * w, img + size_t(row + 1) * w);
}

// A uniform integer in [-r, r].
int symmetric(Rng& rng, int r) {
  return int(rng.below(uint32_t(2 * r + 1))) - r;
}

}  // namespace

bool Augmentation::any() const {
  return hflip || crop_pad > 0 || translate > 0 || brightness > 0.f || contrast > 0.f;
}

void Augmentation::apply(Tensor& batch, Rng& rng) const {
  if (!any()) return;
  const Shape& s = batch.shape();
  std::vector<float> scratch;
  for (int n = 0; n < s.n; ++n) {
    float* img = batch.sample(n);
    if (hflip && rng.uniform() < 0.5f) mirror(img, s.c, s.h, s.w);
    if (crop_pad > 0) {
      // Cropping the window at (oy, ox) of the padded image shifts the
      // content by (pad - oy, pad - ox).
      int oy = int(rng.below(uint32_t(2 * crop_pad + 1)));
      int ox = int(rng.below(uint32_t(2 * crop_pad + 1)));
      shift(img, s.c, s.h, s.w, crop_pad - oy, crop_pad - ox, scratch);
    }
    if (translate > 0) {
      int dy = symmetric(rng, translate);
      int dx = symmetric(rng, translate);
      shift(img, s.c, s.h, s.w, dy, dx, scratch);
    }
    const size_t size = s.sample_size();
    if (contrast > 0.f) {
      float factor = rng.uniform(1.f - contrast, 1.f + contrast);
      double sum = 0;
      for (size_t i = 0; i < size; ++i) sum += img[i];
      float mean = float(sum / double(size));
      for (size_t i = 0; i < size; ++i) img[i] = mean + (img[i] - mean) * factor;
    }
    if (brightness > 0.f) {
      float offset = rng.uniform(-brightness, brightness);
      for (size_t i = 0; i < size; ++i) img[i] += offset;
    }
  }
}

nlohmann::json Augmentation::to_json() const {
  return {{"hflip", hflip},
          {"crop_pad", crop_pad},
          {"translate", translate},
          {"brightness", brightness},
          {"contrast", contrast}};
}

Augmentation Augmentation::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw Error("augmentation: expected an object, got " + j.dump());
  Augmentation a;
  for (const auto& item : j.items()) {
    // Named copies: clang 14 (Emscripten) cannot capture structured bindings.
    const std::string key = item.key();
    const nlohmann::json& value = item.value();
    auto bad = [&](const std::string& want) {
      return Error("augmentation: \"" + key + "\" must be " + want + ", got " + value.dump());
    };
    if (key == "hflip") {
      if (!value.is_boolean()) throw bad("true or false");
      a.hflip = value.get<bool>();
    } else if (key == "crop_pad" || key == "translate") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 1000)
        throw bad("an integer in 0..1000");
      (key == "crop_pad" ? a.crop_pad : a.translate) = value.get<int>();
    } else if (key == "brightness" || key == "contrast") {
      float limit = key == "contrast" ? 1.f : 1e6f;
      if (!value.is_number() || !(value.get<float>() >= 0.f) || value.get<float>() > limit)
        throw bad(key == "contrast" ? "a number in 0..1" : "a number >= 0");
      (key == "contrast" ? a.contrast : a.brightness) = value.get<float>();
    } else {
      throw Error("augmentation: unknown key \"" + key +
                  "\" (known: hflip, crop_pad, translate, brightness, contrast)");
    }
  }
  return a;
}

}  // namespace cnn
