#include "app/augment_preview.h"

#include <imgui.h>

#include <algorithm>

#include "model/trainer.h"
#include "platform/platform.h"

namespace cnn::app {

std::vector<uint8_t> samples_to_rgba(Tensor samples, const Preprocessing& p, int columns) {
  p.unapply(samples);
  const Shape s = samples.shape();
  const int rows = (s.n + columns - 1) / columns;
  const int atlas_w = columns * s.w;
  std::vector<uint8_t> rgba(size_t(atlas_w) * rows * s.h * 4, 0);
  const size_t plane = s.plane();
  for (int k = 0; k < s.n; ++k) {
    const float* img = samples.sample(k);
    const int ox = (k % columns) * s.w, oy = (k / columns) * s.h;
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x) {
        uint8_t* px = &rgba[(size_t(oy + y) * atlas_w + ox + x) * 4];
        for (int c = 0; c < 3; ++c) {
          const int ch = s.c == 3 ? c : 0;
          px[c] = uint8_t(img[size_t(ch) * plane + size_t(y) * s.w + x]);
        }
        px[3] = 255;
      }
  }
  return rgba;
}

void AugmentPreview::rebuild(const Dataset& train, const Preprocessing& p, const Augmentation& a) {
  const Shape s = train.x.shape();
  const int n = std::min(kSamples, s.n);
  // Samples spread over the set; each row: the sample, then its variants.
  std::vector<int> order;
  for (int i = 0; i < n; ++i)
    for (int v = 0; v <= kVariants; ++v) order.push_back(int(int64_t(i) * s.n / n));
  Tensor batch;
  gather_samples(train.x, order, 0, int(order.size()), batch);
  Tensor variants;
  std::vector<int> idx;
  for (int k = 0; k < int(order.size()); ++k)
    if (k % (kVariants + 1) != 0) idx.push_back(k);
  gather_samples(batch, idx, 0, int(idx.size()), variants);
  a.apply(variants, rng_);
  for (int j = 0; j < int(idx.size()); ++j)
    std::copy(variants.sample(j), variants.sample(j) + s.sample_size(),
              batch.sample(idx[size_t(j)]));
  const std::vector<uint8_t> rgba = samples_to_rgba(std::move(batch), p, kVariants + 1);
  const int w = (kVariants + 1) * s.w, h = n * s.h;
  if (texture_ && (w != texture_w_ || h != texture_h_)) {
    platform::delete_texture(texture_);
    texture_ = nullptr;
  }
  if (!texture_)
    texture_ = platform::create_texture(w, h, rgba.data());
  else
    platform::update_texture(texture_, w, h, rgba.data());
  texture_w_ = w, texture_h_ = h;
}

void AugmentPreview::draw(const Dataset& train, const Preprocessing& p, const Augmentation& a,
                          float width) {
  if (train.size() == 0) return;
  const double now = platform::now_seconds();
  const nlohmann::json settings = a.to_json();
  if (!texture_ || data_ != train.x.data() || settings != settings_ ||
      now - built_at_ > kRefreshSeconds) {
    rebuild(train, p, a);
    data_ = train.x.data();
    settings_ = settings;
    built_at_ = now;
  }
  const float scale = width / float(texture_w_);
  ImGui::Image(texture_, ImVec2(width, float(texture_h_) * scale));
}

}  // namespace cnn::app
