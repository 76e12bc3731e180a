// The Style panel's logic without a window: a StyleJob runs its iterations in
// time slices and on a worker thread alike, lowers the loss, pauses, resumes
// and resets without waiting for the UI; a bad layer ends in a message, not a
// crash; the feature-map and Gram pictures have the expected sizes; and the
// embedded backbone's model file is checked (empty, truncated, foreign files named).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/rng.h"
#include "core/file.h"
#include "lab/backbone.h"
#include "lab/model_io.h"
#include "lab/style_job.h"
#include "model/zoo.h"
#include "pretrained/vgg.h"
#include "support/temp_dir.h"

namespace cnn::lab {
namespace {

// A smooth 1x3xHxW image (different patterns for content and style).
Tensor pattern(int h, int w, float fx, float fy, uint64_t seed) {
  Rng rng(seed);
  Tensor t({1, 3, h, w});
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        t.at(0, c, y, x) = 0.5f + 0.4f * std::sin(fx * float(x) + fy * float(y) + float(c)) +
                           0.05f * rng.uniform();
  return t;
}

// A small VGG16 with random weights (StyleTransfer builds it from options.seed).
StyleJobSpec small_spec(int iterations) {
  StyleJobSpec spec;
  spec.make_features = [](int h, int w) {
    return std::make_unique<Model>(
        build_vgg({.depth = 16, .last_layer = "relu2_1", .height = h, .width = w}));
  };
  spec.content = pattern(32, 32, 0.3f, 0.1f, 1);
  spec.style = pattern(32, 32, 0.05f, 0.7f, 2);
  spec.options.content_layers = {{"relu2_1", 1.f}};
  spec.options.style_layers = {{"relu1_1", 0.5f}, {"relu2_1", 0.5f}};
  spec.options.style_weight = 1e3f;
  spec.options.lr = 0.05f;
  spec.iterations = iterations;
  spec.view_layer = "relu1_2";
  return spec;
}

TEST(StyleJob, TimeSlicesRunTheIterationsAndLowerTheLoss) {
  StyleJob job;
  EXPECT_EQ(job.state(), StyleJob::State::kIdle);
  job.start(small_spec(12), /*use_thread=*/false, /*run=*/true);
  EXPECT_EQ(job.state(), StyleJob::State::kPreparing);
  job.update(0);  // prepares: targets, the image starts as the content
  job.read([](const StyleJob::Shared& s) {
    EXPECT_EQ(s.state, StyleJob::State::kRunning);
    EXPECT_EQ(s.steps, 0);
    EXPECT_EQ(s.image.shape(), (Shape{1, 3, 32, 32}));
  });
  job.update(0);  // exactly one iteration per slice at budget 0
  job.read([](const StyleJob::Shared& s) { EXPECT_EQ(s.steps, 1); });
  ASSERT_TRUE(job.wait_idle(60));
  job.read([](const StyleJob::Shared& s) {
    EXPECT_EQ(s.state, StyleJob::State::kFinished) << s.error;
    ASSERT_EQ(s.history.size(), 12u);
    EXPECT_LT(s.history.back().total, 0.7f * s.history.front().total);
    EXPECT_EQ(s.version, 13);  // the start image and one per iteration
    // relu1_2 of VGG16: 64 channels at 32x32; 16 tiles in a 4x4 grid with gaps.
    EXPECT_EQ(s.view_shape, "64x32x32");
    EXPECT_EQ(s.feature_maps.image.width, 4 * 33 - 1);
    EXPECT_EQ(s.feature_maps.tiles.size(), 16u);
    EXPECT_EQ(s.gram.image.width, 64);
    EXPECT_EQ(s.gram.image.values.size(), 64u * 64u);
  });
  // More iterations after the end.
  job.run();
  ASSERT_TRUE(job.wait_idle(60));
  job.read([](const StyleJob::Shared& s) {
    EXPECT_EQ(s.steps, 24);
    EXPECT_EQ(s.state, StyleJob::State::kFinished);
  });
  job.reset();
  EXPECT_EQ(job.state(), StyleJob::State::kIdle);
  job.update(0);  // drops the run
  job.read([](const StyleJob::Shared& s) { EXPECT_TRUE(s.history.empty()); });
}

TEST(StyleJob, PausedJobDoesNotIterate) {
  StyleJob job;
  job.start(small_spec(5), false, /*run=*/false);
  job.update(0);
  EXPECT_EQ(job.state(), StyleJob::State::kPaused);
  job.update(0.05);
  job.read([](const StyleJob::Shared& s) { EXPECT_EQ(s.steps, 0); });
  job.run();
  job.update(0);
  job.pause();
  job.update(0.05);
  job.read([](const StyleJob::Shared& s) {
    EXPECT_EQ(s.steps, 1);
    EXPECT_EQ(s.state, StyleJob::State::kPaused);
  });
}

TEST(StyleJob, UnknownLayerEndsInAMessage) {
  StyleJob job;
  StyleJobSpec spec = small_spec(3);
  spec.options.style_layers = {{"relu9_9", 1.f}};
  job.start(std::move(spec), false, true);
  ASSERT_TRUE(job.wait_idle(30));
  job.read([](const StyleJob::Shared& s) {
    EXPECT_EQ(s.state, StyleJob::State::kFailed);
    EXPECT_NE(s.error.find("relu9_9"), std::string::npos) << s.error;
  });
  // A failing network maker too.
  StyleJobSpec broken = small_spec(3);
  broken.make_features = [](int, int) -> std::unique_ptr<Model> {
    throw FileError("vgg19.safetensors", "not found");
  };
  job.start(std::move(broken), false, true);
  ASSERT_TRUE(job.wait_idle(30));
  job.read([](const StyleJob::Shared& s) {
    EXPECT_EQ(s.state, StyleJob::State::kFailed);
    EXPECT_NE(s.error.find("vgg19.safetensors"), std::string::npos) << s.error;
  });
}

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
TEST(StyleJob, WorkerThreadMatchesTimeSlicesAndAnswersAtOnce) {
  StyleJob sliced;
  sliced.start(small_spec(6), false, true);
  ASSERT_TRUE(sliced.wait_idle(60));
  std::vector<StyleLosses> expected;
  sliced.read([&](const StyleJob::Shared& s) { expected = s.history; });

  StyleJob job;
  job.start(small_spec(6), /*use_thread=*/true, true);
  EXPECT_TRUE(job.threaded());
  ASSERT_TRUE(job.wait_idle(60));
  job.read([&](const StyleJob::Shared& s) {
    EXPECT_EQ(s.state, StyleJob::State::kFinished) << s.error;
    ASSERT_EQ(s.history.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
      EXPECT_FLOAT_EQ(s.history[i].total, expected[i].total) << i;
  });
  // Pause and reset return at once, whatever the worker does.
  job.start(small_spec(1000), true, true);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto t0 = std::chrono::steady_clock::now();
  job.pause();
  job.reset();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms, 20);
  EXPECT_EQ(job.state(), StyleJob::State::kIdle);
  ASSERT_TRUE(job.wait_idle(30));
  job.read([](const StyleJob::Shared& s) { EXPECT_EQ(s.steps, 0); });
}
#endif

TEST(StyleJob, Pictures) {
  Tensor f({1, 3, 2, 5});
  for (size_t i = 0; i < f.size(); ++i) f[i] = float(i);
  const MapPicture m = StyleJob::feature_mosaic(f, 16);
  EXPECT_EQ(m.image.width, 2 * 6 - 1);  // 3 maps: 2 columns, 2 rows
  EXPECT_EQ(m.image.height, 2 * 3 - 1);
  EXPECT_EQ(m.image.values.size(), size_t(m.image.width * m.image.height));
  // Each map has its own range (map c holds 10c .. 10c + 9), at its place in the grid.
  ASSERT_EQ(m.tiles.size(), 3u);
  EXPECT_EQ(m.tiles[1].lo, 10.f);
  EXPECT_EQ(m.tiles[1].hi, 19.f);
  EXPECT_EQ(m.tiles[1].x, 6);
  EXPECT_EQ(m.tiles[2].y, 3);
  EXPECT_EQ(m.image.at(6, 0), 10.f);
  EXPECT_EQ(m.image.at(4, 1), 9.f);
  Tensor g({1, 1, 4, 4}, 1.f);
  g[0] = 4.f;
  const MapPicture gp = StyleJob::gram_picture(g);
  EXPECT_EQ(gp.image.width, 4);
  EXPECT_FLOAT_EQ(gp.image.values[0], 1.f);                                // sqrt(4 / 4)
  EXPECT_FLOAT_EQ(gp.image.values[1], 0.5f);                               // sqrt(1 / 4)
  EXPECT_EQ(StyleJob::gram_picture(Tensor({1, 1, 2, 3})).image.width, 0);  // not square
}

TEST(Backbone, ModelFileProblemsAreNamed) {
  EXPECT_ERROR_CONTAINS(BackboneLoader::from_bytes({}, "assets/resnet50_stage3.safetensors"),
                        "assets/resnet50_stage3.safetensors", "is empty");
  std::vector<uint8_t> junk(100, 'x');
  EXPECT_ERROR_CONTAINS(BackboneLoader::from_bytes(junk, "r.safetensors"), "r.safetensors");
  // A real model file, but not the ResNet50, and a truncated one.
  Model lenet = make_preset("lenet", Shape{1, 1, 28, 28}, 10);
  lenet.build();
  std::vector<uint8_t> bytes = model_to_bytes(lenet);
  EXPECT_ERROR_CONTAINS(BackboneLoader::from_bytes(bytes, "lenet.safetensors"), "lenet.safetensors",
                        "conv3_block4_out");
  bytes.resize(bytes.size() / 2);
  EXPECT_ERROR_CONTAINS(BackboneLoader::from_bytes(bytes, "cut.safetensors"), "cut.safetensors");
  EXPECT_EQ(BackboneLoader::layer_names().back(), "conv3_block4_out");
}

}  // namespace
}  // namespace cnn::lab
