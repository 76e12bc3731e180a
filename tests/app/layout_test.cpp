// The screen's layout (app/layout.h) at every window size the playground
// supports, at normal and presentation type sizes: no two regions overlap,
// every region lies inside the viewport, the main area and the pad stay usable.
#include "app/layout.h"

#include <gtest/gtest.h>

#include <string>

namespace cnn::app {
namespace {

std::string describe(const Rect& r) {
  return "[" + std::to_string(r.x) + ", " + std::to_string(r.y) + ", " + std::to_string(r.w) +
         ", " + std::to_string(r.h) + "]";
}

void check_layout(float x, float y, float w, float h, float font, int lines) {
  const ScreenLayout l = compute_layout(x, y, w, h, font, lines);
  const Rect viewport{x, y, w, h};
  const auto regions = l.regions();
  const std::string where = std::to_string(int(w)) + "x" + std::to_string(int(h)) + " font " +
                            std::to_string(font) + " lines " + std::to_string(lines);
  for (size_t i = 0; i < regions.size(); ++i) {
    const auto& [name, r] = regions[i];
    EXPECT_TRUE(contains(viewport, r)) << name << " " << describe(r) << " outside, " << where;
    for (size_t j = i + 1; j < regions.size(); ++j)
      EXPECT_FALSE(overlaps(r, regions[j].second))
          << name << " " << describe(r) << " overlaps " << regions[j].first << " "
          << describe(regions[j].second) << ", " << where;
  }
  // The regions every screen needs, with room for a few lines of text.
  for (const Rect* r : {&l.controls, &l.settings, &l.pad, &l.main, &l.status})
    EXPECT_GE(r->h, font) << where;
  EXPECT_GE(l.main.w, 0.4f * w) << where;
  EXPECT_GE(l.main.h, 0.6f * h) << where;
  EXPECT_GE(l.pad.w, 10 * font) << where;
  EXPECT_EQ(lines > 0, l.messages.h > 0) << where;
}

TEST(Layout, NoOverlapAndInsideAtEverySize) {
  for (float w = 800; w <= 2560; w += 37)
    for (float h = 600; h <= 1440; h += 41)
      for (float font : {13.f, 15.f, 20.f, 22.f})
        for (int lines : {0, 2}) check_layout(0, 0, w, h, font, lines);
}

TEST(Layout, TheIssuesSizesAndAnOffsetViewport) {
  for (auto [w, h] : {std::pair{800.f, 600.f}, {1024.f, 700.f}, {1280.f, 800.f},
                      {1280.f, 860.f}, {1920.f, 1080.f}, {2560.f, 1440.f}})
    for (float font : {13.f, 15.f, 22.f, 30.f}) {
      check_layout(0, 0, w, h, font, 1);
      check_layout(10, 20, w, h, font, 0);
    }
}

TEST(Layout, ThePadHasAColumnOnWideScreensOnly) {
  EXPECT_TRUE(compute_layout(0, 0, 1920, 1080, 15, 0).pad_beside);
  EXPECT_FALSE(compute_layout(0, 0, 800, 600, 15, 0).pad_beside);
  // Presentation type on the same screen gives the main area the room.
  EXPECT_FALSE(compute_layout(0, 0, 1280, 800, 24, 0).pad_beside);
}

TEST(Layout, RegionsFillTheWidth) {
  const ScreenLayout l = compute_layout(0, 0, 1920, 1080, 15, 0);
  EXPECT_NEAR(l.pad.x + l.pad.w, 1920, 8);
  EXPECT_NEAR(l.status.y + l.status.h, 1080, 8);
  EXPECT_LT(l.settings.x + l.settings.w, l.main.x);
  EXPECT_LT(l.main.x + l.main.w, l.pad.x);
}

TEST(Layout, OverlapAndContainment) {
  EXPECT_TRUE(overlaps({0, 0, 10, 10}, {9, 9, 5, 5}));
  EXPECT_FALSE(overlaps({0, 0, 10, 10}, {10, 0, 5, 5}));  // touching edges
  EXPECT_TRUE(contains({0, 0, 10, 10}, {0, 0, 10, 10}));
  EXPECT_FALSE(contains({0, 0, 10, 10}, {5, 5, 6, 2}));
}

}  // namespace
}  // namespace cnn::app
