// The cnn command line, in-process: every bad input gets one clear error
// naming the file or option, and a full train -> eval round trip works.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "data/mnist.h"
#include "support/bytes.h"
#include "support/temp_dir.h"

namespace cnn::cli {
namespace {

// Writes an IDX file: magic 0,0,8,ndims, big-endian dims, then bytes.
void write_idx(const std::string& path, std::vector<int> dims, size_t payload_bytes) {
  std::ofstream f(path, std::ios::binary);
  f.put(0).put(0).put(8).put(char(dims.size()));
  for (int d : dims) f.put(char(d >> 24)).put(char(d >> 16)).put(char(d >> 8)).put(char(d));
  std::string payload(payload_bytes, '\0');
  f.write(payload.data(), std::streamsize(payload.size()));
}

// A folder of tiny MNIST-format files; `edit` may break one of them.
std::string fake_mnist(int train_images, int train_labels, size_t image_bytes_short = 0) {
  std::string dir = testing::temp_dir();
  write_idx(dir + "/train-images-idx3-ubyte", {train_images, 28, 28},
            size_t(train_images) * 784 - image_bytes_short);
  write_idx(dir + "/train-labels-idx1-ubyte", {train_labels}, size_t(train_labels));
  write_idx(dir + "/t10k-images-idx3-ubyte", {10, 28, 28}, 7840);
  write_idx(dir + "/t10k-labels-idx1-ubyte", {10}, 10);
  return dir;
}

TEST(Cli, UnknownCommandAndOptionAreUsageErrors) {
  EXPECT_EQ(run({"frobnicate"}), 2);
  EXPECT_EQ(run({}), 2);
  EXPECT_EQ(run({"train", "--bogus"}), 1);
  EXPECT_ERROR_CONTAINS(train_command({"--bogus"}), "unknown option --bogus", "cnn train --help");
  EXPECT_ERROR_CONTAINS(train_command({"--epochs"}), "--epochs needs a value");
  EXPECT_ERROR_CONTAINS(train_command({"--epochs", "two"}), "--epochs", "whole number", "two");
  EXPECT_ERROR_CONTAINS(train_command({"--dataset", "imagenet"}), "unknown dataset", "imagenet");
  EXPECT_ERROR_CONTAINS(eval_command({}), "missing MODEL");
}

TEST(Cli, HelpForEveryCommand) {
  EXPECT_EQ(run({"--help"}), 0);
  EXPECT_EQ(run({"train", "--help"}), 0);
  EXPECT_EQ(run({"eval", "--help"}), 0);
  EXPECT_EQ(run({"summary", "--help"}), 0);
  EXPECT_EQ(run({"summary", "lenet"}), 0);
}

TEST(Cli, MissingTruncatedAndMismatchedDataNameTheFile) {
  EXPECT_ERROR_CONTAINS(train_command({"--data", "/nonexistent/mnist"}), "/nonexistent/mnist");

  std::string dir = fake_mnist(20, 20, /*short by*/ 100);
  EXPECT_ERROR_CONTAINS(train_command({"--data", dir}), "train-images-idx3-ubyte", "truncated");

  dir = fake_mnist(20, 19);
  EXPECT_ERROR_CONTAINS(train_command({"--data", dir}), "train-images-idx3-ubyte",
                        "train-labels-idx1-ubyte", "20", "19");

  dir = fake_mnist(20, 20);
  std::ofstream(dir + "/train-labels-idx1-ubyte", std::ios::binary) << "GIF89a this is no IDX file";
  EXPECT_ERROR_CONTAINS(train_command({"--data", dir}), "train-labels-idx1-ubyte",
                        "not an IDX file");

  EXPECT_ERROR_CONTAINS(train_command({"--dataset", "cifar10"}), "cifar-10-binary.tar.gz",
                        "--data");
  EXPECT_ERROR_CONTAINS(eval_command({"/nonexistent/m.safetensors"}), "/nonexistent/m.safetensors");
}

TEST(Cli, TrainThenEvalRoundTrip) {
  if (!test::file_exists(default_mnist_dir() + "/train-images-idx3-ubyte") &&
      !test::file_exists(default_mnist_dir() + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "MNIST files not installed (run scripts/setup.sh)";
  const std::string out = testing::temp_dir() + "/small.safetensors";
  ASSERT_EQ(run({"train", "--model", "mnist-small", "--epochs", "1", "--limit", "500",
                 "--validation", "none", "--out", out}),
            0);
  EXPECT_TRUE(test::file_exists(out));
  EXPECT_EQ(run({"eval", out}), 0);
  EXPECT_EQ(run({"summary", out}), 0);
  // Batches fed in parts (the playground's way) train too; a negative part is refused.
  EXPECT_EQ(run({"train", "--model", "mnist-small", "--epochs", "1", "--limit", "200", "--part",
                 "16", "--validation", "none", "--out", out}),
            0);
  EXPECT_EQ(run({"train", "--model", "mnist-small", "--part", "-1", "--out", out}), 1);
  // Resuming a saved model continues from its epoch count.
  EXPECT_EQ(
      run({"train", "--model", out, "--epochs", "1", "--limit", "500", "--validation", "none"}), 0);
}

}  // namespace
}  // namespace cnn::cli

namespace cnn::cli {
namespace {

// `cnn bench --profile` gives each brick's forward and backward time per
// batch (the evidence behind the README's notes on where training time goes).
TEST(Cli, BenchProfileTimesEveryBrick) {
  const nlohmann::json out =
      bench_measure({"mnist-train", "--profile", "--min-time", "0.05", "--no-warmup"});
  ASSERT_TRUE(out.contains("profile"));
  const nlohmann::json& bricks = out["profile"]["bricks"];
  ASSERT_EQ(bricks.size(), 7u);  // conv, relu, pool, conv, relu, pool, dense
  EXPECT_EQ(bricks[0]["type"], "conv2d");
  EXPECT_EQ(bricks[6]["type"], "dense");
  double inside = 0;
  for (const auto& b : bricks) {
    EXPECT_GT(b["forward_ms"].get<double>(), 0) << b.dump();
    EXPECT_GT(b["backward_ms"].get<double>(), 0) << b.dump();
    inside += b["forward_ms"].get<double>() + b["backward_ms"].get<double>();
  }
  EXPECT_LE(inside, out["profile"]["ms_per_batch"].get<double>());
  EXPECT_GE(out["profile"]["outside_bricks_ms"].get<double>(), 0);
}

// The same for the style workload: each layer of VGG19 up to conv5_1 (13
// convolutions, each with its ReLU, and 4 poolings), forward and backward to
// the image.
TEST(Cli, BenchStyleProfileTimesEveryLayer) {
  const nlohmann::json out = bench_measure(
      {"style", "--profile", "--min-time", "0.05", "--max-time", "1", "--no-warmup"});
  ASSERT_TRUE(out.contains("profile"));
  const nlohmann::json& bricks = out["profile"]["bricks"];
  int convs = 0, relus = 0, pools = 0;
  double inside = 0;
  for (const auto& b : bricks) {
    convs += b["type"] == "conv2d";
    relus += b["type"] == "relu";
    pools += b["type"] == "maxpool2d";
    EXPECT_GT(b["forward_ms"].get<double>(), 0) << b.dump();
    EXPECT_GT(b["backward_ms"].get<double>(), 0) << b.dump();
    inside += b["forward_ms"].get<double>() + b["backward_ms"].get<double>();
  }
  EXPECT_EQ(convs, 13);
  EXPECT_EQ(relus, 13);
  EXPECT_EQ(pools, 4);
  EXPECT_EQ(bricks.size(), 30u);
  EXPECT_EQ(bricks[0]["type"], "conv2d");
  EXPECT_LE(inside, out["profile"]["ms_per_batch"].get<double>());
}

}  // namespace
}  // namespace cnn::cli
