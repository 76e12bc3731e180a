// Images in and out, for style transfer and the playground.
//
// Reading decodes PNG, JPEG, BMP, GIF (first frame), TGA, PSD, PNM with
// stb_image into a (1,3,H,W) tensor of RGB in [0, 1] (grey images are
// repeated over the three channels, alpha is dropped), optionally resized so
// that its longer side has a given length. Writing encodes (1,3,H,W) or
// (1,1,H,W) tensors as 8-bit PNG (stb_image_write), clamping to [0, 1].
//
// Every problem throws cnn::FileError naming the file: not an image, corrupt
// or truncated data, and images above max_pixels, which are refused from
// their header, before anything is decoded (a 50-megapixel photo takes 150 MB
// as bytes and 600 MB as floats, too much for the browser).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace cnn {

struct ImageLoadOptions {
  int long_side = 0;                // resize so that max(H, W) = long_side; 0 keeps the size
  int64_t max_pixels = 50'000'000;  // W * H above this is refused
};

Tensor load_image(const std::string& path, const ImageLoadOptions& options = {});
// The same from bytes already in memory (a browser upload); `name` is used in
// error messages.
Tensor decode_image(const std::vector<uint8_t>& bytes, const std::string& name,
                    const ImageLoadOptions& options = {});

// Resamples every channel plane of x (N,C,H,W) to (N,C,h,w) with a bilinear
// (triangle) filter sampled at pixel centres. When shrinking, the triangle is
// widened by the scale factor (as PIL's BILINEAR does), so every input pixel
// contributes and fine detail does not alias; when enlarging it is ordinary
// bilinear interpolation with edge pixels repeated.
void resize_bilinear(const Tensor& x, int h, int w, Tensor& y);
// The output size that gives the longer side `long_side` at the same aspect
// ratio (each side at least 1).
void long_side_size(int h, int w, int long_side, int& out_h, int& out_w);

// image (1,3,H,W) or (1,1,H,W).
std::vector<uint8_t> encode_png(const Tensor& image);
void save_png(const std::string& path, const Tensor& image);

}  // namespace cnn
