// The transfer panel's job without a window: both demos produce one accuracy
// point per epoch (plus the start) for both models, bad setups are refused
// with a message naming the problem, a worker thread gives exactly the
// time-sliced results, and on the real data sets (where installed) the net
// pretrained on MNIST beats the same net from scratch on 200 Fashion-MNIST
// images (the setup of tests/cli's FinetuneCli).
#include "lab/transfer_job.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "bricks/brick.h"
#include "core/rng.h"
#include "core/file.h"
#include "data/mnist.h"
#include "data/preprocess.h"
#include "model/zoo.h"
#include "support/temp_dir.h"

namespace cnn::lab {
namespace {

// n images of c x 8 x 8 in [0, 1]: class 1 bright on the left, class 0 on
// the right, plus noise; separable at once.
Dataset halves(int n, int c, uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.name = "halves";
  d.num_classes = 2;
  d.class_names = {"right", "left"};
  d.x = Tensor({n, c, 8, 8});
  d.y = Tensor({n, 1, 1, 1});
  for (int i = 0; i < n; ++i) {
    const int label = int(rng.below(2));
    d.y[size_t(i)] = float(label);
    for (int ch = 0; ch < c; ++ch)
      for (int r = 0; r < 8; ++r)
        for (int k = 0; k < 8; ++k)
          d.x.at(i, ch, r, k) = ((k < 4) == (label == 1) ? 0.7f : 0.1f) + 0.2f * rng.uniform();
  }
  return d;
}

// Colour images whose class is their brightness (dark 0, bright 1): global
// pooling keeps that, unlike the halves' left/right.
Dataset bright_dark(int n, uint64_t seed) {
  Dataset d = halves(n, 3, seed);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < 3 * 64; ++k)
      d.x.sample(i)[k] = (d.y[size_t(i)] > 0 ? 0.6f : 0.1f) + 0.3f * d.x.sample(i)[k];
  return d;
}

// A small conv net for 1x8x8 images ending in a dense layer.
Model small_net(int classes) {
  Model m({1, 1, 8, 8});
  m.add(make_brick({{"type", "conv2d"}, {"filters", 4}, {"kernel", 3}, {"pad", 1}}));
  m.add(make_brick({{"type", "relu"}}));
  m.add(make_brick({{"type", "flatten"}}));
  m.add(make_brick({{"type", "dense"}, {"units", classes}}));
  m.build(7);
  return m;
}

void run_to_end(TransferJob& job) {
  for (int i = 0; i < 100000 && job.step(); ++i) {
  }
}

TEST(TransferJob, FinetuneGivesOnePointPerEpochForBothNets) {
  const Dataset source = halves(64, 1, 1), train = halves(20, 1, 2), test = halves(30, 1, 3);
  TransferJob job;
  FinetuneSetup s;
  s.train_images = 16;
  s.test_images = 30;
  s.epochs = 2;
  s.batch_size = 8;
  s.freeze = {"conv2d_1"};
  s.pretrain_images = 64;
  job.start_finetune(small_net(2), &source, train, test, s);
  EXPECT_EQ(job.phase(), TransferJob::Phase::kPreparing);
  run_to_end(job);
  ASSERT_EQ(job.phase(), TransferJob::Phase::kDone) << job.error();
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(job.curve(i).accuracy.size(), 3u) << job.curve(i).label;
    for (float a : job.curve(i).accuracy) EXPECT_TRUE(a >= 0 && a <= 1);
  }
  EXPECT_NE(job.curve(0).label.find("64 halves images"), std::string::npos) << job.curve(0).label;
  EXPECT_FLOAT_EQ(job.progress(), 1.f);
}

TEST(TransferJob, BadFinetuneSetupsNameTheProblem) {
  const Dataset train = halves(10, 1, 2), test = halves(10, 1, 3);
  TransferJob job;
  FinetuneSetup s;
  s.freeze = {"nope"};
  EXPECT_ERROR_CONTAINS(job.start_finetune(small_net(2), nullptr, train, test, s),
                        "cannot freeze \"nope\"");
  s.freeze = {"dense_1"};
  EXPECT_ERROR_CONTAINS(job.start_finetune(small_net(2), nullptr, train, test, s), "must train");
  s.freeze.clear();
  Model no_head({1, 1, 8, 8});
  no_head.add(make_brick({{"type", "flatten"}}));
  EXPECT_ERROR_CONTAINS(job.start_finetune(std::move(no_head), nullptr, train, test, s),
                        "must be a dense layer");
  const Dataset colour = halves(10, 3, 4);
  EXPECT_ERROR_CONTAINS(job.start_finetune(small_net(2), nullptr, colour, colour, s),
                        "takes 1x8x8 inputs");
  EXPECT_ERROR_CONTAINS(job.start_finetune(small_net(2), nullptr, Dataset{}, test, s),
                        "not loaded");
  s.train_images = 0;
  EXPECT_ERROR_CONTAINS(job.start_finetune(small_net(2), nullptr, train, test, s),
                        "at least 1 image");
  EXPECT_EQ(job.phase(), TransferJob::Phase::kIdle);
}

// A stand-in backbone: one conv layer over RGB images.
Backbone tiny_backbone() {
  Backbone b;
  b.model = Model({1, 3, 8, 8});
  b.model.add(make_brick({{"type", "conv2d"}, {"filters", 6}, {"kernel", 3}, {"pad", 1}}));
  b.model.add(make_brick({{"type", "relu"}}));
  b.model.build(3);
  b.kind = "tiny";
  return b;
}

FeatureSetup tiny_feature_setup() {
  FeatureSetup s;
  s.layer = "conv2d_1";  // (after the ReLU a channel is almost always 0: a poor feature)
  s.epochs = 10;
  s.batch_size = 4;
  s.lr = 0.05f;
  s.scratch_model = "mnist-small";
  return s;
}

TEST(TransferJob, FeaturesAndScratchBothGiveCurves) {
  const Dataset train = bright_dark(12, 5), test = bright_dark(9, 6);
  TransferJob job;
  job.start_features(tiny_backbone(), train, test, tiny_feature_setup());
  run_to_end(job);
  ASSERT_EQ(job.phase(), TransferJob::Phase::kDone) << job.error();
  EXPECT_EQ(job.curve(0).label, "tiny features + dense");
  EXPECT_EQ(job.curve(1).label, "mnist-small from scratch");
  for (int i = 0; i < 2; ++i) EXPECT_EQ(job.curve(i).accuracy.size(), 11u);
  // Brightness survives the pooling: the dense classifier separates it.
  EXPECT_GT(job.curve(0).accuracy.back(), 0.8f);
}

TEST(TransferJob, BadFeatureSetupsNameTheProblem) {
  const Dataset train = halves(12, 3, 5), test = halves(9, 3, 6);
  TransferJob job;
  FeatureSetup s = tiny_feature_setup();
  s.layer = "conv9_block9_out";
  EXPECT_ERROR_CONTAINS(job.start_features(tiny_backbone(), train, test, s),
                        "no layer \"conv9_block9_out\"");
  Dataset one_class = train;
  one_class.num_classes = 1;
  EXPECT_ERROR_CONTAINS(job.start_features(tiny_backbone(), one_class, test, tiny_feature_setup()),
                        "at least two classes");
  EXPECT_ERROR_CONTAINS(job.start_features(tiny_backbone(), train, Dataset{}, tiny_feature_setup()),
                        "no training or no test images");
  const Dataset grey = halves(4, 1, 7);
  EXPECT_ERROR_CONTAINS(job.start_features(tiny_backbone(), grey, grey, tiny_feature_setup()),
                        "colour images");
}

// Threads: natively, and in a WebAssembly build with pthreads.
#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
TEST(TransferJob, WorkerThreadGivesTheTimeSlicedCurves) {
  const Dataset source = halves(64, 1, 1), train = halves(20, 1, 2), test = halves(30, 1, 3);
  FinetuneSetup s;
  s.train_images = 20;
  s.epochs = 3;
  s.batch_size = 4;
  s.pretrain_images = 64;
  TransferJob sliced;
  sliced.start_finetune(small_net(2), &source, train, test, s);
  while (sliced.running()) sliced.update(0.01);

  TransferJob threaded;
  threaded.start_worker();
  {
    std::lock_guard<TransferJob> lock(threaded);
    threaded.start_finetune(small_net(2), &source, train, test, s);
  }
  for (int i = 0; i < 3000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard<TransferJob> lock(threaded);  // the UI reads while it trains
    if (!threaded.running()) break;
    threaded.update(1.0);  // a no-op with a worker
  }
  threaded.stop_worker();
  ASSERT_EQ(threaded.phase(), TransferJob::Phase::kDone) << threaded.error();
  for (int i = 0; i < 2; ++i) EXPECT_EQ(threaded.curve(i).accuracy, sliced.curve(i).accuracy);
}
#endif

TEST(TransferJob, CancelStopsAndKeepsThePointsSoFar) {
  const Dataset train = halves(20, 1, 2), test = halves(30, 1, 3);
  FinetuneSetup s;
  s.freeze.clear();
  s.epochs = 50;
  TransferJob job;
  job.start_finetune(small_net(2), nullptr, train, test, s);
  for (int i = 0; i < 20; ++i) job.step();
  job.cancel();
  EXPECT_EQ(job.phase(), TransferJob::Phase::kIdle);
  EXPECT_FALSE(job.step());
  EXPECT_FALSE(job.curve(0).accuracy.empty());
}

// Demo (a) on the real data: LeNet pretrained on 5000 MNIST digits, then 200
// Fashion-MNIST images for 3 epochs (the CLI test's setup; it measured
// scratch 0.574, fine-tuned 0.680 on 1000 test images).
TEST(TransferJob, FineTunedBeatsScratchOn200FashionImages) {
  const std::string mnist = default_mnist_dir(), fashion = default_fashion_mnist_dir();
  if (!file_exists(mnist + "/train-images-idx3-ubyte") &&
      !file_exists(mnist + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "MNIST files not installed (run scripts/setup.sh)";
  if (!file_exists(fashion + "/train-images-idx3-ubyte.gz") &&
      !file_exists(fashion + "/train-images-idx3-ubyte"))
    GTEST_SKIP() << "Fashion-MNIST not installed (Debian package dataset-fashion-mnist)";
  Dataset source = load_mnist(mnist, true).slice(0, 5000);
  Dataset train = load_fashion_mnist(fashion, true).slice(0, 200);
  Dataset test = load_fashion_mnist(fashion, false).slice(0, 1000);
  const Preprocessing prep;
  for (Dataset* d : {&source, &train, &test}) prep.apply(d->x);
  Model lenet = make_preset("lenet", source.x.shape().with_batch(1), 10);
  lenet.build(42);
  TransferJob job;
  job.start_finetune(std::move(lenet), &source, train, test, FinetuneSetup{});
  while (job.running()) job.update(1.0);
  ASSERT_EQ(job.phase(), TransferJob::Phase::kDone) << job.error();
  const float tuned = job.curve(0).accuracy.back(), scratch = job.curve(1).accuracy.back();
  EXPECT_GT(tuned, scratch + 0.05f) << "fine-tuned " << tuned << ", from scratch " << scratch;
  EXPECT_GT(tuned, 0.6f);
}

}  // namespace
}  // namespace cnn::lab
