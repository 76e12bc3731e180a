// cnn style, cnn features and cnn finetune in-process: bad inputs get one
// clear error naming the file or option; small real runs (a random-weight
// VGG written here as a safetensors file) produce their outputs; and
// fine-tuning demo (a) beats training from scratch on the same few images.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "core/rng.h"
#include "data/mnist.h"
#include "data/safetensors.h"
#include "style/image.h"
#include "support/bytes.h"
#include "support/temp_dir.h"

namespace cnn::cli {
namespace {

// VGG16 weights up to conv2_1 (features.0, .2, .5), random: enough for
// layers relu1_1, relu1_2, relu2_1.
std::string random_vgg16(const std::string& dir) {
  SafetensorsFile f;
  Rng rng(7);
  auto add = [&](int index, int out, int in) {
    NamedTensor w{"features." + std::to_string(index) + ".weight", {out, in, 3, 3}, {}};
    const float scale = std::sqrt(2.f / float(in * 9));
    for (int i = 0; i < out * in * 9; ++i) w.values.push_back(rng.uniform(-scale, scale));
    f.tensors.push_back(w);
    f.tensors.push_back({"features." + std::to_string(index) + ".bias",
                         {out},
                         std::vector<float>(size_t(out), 0.01f)});
  };
  add(0, 64, 3);
  add(2, 64, 64);
  add(5, 128, 64);
  const std::string path = dir + "/vgg16-random.safetensors";
  write_safetensors(path, f);
  return path;
}

// A w x h image: a colour gradient (kind 0) or stripes (kind 1), with a seed-dependent shift.
void write_image(const std::string& path, int w, int h, int kind, int shift) {
  Tensor t({1, 3, h, w});
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        t.at(0, c, y, x) = kind == 0 ? float((x + shift) % w) / float(w) * (c == 0 ? 1.f : 0.5f)
                                     : (((x + 2 * y + shift) / 3 + c) % 2 ? 0.9f : 0.1f);
  save_png(path, t);
}

std::vector<std::vector<double>> read_csv(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(f, line)) {
    std::vector<double> row;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) row.push_back(std::stod(cell));
    rows.push_back(row);
  }
  return rows;
}

TEST(StyleCli, BadInputsNameTheFileOrOption) {
  const std::string dir = testing::temp_dir();
  write_image(dir + "/c.png", 40, 32, 0, 0);
  std::ofstream(dir + "/not-an-image.png") << "this is text, not a PNG";
  const std::string c = dir + "/c.png";
  EXPECT_ERROR_CONTAINS(style_command({"--content", "/nonexistent/c.png", "--style", c}),
                        "/nonexistent/c.png", "not found");
  EXPECT_ERROR_CONTAINS(style_command({"--content", c, "--style", dir}), dir.c_str(), "folder");
  EXPECT_ERROR_CONTAINS(style_command({"--content", c, "--style", dir + "/not-an-image.png"}),
                        "not-an-image.png");
  EXPECT_ERROR_CONTAINS(style_command({"--content", c, "--style", c, "--backbone", c}), c.c_str());
  EXPECT_ERROR_CONTAINS(
      style_command({"--content", c, "--style", c, "--backbone", "/nonexistent/vgg19.safetensors"}),
      "/nonexistent/vgg19.safetensors", "not found");
  // A safetensors file that is not VGG: the missing tensor is named.
  SafetensorsFile other;
  other.tensors.push_back({"conv.weight", {2, 2}, {1, 2, 3, 4}});
  write_safetensors(dir + "/other.safetensors", other);
  EXPECT_ERROR_CONTAINS(style_command({"--content", c, "--style", c, "--backbone",
                                       dir + "/other.safetensors", "--size", "32"}),
                        "other.safetensors", "features.0.weight");
  EXPECT_ERROR_CONTAINS(style_command({"--content", c, "--style", c, "--optimizer", "sgd"}),
                        "--optimizer");
  EXPECT_ERROR_CONTAINS(style_command({"--content", c, "--style", c, "--size", "8"}), "--size");
  EXPECT_ERROR_CONTAINS(style_command({"--content", c, "--style", c, "--style-layers", "relu1_1",
                                       "--style-weights", "1,2"}),
                        "--style-weights", "2 weights for 1 layers");
  EXPECT_EQ(run({"style", "--content", "/nonexistent/c.png"}), 1);
  EXPECT_EQ(run({"style", "--help"}), 0);
}

TEST(StyleCli, RunsWithAVggFileAndWritesImageLossesAndPlot) {
  const std::string dir = testing::temp_dir();
  const std::string vgg = random_vgg16(dir);
  write_image(dir + "/c.png", 48, 36, 0, 0);
  write_image(dir + "/s.png", 40, 40, 1, 0);
  const std::string out = dir + "/out.png", csv = dir + "/losses.csv", svg = dir + "/losses.svg";
  ASSERT_EQ(run({"style",
                 "--content",
                 dir + "/c.png",
                 "--style",
                 dir + "/s.png",
                 "--backbone",
                 vgg,
                 "--size",
                 "32",
                 "--iters",
                 "8",
                 "--content-layers",
                 "relu2_1",
                 "--style-layers",
                 "relu1_1,relu2_1",
                 "--style-weight",
                 "100",
                 "-o",
                 out,
                 "--losses",
                 csv,
                 "--plot",
                 svg}),
            0);
  const Tensor result = load_image(out);
  EXPECT_EQ(result.shape().w, 32);  // long side
  EXPECT_EQ(result.shape().h, 24);
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 9u);  // 8 iterations + the final image
  EXPECT_LT(rows.back()[4], rows.front()[4] / 2) << "total loss must fall";
  std::ifstream f(svg);
  std::string text((std::istreambuf_iterator<char>(f)), {});
  EXPECT_NE(text.find("<svg"), std::string::npos);
  EXPECT_NE(text.find("style"), std::string::npos);
}

TEST(FeaturesCli, BadInputsNameTheFolder) {
  const std::string dir = testing::temp_dir();
  EXPECT_ERROR_CONTAINS(features_command({}), "--images");
  EXPECT_ERROR_CONTAINS(features_command({"--images", "/nonexistent/pics"}), "/nonexistent/pics");
  const std::string one = dir + "/one", two = dir + "/two";
  for (const std::string& d : {one, one + "/only", two, two + "/a", two + "/b"})
    ::mkdir(d.c_str(), 0755);
  EXPECT_ERROR_CONTAINS(features_command({"--images", one}), one.c_str(),
                        "at least two sub-folders");
  EXPECT_ERROR_CONTAINS(features_command({"--images", two}), "/a", "has no images");
}

TEST(FeaturesCli, ClassifiesFoldersOfImagesWithVggFeatures) {
  const std::string dir = testing::temp_dir();
  const std::string vgg = random_vgg16(dir);
  const std::string root = dir + "/images";
  ::mkdir(root.c_str(), 0755);
  for (int kind = 0; kind < 2; ++kind) {
    const std::string cls = root + (kind ? "/stripes" : "/gradients");
    ::mkdir(cls.c_str(), 0755);
    for (int i = 0; i < 4; ++i)
      write_image(cls + "/" + std::to_string(i) + ".png", 40, 40, kind, i * 5);
  }
  const std::string csv = dir + "/curves.csv", feats = dir + "/features.safetensors";
  ASSERT_EQ(run({"features", "--images", root, "--backbone", vgg, "--layer", "relu2_1", "--size",
                 "32", "--test-fraction", "0.5", "--epochs", "3", "--scratch-model", "mnist-small",
                 "--csv", csv, "--out", feats}),
            0);
  const SafetensorsFile f = read_safetensors(feats);
  ASSERT_NE(f.find("train.features"), nullptr);
  EXPECT_EQ(f.find("train.features")->shape, (std::vector<int64_t>{4, 128}));
  EXPECT_EQ(f.find("test.labels")->shape, (std::vector<int64_t>{4, 1}));
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 4u);  // before training + 3 epochs
  // Two very different classes: the features separate them at once.
  EXPECT_EQ(rows.back()[2], 1.0);
}

TEST(FinetuneCli, BadInputsNameTheFileOrBrick) {
  EXPECT_ERROR_CONTAINS(finetune_command({"--pretrained", "/nonexistent/m.safetensors"}),
                        "/nonexistent/m.safetensors");
  EXPECT_ERROR_CONTAINS(finetune_command({"--epochs", "0"}), "--epochs");
  EXPECT_ERROR_CONTAINS(finetune_command({"--data", "/nonexistent/fashion"}),
                        "/nonexistent/fashion");
}

// Demo (a) at a small scale: LeNet pretrained on 5000 MNIST digits, then 200
// Fashion-MNIST images for 3 epochs. Measured (native): from scratch 0.574,
// fine-tuned 0.680 test accuracy on 1000 test images.
TEST(FinetuneCli, FineTuningBeatsTrainingFromScratchOn200Images) {
  if (!test::file_exists(default_mnist_dir() + "/train-images-idx3-ubyte") &&
      !test::file_exists(default_mnist_dir() + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "MNIST files not installed (run scripts/setup.sh)";
  if (!test::file_exists(default_fashion_mnist_dir() + "/train-images-idx3-ubyte.gz") &&
      !test::file_exists(default_fashion_mnist_dir() + "/train-images-idx3-ubyte"))
    GTEST_SKIP() << "Fashion-MNIST not installed (Debian package dataset-fashion-mnist)";
  const std::string dir = testing::temp_dir();
  const std::string csv = dir + "/curves.csv";
  std::vector<std::string> argv = {
      "finetune", "--pretrain-limit", "5000",           "--train-limit",
      "200",      "--test-limit",     "1000",           "--epochs",
      "3",        "--freeze",         "conv2d_1",       "--csv",
      csv,        "--plot",           dir + "/plot.svg"};
  ASSERT_EQ(run(argv), 0);
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 4u);
  const double scratch = rows.back()[1], tuned = rows.back()[2];
  EXPECT_GT(tuned, scratch + 0.05) << "fine-tuned " << tuned << ", from scratch " << scratch;
  EXPECT_GT(tuned, 0.6);
}

}  // namespace
}  // namespace cnn::cli
