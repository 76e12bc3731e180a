// The transfer panel's own-image classes: images are decoded and resized as
// they are added, bad files and too-small classes get messages that name
// them, and the split keeps at least one image per class on each side.
#include "lab/image_classes.h"

#include <gtest/gtest.h>

#include "style/image.h"
#include "support/temp_dir.h"

namespace cnn::lab {
namespace {

std::vector<uint8_t> png(int h, int w, float value) {
  Tensor img({1, 3, h, w});
  img.fill(value);
  return encode_png(img);
}

TEST(ImageClasses, AddsResizedImagesAndSplitsPerClass) {
  ImageClasses c(16);
  c.add_class("cats");
  c.add_class("dogs");
  for (int i = 0; i < 5; ++i) c.add_image(0, png(40, 30, 0.2f), "cat.png");
  for (int i = 0; i < 3; ++i) c.add_image(1, png(20, 50, 0.8f), "dog.png");
  EXPECT_EQ(c.total_images(), 8);
  EXPECT_EQ(c.classes()[0].images[0].shape(), (Shape{1, 3, 16, 16}));
  Dataset train, test;
  c.split(0.3, train, test);
  // cats: 5 -> 2 test (round 1.5), dogs: 3 -> 1 test.
  ASSERT_EQ(train.size(), 5);
  ASSERT_EQ(test.size(), 3);
  EXPECT_EQ(train.num_classes, 2);
  EXPECT_EQ(train.class_names, (std::vector<std::string>{"cats", "dogs"}));
  EXPECT_EQ(train.y[0], 0.f);
  EXPECT_EQ(train.y[4], 1.f);
  EXPECT_NEAR(test.x.sample(2)[0], 0.8f, 0.01f);
  EXPECT_NEAR(train.x.sample(0)[0], 0.2f, 0.01f);
}

TEST(ImageClasses, BadInputGetsAMessageNamingIt) {
  ImageClasses c(16);
  EXPECT_ERROR_CONTAINS(c.add_image(0, png(8, 8, 0.5f), "a.png"), "add a class first");
  EXPECT_ERROR_CONTAINS(c.add_class(""), "name");
  c.add_class("cats");
  EXPECT_ERROR_CONTAINS(c.add_class("cats"), "already a class \"cats\"");
  const std::string text = "hello, not an image";
  EXPECT_ERROR_CONTAINS(c.add_image(0, std::vector<uint8_t>(text.begin(), text.end()), "notes.txt"),
                        "notes.txt");
  EXPECT_EQ(c.total_images(), 0);
  Dataset train, test;
  EXPECT_ERROR_CONTAINS(c.split(0.3, train, test), "at least two classes");
  c.add_class("dogs");
  c.add_image(0, png(8, 8, 0.5f), "a.png");
  c.add_image(0, png(8, 8, 0.5f), "b.png");
  EXPECT_ERROR_CONTAINS(c.split(0.3, train, test), "class \"dogs\" has 0 images");
  c.add_image(1, png(8, 8, 0.5f), "c.png");
  EXPECT_ERROR_CONTAINS(c.split(0.3, train, test), "class \"dogs\" has 1 image:");
  c.remove_class(1);
  EXPECT_EQ(c.classes().size(), 1u);
}

}  // namespace
}  // namespace cnn::lab
