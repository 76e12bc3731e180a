#include "style/image.h"

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>

#include "core/error.h"
#include "core/file.h"

namespace cnn {

namespace {

// ---- resampling -------------------------------------------------------------

// For each output index along one axis: the first input index and the
// normalised weights of the input pixels it reads.
struct Taps {
  std::vector<int> first, count;
  std::vector<float> weights;  // count[i] weights for output i, from offset[i]
  std::vector<size_t> offset;
};

// Triangle filter of radius `support` input pixels around the output pixel's
// centre mapped into input coordinates; weights are renormalised where the
// window is cut off by the border (which repeats the edge when enlarging).
Taps make_taps(int in, int out) {
  Taps t;
  const double scale = double(in) / out;
  const double support = std::max(scale, 1.0);
  for (int i = 0; i < out; ++i) {
    const double centre = (i + 0.5) * scale;
    const int lo = std::max(0, int(std::floor(centre - support)));
    const int hi = std::min(in, int(std::ceil(centre + support)));
    t.first.push_back(lo);
    t.offset.push_back(t.weights.size());
    double sum = 0;
    std::vector<double> w;
    for (int j = lo; j < hi; ++j) {
      const double d = std::abs(j + 0.5 - centre) / support;
      w.push_back(std::max(0.0, 1.0 - d));
      sum += w.back();
    }
    for (double v : w) t.weights.push_back(float(v / sum));
    t.count.push_back(int(w.size()));
  }
  return t;
}

// One channel plane: rows first into tmp (h x ow), then columns into dst.
// src elements are `sx` apart along a row and `sy` apart between rows, so
// both a float plane and one channel of interleaved 8-bit pixels fit.
template <class T>
void resize_plane(const T* src, ptrdiff_t sx, ptrdiff_t sy, int h, const Taps& tw, const Taps& th,
                  float scale, float* dst, std::vector<float>& tmp) {
  const int ow = int(tw.first.size()), oh = int(th.first.size());
  tmp.resize(size_t(h) * ow);
  for (int y = 0; y < h; ++y) {
    const T* row = src + y * sy;
    for (int x = 0; x < ow; ++x) {
      const float* w = &tw.weights[tw.offset[x]];
      const T* s = row + tw.first[x] * sx;
      float acc = 0.f;
      for (int k = 0; k < tw.count[x]; ++k) acc += w[k] * float(s[k * sx]);
      tmp[size_t(y) * ow + x] = acc;
    }
  }
  for (int y = 0; y < oh; ++y) {
    const float* w = &th.weights[th.offset[y]];
    float* out = dst + size_t(y) * ow;
    std::fill(out, out + ow, 0.f);
    for (int k = 0; k < th.count[y]; ++k) {
      const float* in = &tmp[size_t(th.first[y] + k) * ow];
      for (int x = 0; x < ow; ++x) out[x] += w[k] * in[x];
    }
    for (int x = 0; x < ow; ++x) out[x] *= scale;
  }
}

// ---- decoding ---------------------------------------------------------------

bool is_jpeg(const std::vector<uint8_t>& b) {
  return b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;
}

// stb_image decodes a JPEG cut off in its compressed data without complaint
// (it pads with zeros), so check the structure: after the first start-of-scan
// marker (FF DA) an end-of-image marker (FF D9) must follow. In compressed
// data FF is always followed by 00 or a restart marker, so FF D9 there can
// only be the real end.
bool jpeg_complete(const std::vector<uint8_t>& b) {
  size_t pos = 2;
  while (pos + 4 <= b.size()) {
    if (b[pos] != 0xFF) return false;
    const uint8_t marker = b[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      pos += 2;  // markers without a length
      continue;
    }
    const size_t length = size_t(b[pos + 2]) << 8 | b[pos + 3];
    if (marker == 0xDA) {
      for (size_t i = pos + 2 + length; i + 1 < b.size(); ++i)
        if (b[i] == 0xFF && b[i + 1] == 0xD9) return true;
      return false;
    }
    pos += 2 + length;
  }
  return false;
}

struct StbFree {
  void operator()(stbi_uc* p) const { stbi_image_free(p); }
};

}  // namespace

void long_side_size(int h, int w, int long_side, int& out_h, int& out_w) {
  if (long_side < 1) throw Error("image long side must be >= 1, got " + std::to_string(long_side));
  const double k = double(long_side) / std::max(h, w);
  out_h = std::max(1, int(std::lround(h * k)));
  out_w = std::max(1, int(std::lround(w * k)));
}

void resize_bilinear(const Tensor& x, int h, int w, Tensor& y) {
  const Shape s = x.shape();
  if (h < 1 || w < 1) throw Error("resize: target size must be >= 1x1");
  if (s.size() == 0) throw Error("resize: empty image " + s.str());
  const Taps tw = make_taps(s.w, w), th = make_taps(s.h, h);
  y.resize({s.n, s.c, h, w});
  std::vector<float> tmp;
  for (size_t p = 0; p < size_t(s.n) * s.c; ++p)
    resize_plane(x.data() + p * s.plane(), 1, s.w, s.h, tw, th, 1.f, y.data() + p * size_t(h) * w,
                 tmp);
}

Tensor decode_image(const std::vector<uint8_t>& bytes, const std::string& name,
                    const ImageLoadOptions& options) {
  if (bytes.size() > size_t(INT_MAX)) throw FileError(name, "file too large to be an image");
  const int len = int(bytes.size());
  int w = 0, h = 0, comp = 0;
  if (!stbi_info_from_memory(bytes.data(), len, &w, &h, &comp))
    throw FileError(name, std::string("not an image stb_image can read (PNG, JPEG, BMP, GIF, "
                                      "TGA, PSD, PNM): ") +
                              stbi_failure_reason());
  const int64_t pixels = int64_t(w) * h;
  if (pixels > options.max_pixels)
    throw FileError(name, "image is " + std::to_string(w) + "x" + std::to_string(h) + " = " +
                              std::to_string(pixels) + " pixels, more than the " +
                              std::to_string(options.max_pixels) + " allowed");
  if (is_jpeg(bytes) && !jpeg_complete(bytes))
    throw FileError(name, "truncated or corrupt JPEG: no end-of-image marker after the image data");
  std::unique_ptr<stbi_uc, StbFree> pixels_rgb(
      stbi_load_from_memory(bytes.data(), len, &w, &h, &comp, 3));
  if (!pixels_rgb)
    throw FileError(name, std::string("corrupt or truncated image: ") + stbi_failure_reason());

  int oh = h, ow = w;
  if (options.long_side > 0) long_side_size(h, w, options.long_side, oh, ow);
  const Taps tw = make_taps(w, ow), th = make_taps(h, oh);
  Tensor out({1, 3, oh, ow});
  std::vector<float> tmp;
  for (int c = 0; c < 3; ++c)
    resize_plane(pixels_rgb.get() + c, 3, ptrdiff_t(3) * w, h, tw, th, 1.f / 255.f,
                 out.data() + size_t(c) * oh * ow, tmp);
  return out;
}

Tensor load_image(const std::string& path, const ImageLoadOptions& options) {
  return decode_image(load_file_bytes(path), path, options);
}

std::vector<uint8_t> encode_png(const Tensor& image) {
  const Shape s = image.shape();
  if (s.n != 1 || (s.c != 1 && s.c != 3) || s.h < 1 || s.w < 1)
    throw Error("PNG output needs a (1,3,H,W) or (1,1,H,W) image, got " + s.str());
  std::vector<uint8_t> pixels(s.size());
  for (int c = 0; c < s.c; ++c)
    for (size_t p = 0; p < s.plane(); ++p) {
      const float v = image[c * s.plane() + p];
      const float clamped = v > 0.f ? std::min(v, 1.f) : 0.f;  // NaN -> 0
      pixels[p * s.c + c] = uint8_t(std::lround(clamped * 255.f));
    }
  std::vector<uint8_t> png;
  auto append = [](void* ctx, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(ctx);
    const auto* p = static_cast<const uint8_t*>(data);
    out->insert(out->end(), p, p + size);
  };
  if (!stbi_write_png_to_func(append, &png, s.w, s.h, s.c, pixels.data(), s.w * s.c))
    throw Error("PNG encoding failed");
  return png;
}

void save_png(const std::string& path, const Tensor& image) {
  write_file_atomic(path, encode_png(image));
}

}  // namespace cnn
