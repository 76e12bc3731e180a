// Image reading, resizing and PNG writing, and the refusal of bad files.
#include "style/image.h"

#include <gtest/gtest.h>
#include <stb/stb_image_write.h>

#include <cmath>
#include <fstream>

#include "core/error.h"
#include "support/bytes.h"
#include "support/gradcheck.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

using test::Bytes;
using test::write_bytes;

void append(void* ctx, void* data, int size) {
  auto* out = static_cast<Bytes*>(ctx);
  out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

// Interleaved 8-bit pixels of a smooth test pattern.
std::vector<uint8_t> pattern(int w, int h, int comp) {
  std::vector<uint8_t> p(size_t(w) * h * comp);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < comp; ++c)
        p[(size_t(y) * w + x) * comp + c] = uint8_t((x * 255 / w + y * 7 + c * 60) % 256);
  return p;
}

Bytes jpeg(int w, int h) {
  Bytes out;
  const std::vector<uint8_t> px = pattern(w, h, 3);
  EXPECT_TRUE(stbi_write_jpg_to_func(append, &out, w, h, 3, px.data(), 95));
  return out;
}

TEST(Image, PngRoundTripKeepsEightBitValuesAndClamps) {
  const std::string dir = cnn::testing::temp_dir();
  Rng rng(1);
  Tensor t({1, 3, 5, 7});
  for (size_t i = 0; i < t.size(); ++i) t[i] = float(rng.below(256)) / 255.f;
  t[0] = -0.5f, t[1] = 2.f, t[2] = NAN;
  save_png(dir + "/a.png", t);
  const Tensor back = load_image(dir + "/a.png");
  ASSERT_EQ(back.shape(), t.shape());
  EXPECT_EQ(back[0], 0.f);
  EXPECT_EQ(back[1], 1.f);
  EXPECT_EQ(back[2], 0.f);
  for (size_t i = 3; i < t.size(); ++i) ASSERT_NEAR(back[i], t[i], 1e-6) << i;
}

TEST(Image, GreyBecomesThreeEqualChannelsAndAlphaIsDropped) {
  const std::string dir = cnn::testing::temp_dir();
  Tensor grey({1, 1, 4, 3});
  for (size_t i = 0; i < grey.size(); ++i) grey[i] = float(i * 20) / 255.f;
  save_png(dir + "/grey.png", grey);
  const Tensor g = load_image(dir + "/grey.png");
  ASSERT_EQ(g.shape(), (Shape{1, 3, 4, 3}));
  for (int c = 0; c < 3; ++c)
    for (size_t p = 0; p < 12; ++p) ASSERT_NEAR(g[c * 12 + p], grey[p], 1e-6);

  Bytes rgba;
  const std::vector<uint8_t> px = pattern(6, 2, 4);
  ASSERT_TRUE(stbi_write_png_to_func(append, &rgba, 6, 2, 4, px.data(), 6 * 4));
  const Tensor t = decode_image(rgba, "rgba.png");
  ASSERT_EQ(t.shape(), (Shape{1, 3, 2, 6}));
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 12; ++p) ASSERT_NEAR(t[c * 12 + p], px[p * 4 + c] / 255.f, 1e-6);
}

TEST(Image, JpegDecodesCloseToTheEncodedPixels) {
  const Tensor t = decode_image(jpeg(32, 16), "a.jpg");
  ASSERT_EQ(t.shape(), (Shape{1, 3, 16, 32}));
  const std::vector<uint8_t> px = pattern(32, 16, 3);
  double err = 0;
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 16 * 32; ++p) err += std::abs(t[c * 512 + p] - px[p * 3 + c] / 255.f);
  EXPECT_LT(err / t.size(), 0.03);  // quality 95: a few levels of 255 on average
}

TEST(Image, LongSideResizeKeepsTheAspectRatio) {
  Bytes png;
  const std::vector<uint8_t> px = pattern(40, 20, 3);
  ASSERT_TRUE(stbi_write_png_to_func(append, &png, 40, 20, 3, px.data(), 40 * 3));
  EXPECT_EQ(decode_image(png, "a.png", {.long_side = 10}).shape(), (Shape{1, 3, 5, 10}));
  EXPECT_EQ(decode_image(png, "a.png", {.long_side = 80}).shape(), (Shape{1, 3, 40, 80}));
  int h = 0, w = 0;
  long_side_size(300, 400, 100, h, w);
  EXPECT_EQ(h, 75);
  EXPECT_EQ(w, 100);
  long_side_size(1, 1000, 10, h, w);  // never below one pixel
  EXPECT_EQ(h, 1);
  EXPECT_EQ(w, 10);
}

TEST(Resize, EnlargingIsBilinearBetweenPixelCentres) {
  // (0 1) -> 4 pixels whose centres fall at input positions -0.25, 0.25,
  // 0.75, 1.25 (edge pixels repeat outside).
  Tensor x({1, 1, 1, 2});
  x[0] = 0, x[1] = 1;
  Tensor y({1, 1, 1, 4}, NAN);
  resize_bilinear(x, 1, 4, y);
  ASSERT_EQ(y.shape(), (Shape{1, 1, 1, 4}));
  EXPECT_FLOAT_EQ(y[0], 0.f);
  EXPECT_FLOAT_EQ(y[1], 0.25f);
  EXPECT_FLOAT_EQ(y[2], 0.75f);
  EXPECT_FLOAT_EQ(y[3], 1.f);
  // 2-D: (0 1; 2 3) -> 4x4; pixel (1, 2) sits at (0.25, 0.75):
  // 0*(.75*.25) + 1*(.75*.75) + 2*(.25*.25) + 3*(.25*.75) = 1.25.
  Tensor sq({1, 1, 2, 2});
  sq[0] = 0, sq[1] = 1, sq[2] = 2, sq[3] = 3;
  resize_bilinear(sq, 4, 4, y);
  EXPECT_FLOAT_EQ(y.at(0, 0, 1, 2), 1.25f);
  EXPECT_FLOAT_EQ(y.at(0, 0, 3, 3), 3.f);
}

TEST(Resize, ShrinkingAveragesKeepsConstantsAndLinearRamps) {
  Rng rng(2);
  // Constant planes stay constant, each plane on its own.
  Tensor c({2, 2, 9, 13});
  for (int p = 0; p < 4; ++p)
    for (int i = 0; i < 9 * 13; ++i) c[p * 9 * 13 + i] = float(p) * 0.25f;
  Tensor y;
  resize_bilinear(c, 4, 5, y);
  ASSERT_EQ(y.shape(), (Shape{2, 2, 4, 5}));
  for (int p = 0; p < 4; ++p)
    for (int i = 0; i < 20; ++i) ASSERT_NEAR(y[p * 20 + i], float(p) * 0.25f, 1e-6);
  // A ramp v = x over 40 columns shrunk 4x: where the widened triangle fits
  // inside the image, output j reads the mean position 4j + 1.5.
  Tensor ramp({1, 1, 3, 40});
  for (int r = 0; r < 3; ++r)
    for (int x = 0; x < 40; ++x) ramp.at(0, 0, r, x) = float(x);
  resize_bilinear(ramp, 3, 10, y);
  for (int j = 1; j <= 8; ++j) EXPECT_NEAR(y.at(0, 0, 1, j), 4.f * j + 1.5f, 1e-4) << j;
  // Every input pixel counts when shrinking: one bright pixel between two
  // output centres still shows up (plain bilinear sampling would miss it).
  Tensor dot({1, 1, 1, 16});
  dot[6] = 1.f;
  resize_bilinear(dot, 1, 2, y);
  EXPECT_GT(y[0], 0.01f);
}

TEST(ImageErrors, MissingFileAndNonImageNameTheFile) {
  const std::string dir = cnn::testing::temp_dir();
  EXPECT_ERROR_CONTAINS(load_image(dir + "/none.png"), "none.png", "cannot open");
  const std::string text = dir + "/notes.png";
  write_bytes(text, {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '\n'});
  EXPECT_ERROR_CONTAINS(load_image(text), "notes.png", "not an image");
  write_bytes(dir + "/empty.png", {});
  EXPECT_ERROR_CONTAINS(load_image(dir + "/empty.png"), "empty.png", "not an image");
}

TEST(ImageErrors, TruncatedPng) {
  const std::string dir = cnn::testing::temp_dir();
  Bytes png;
  const std::vector<uint8_t> px = pattern(64, 64, 3);
  stbi_write_png_compression_level = 0;  // stored blocks: the cut lands inside the pixel data
  ASSERT_TRUE(stbi_write_png_to_func(append, &png, 64, 64, 3, px.data(), 64 * 3));
  stbi_write_png_compression_level = 8;
  png.resize(png.size() / 2);
  write_bytes(dir + "/cut.png", png);
  EXPECT_ERROR_CONTAINS(load_image(dir + "/cut.png"), "cut.png", "corrupt or truncated");
}

TEST(ImageErrors, TruncatedJpeg) {
  const std::string dir = cnn::testing::temp_dir();
  Bytes j = jpeg(64, 48);
  j.resize(j.size() * 7 / 10);
  write_bytes(dir + "/cut.jpg", j);
  EXPECT_ERROR_CONTAINS(load_image(dir + "/cut.jpg"), "cut.jpg", "truncated");
  // Only the end-of-image marker missing: stb_image alone would accept it.
  Bytes k = jpeg(64, 48);
  ASSERT_EQ(k[k.size() - 2], 0xFF);
  ASSERT_EQ(k[k.size() - 1], 0xD9);
  k.resize(k.size() - 2);
  EXPECT_ERROR_CONTAINS(decode_image(k, "noend.jpg"), "noend.jpg", "truncated");
}

TEST(ImageErrors, CorruptJpegHeader) {
  Bytes j = jpeg(16, 16);
  // The first Huffman table (marker FF C4): make its class/id byte invalid.
  size_t dht = 0;
  for (size_t i = 2; i + 1 < j.size() && !dht; ++i)
    if (j[i] == 0xFF && j[i + 1] == 0xC4) dht = i;
  ASSERT_NE(dht, 0u);
  j[dht + 4] = 0x5F;
  EXPECT_ERROR_CONTAINS(decode_image(j, "bad.jpg"), "bad.jpg", "corrupt");
}

// A PNG signature and header chunk claiming 10000 x 6000 pixels: refused from
// the header alone (there is no pixel data at all).
TEST(ImageErrors, TooLargeIsRefusedBeforeDecoding) {
  Bytes png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  for (uint32_t v : {10000u, 6000u})
    for (int s = 24; s >= 0; s -= 8) png.push_back(uint8_t(v >> s));
  for (uint8_t b : {8, 2, 0, 0, 0}) png.push_back(b);  // 8-bit RGB, no interlace
  for (int i = 0; i < 4; ++i) png.push_back(0);        // CRC (not checked)
  EXPECT_ERROR_CONTAINS(decode_image(png, "huge.png"), "huge.png", "10000x6000", "60000000 pixels");
  // The limit is an option: a real 20x20 image against a limit of 100 pixels.
  Bytes small;
  const std::vector<uint8_t> px = pattern(20, 20, 3);
  ASSERT_TRUE(stbi_write_png_to_func(append, &small, 20, 20, 3, px.data(), 20 * 3));
  EXPECT_ERROR_CONTAINS(decode_image(small, "s.png", {.max_pixels = 100}), "s.png", "400 pixels");
  EXPECT_EQ(decode_image(small, "s.png", {.max_pixels = 400}).shape(), (Shape{1, 3, 20, 20}));
}

TEST(ImageErrors, PngOfAnUnsupportedShape) {
  EXPECT_THROW(encode_png(Tensor({1, 2, 4, 4})), Error);
  EXPECT_THROW(encode_png(Tensor({2, 3, 4, 4})), Error);
}

}  // namespace
}  // namespace cnn
