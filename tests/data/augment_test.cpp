#include "data/augment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "data_test_util.h"

namespace cnn {
namespace {

constexpr int kN = 300, kC = 2, kH = 5, kW = 6;

// Distinct non-zero values, so every move of a pixel is visible.
Tensor numbered() {
  Tensor t({kN, kC, kH, kW});
  for (size_t i = 0; i < t.size(); ++i) t[i] = float(1 + i % (kC * kH * kW));
  return t;
}

// Reference: out(c, y, x) = in(c, y - dy, x - dx), zero outside.
bool is_shift(const Tensor& in, const Tensor& out, int n, int dy, int dx) {
  for (int c = 0; c < kC; ++c)
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x) {
        int sy = y - dy, sx = x - dx;
        float want = (sy >= 0 && sy < kH && sx >= 0 && sx < kW) ? in.at(n, c, sy, sx) : 0.f;
        if (out.at(n, c, y, x) != want) return false;
      }
  return true;
}

bool is_mirror(const Tensor& in, const Tensor& out, int n) {
  for (int c = 0; c < kC; ++c)
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x)
        if (out.at(n, c, y, x) != in.at(n, c, y, kW - 1 - x)) return false;
  return true;
}

// For each image, which shift within +-r produced it; fails if none does.
std::set<std::pair<int, int>> shifts_seen(const Augmentation& a, int r) {
  Tensor in = numbered(), out = in;
  Rng rng(3);
  a.apply(out, rng);
  std::set<std::pair<int, int>> seen;
  for (int n = 0; n < kN; ++n) {
    bool found = false;
    for (int dy = -r; dy <= r && !found; ++dy)
      for (int dx = -r; dx <= r && !found; ++dx)
        if (is_shift(in, out, n, dy, dx)) {
          seen.insert({dy, dx});
          found = true;
        }
    EXPECT_TRUE(found) << "image " << n << " is no shift within +-" << r;
  }
  return seen;
}

TEST(Augmentation, HorizontalFlipMirrorsAboutHalfTheImages) {
  Augmentation a;
  a.hflip = true;
  Tensor in = numbered(), out = in;
  Rng rng(1);
  a.apply(out, rng);
  int flipped = 0;
  for (int n = 0; n < kN; ++n) {
    bool mirrored = is_mirror(in, out, n), same = is_shift(in, out, n, 0, 0);
    EXPECT_TRUE(mirrored != same) << "image " << n;
    flipped += mirrored;
  }
  EXPECT_GT(flipped, kN / 2 - 45);  // binomial(300, 0.5): sd 8.7, so +-45 is > 5 sd
  EXPECT_LT(flipped, kN / 2 + 45);
}

TEST(Augmentation, PaddedCropShiftsByEveryOffsetUpToThePad) {
  Augmentation a;
  a.crop_pad = 1;
  std::set<std::pair<int, int>> seen = shifts_seen(a, 1);
  EXPECT_EQ(seen.size(), 9u);  // every (dy, dx) in {-1,0,1}^2, 300 draws
}

TEST(Augmentation, TranslationShiftsWithZeroFill) {
  Augmentation a;
  a.translate = 2;
  std::set<std::pair<int, int>> seen = shifts_seen(a, 2);
  EXPECT_EQ(seen.size(), 25u);
}

TEST(Augmentation, BrightnessAddsOneOffsetPerImage) {
  Augmentation a;
  a.brightness = 0.3f;
  Tensor in = numbered(), out = in;
  Rng rng(5);
  a.apply(out, rng);
  float lo = 1, hi = -1;
  for (int n = 0; n < kN; ++n) {
    float offset = out.sample(n)[0] - in.sample(n)[0];
    EXPECT_LE(std::fabs(offset), 0.3f + 1e-5f);
    for (int i = 0; i < kC * kH * kW; ++i)
      ASSERT_NEAR(out.sample(n)[i] - in.sample(n)[i], offset, 1e-4) << "image " << n;
    lo = std::min(lo, offset), hi = std::max(hi, offset);
  }
  EXPECT_LT(lo, -0.2f);  // the range is used, not one fixed offset
  EXPECT_GT(hi, 0.2f);
}

TEST(Augmentation, ContrastScalesAroundTheImageMean) {
  Augmentation a;
  a.contrast = 0.5f;
  Tensor in = numbered(), out = in;
  Rng rng(6);
  a.apply(out, rng);
  const int size = kC * kH * kW;
  const float mean = (1.f + size) / 2.f;  // the values are 1..size
  for (int n = 0; n < kN; ++n) {
    float factor = (out.sample(n)[0] - mean) / (in.sample(n)[0] - mean);
    EXPECT_GE(factor, 0.5f - 1e-4f);
    EXPECT_LE(factor, 1.5f + 1e-4f);
    for (int i = 0; i < size; ++i)
      ASSERT_NEAR(out.sample(n)[i], mean + (in.sample(n)[i] - mean) * factor, 1e-3)
          << "image " << n;
  }
}

TEST(Augmentation, SameSeedSameResultOtherSeedOtherResult) {
  Augmentation a;
  a.hflip = true;
  a.crop_pad = 2;
  a.translate = 1;
  a.brightness = 0.1f;
  a.contrast = 0.2f;
  Tensor x1 = numbered(), x2 = numbered(), x3 = numbered();
  Rng r1(99), r2(99), r3(100);
  a.apply(x1, r1);
  a.apply(x2, r2);
  a.apply(x3, r3);
  bool same12 = true, same13 = true;
  for (size_t i = 0; i < x1.size(); ++i) {
    same12 &= x1[i] == x2[i];
    same13 &= x1[i] == x3[i];
  }
  EXPECT_TRUE(same12);
  EXPECT_FALSE(same13);
}

TEST(Augmentation, NoneLeavesTheBatchAndRngAlone) {
  Augmentation a;
  EXPECT_FALSE(a.any());
  Tensor x = numbered();
  Rng rng(4), untouched(4);
  a.apply(x, rng);
  EXPECT_TRUE(is_shift(numbered(), x, 0, 0, 0));
  EXPECT_EQ(rng.next_u32(), untouched.next_u32());
}

TEST(Augmentation, JsonRoundTripAndErrors) {
  Augmentation a;
  a.hflip = true;
  a.crop_pad = 4;
  a.contrast = 0.25f;
  EXPECT_TRUE(a.any());
  Augmentation b = Augmentation::from_json(nlohmann::json::parse(a.to_json().dump()));
  EXPECT_EQ(b.hflip, true);
  EXPECT_EQ(b.crop_pad, 4);
  EXPECT_EQ(b.translate, 0);
  EXPECT_EQ(b.brightness, 0.f);
  EXPECT_EQ(b.contrast, 0.25f);
  EXPECT_FALSE(Augmentation::from_json(nlohmann::json::object()).any());
  EXPECT_EQ(test::error_of([] {
              Augmentation::from_json({{"crop_pad", -1}});
            }),
            "augmentation: \"crop_pad\" must be an integer in 0..1000, got -1");
  EXPECT_CONTAINS(test::error_of([] {
                    Augmentation::from_json({{"contrast", 2.0}});
                  }),
                  "\"contrast\" must be a number in 0..1");
  EXPECT_CONTAINS(test::error_of([] {
                    Augmentation::from_json({{"rotate", 10}});
                  }),
                  "unknown key \"rotate\"");
}

}  // namespace
}  // namespace cnn
