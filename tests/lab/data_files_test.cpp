// The playground's data side without a window: CIFAR-10 files as a user
// supplies them (batch files in any number of goes, or the archive), with
// the messages the Data panel shows for truncated, foreign and misnamed
// files; and the Data panel's augmentation reaching the training batches.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/rng.h"
#include "lab/cifar_files.h"
#include "lab/live_augmentation.h"
#include "lab/session.h"
#include "support/bytes.h"
#include "support/error_of.h"

namespace cnn::lab {
namespace {

using test::Bytes;

// A batch file in the official format: records of label + 1024 R, G, B bytes.
// Record r of batch b: label (b + r) % 10, pixel (c, y, x) = (b + r + 50c + y + x) % 256.
Bytes batch(int b, int records) {
  Bytes out;
  for (int r = 0; r < records; ++r) {
    out.push_back(uint8_t((b + r) % 10));
    for (int c = 0; c < 3; ++c)
      for (int i = 0; i < 1024; ++i)
        out.push_back(uint8_t((b + r + 50 * c + i / 32 + i % 32) % 256));
  }
  return out;
}

using test::error_of, test::gzip_stored, test::ustar;

std::vector<std::string> add(Cifar10Files& files, std::vector<platform::DroppedFile> dropped,
                             bool* accepted_out = nullptr) {
  bool accepted = false;
  auto problems = files.add(std::move(dropped), accepted);
  if (accepted_out) *accepted_out = accepted;
  return problems;
}

TEST(Cifar10Files, BatchFilesInSeveralGoes) {
  Cifar10Files files;
  EXPECT_EQ(files.missing(),
            "add cifar-10-binary.tar.gz, or data_batch_1..5.bin and test_batch.bin");
  bool accepted = false;
  EXPECT_TRUE(add(files, {{"data_batch_2.bin", batch(2, 3)}}, &accepted).empty());
  EXPECT_TRUE(accepted);
  EXPECT_FALSE(files.complete());
  EXPECT_EQ(files.missing(), "add the test batch (test_batch.bin)");
  EXPECT_TRUE(
      add(files, {{"test_batch.bin", batch(6, 2)}, {"data_batch_1.bin", batch(1, 4)}}).empty());
  ASSERT_TRUE(files.complete());
  EXPECT_EQ(files.missing(), "");

  Dataset train, test;
  files.build("cifar10", train, test);
  EXPECT_EQ(train.name, "cifar10/train");
  ASSERT_EQ(train.x.shape(), (Shape{7, 3, 32, 32}));
  ASSERT_EQ(test.x.shape(), (Shape{2, 3, 32, 32}));
  // Training batches in order of k: batch 1's 4 records, then batch 2's 3.
  EXPECT_EQ(train.y[0], 1.f);
  EXPECT_EQ(train.y[4], 2.f);
  EXPECT_EQ(train.x.at(4, 2, 3, 5), float((2 + 0 + 100 + 3 + 5) % 256));
  EXPECT_EQ(test.y[1], 7.f);
  EXPECT_EQ(train.class_names[9], "truck");
  const auto list = files.files();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].base, "data_batch_1.bin");
  EXPECT_EQ(list[0].images, 4u);
  EXPECT_EQ(list[2].base, "test_batch.bin");

  // The same name again replaces the file; the others stay.
  EXPECT_TRUE(add(files, {{"/home/me/data_batch_1.bin", batch(1, 1)}}).empty());
  files.build("cifar10", train, test);
  EXPECT_EQ(train.size(), 4);
}

TEST(Cifar10Files, TruncatedForeignAndMisnamedFilesAreNamedInTheMessage) {
  Cifar10Files files;
  Bytes cut = batch(1, 3);
  cut.resize(cut.size() - 100);
  bool accepted = true;
  auto problems =
      add(files, {{"data_batch_1.bin", cut}, {"test_batch.bin", batch(6, 1)}}, &accepted);
  EXPECT_TRUE(accepted);  // the test batch was fine
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            "data_batch_1.bin: not a CIFAR-10 batch file: 9119 bytes is not a whole number of "
            "3073-byte records (1 label + 32x32x3 pixels)");
  EXPECT_EQ(files.missing(), "add at least one training batch (data_batch_1..5.bin)");

  Bytes labels = batch(1, 2);
  labels[3073] = 10;
  problems = add(files,
                 {{"cat.png", Bytes{0x89, 'P', 'N', 'G', 13, 10}},
                  {"data_batch_3.bin", labels},
                  {"train-images-idx3-ubyte", Bytes{0, 0, 8, 3, 0, 0, 0, 1}}},
                 &accepted);
  EXPECT_FALSE(accepted);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0],
            "cat.png: not a CIFAR-10 file: expected cifar-10-binary.tar.gz, data_batch_1..5.bin or "
            "test_batch.bin");
  EXPECT_EQ(problems[1], "data_batch_3.bin: label 10 of record 1 is outside 0..9");
  EXPECT_EQ(problems[2],
            "train-images-idx3-ubyte: an IDX file (the MNIST format), not CIFAR-10: choose MNIST "
            "or Fashion-MNIST in the Data set list instead");
  EXPECT_FALSE(files.complete());
  Dataset train, test;
  EXPECT_EQ(error_of([&] { files.build("cifar10", train, test); }),
            "CIFAR-10: add at least one training batch (data_batch_1..5.bin)");
}

TEST(Cifar10Files, ArchiveGzippedOrNotAndItsProblems) {
  const Bytes tar = ustar({{"cifar-10-batches-bin/batches.meta.txt", Bytes(20, 'a')},
                           {"cifar-10-batches-bin/test_batch.bin", batch(6, 2)},
                           {"cifar-10-batches-bin/data_batch_1.bin", batch(1, 3)},
                           {"cifar-10-batches-bin/data_batch_2.bin", batch(2, 1)}});
  Cifar10Files files;
  EXPECT_TRUE(add(files, {{"cifar-10-binary.tar", tar}}).empty());
  ASSERT_TRUE(files.complete());
  Dataset train, test;
  files.build("cifar10", train, test);
  EXPECT_EQ(train.size(), 4);
  EXPECT_EQ(test.size(), 2);
  EXPECT_EQ(files.files()[0].name, "cifar-10-binary.tar:cifar-10-batches-bin/data_batch_1.bin");

  // gzip'd (stored deflate blocks: a gzip member written by hand).
  Cifar10Files gz_files;
  EXPECT_TRUE(add(gz_files, {{"cifar-10-binary.tar.gz", gzip_stored(tar)}}).empty());
  EXPECT_TRUE(gz_files.complete());

  Bytes cut = gzip_stored(tar);
  cut.resize(cut.size() / 2);
  Cifar10Files none;
  auto problems = add(none, {{"cifar-10-binary.tar.gz", cut}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("cifar-10-binary.tar.gz: truncated", 0), 0u) << problems[0];
  problems = add(none, {{"photos.tar", ustar({{"cat.jpg", Bytes(10, 1)}})}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            "photos.tar: no CIFAR-10 batch files in archive (expected "
            "cifar-10-batches-bin/data_batch_1..5.bin and test_batch.bin)");
  EXPECT_FALSE(none.complete());
}

// n images of 1x4x4 in two classes (bright left or right half).
Dataset halves(int n) {
  Rng rng(3);
  Dataset d;
  d.name = "halves";
  d.num_classes = 2;
  d.class_names = {"right", "left"};
  d.x = Tensor({n, 1, 4, 4});
  d.y = Tensor({n, 1, 1, 1});
  for (int i = 0; i < n; ++i) {
    const int label = int(rng.below(2));
    d.y[size_t(i)] = float(label);
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c) d.x.at(i, 0, r, c) = (c < 2) == (label == 1) ? 0.9f : 0.1f;
  }
  return d;
}

TEST(LiveAugmentation, ReachesEveryTrainingBatchAndEditsApplyFromTheNext) {
  Dataset train = halves(64), test = halves(16);
  Session s;
  s.settings.batch_size = 8;
  s.layers = {nlohmann::json{{"type", "dense"}, {"units", 2}}};
  LiveAugmentation live;
  s.augment = live.hook();
  s.set_data(&train, &test);
  ASSERT_NE(s.model(), nullptr) << s.arch_error();

  s.step_batch();
  EXPECT_EQ(live.batches_augmented(), 0);  // nothing set: batches pass unchanged
  Augmentation a;
  a.hflip = true;
  a.brightness = 0.1f;
  live.set(a);
  s.step_batch();
  s.step_batch();
  EXPECT_EQ(live.batches_augmented(), 2);
  EXPECT_TRUE(live.get().hflip);
  live.set(Augmentation{});
  s.step_batch();
  EXPECT_EQ(live.batches_augmented(), 2);
  // The data itself is never changed: augmentation works on the batch copy.
  EXPECT_EQ(train.x.at(0, 0, 0, 0), halves(64).x.at(0, 0, 0, 0));
}

}  // namespace
}  // namespace cnn::lab
