// End to end: fit() on a real MNIST subset learns, repeats exactly with the
// same seed, and survives divergence without losing work.
#include <gtest/gtest.h>

#include <cmath>

#include "data/mnist.h"
#include "data/preprocess.h"
#include "model/trainer.h"
#include "model/zoo.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

struct MnistSubset {
  Dataset train, test;
};

// 2,000 training and 1,000 test images of the real MNIST files, scaled to [0,1].
const MnistSubset* mnist_subset() {
  static MnistSubset* data = []() -> MnistSubset* {
    try {
      auto* d = new MnistSubset{load_mnist(default_mnist_dir(), true).slice(0, 2000),
                                load_mnist(default_mnist_dir(), false).slice(0, 1000)};
      Preprocessing pre;
      pre.apply(d->train.x);
      pre.apply(d->test.x);
      return d;
    } catch (const Error&) {
      return nullptr;
    }
  }();
  return data;
}

History train_lenet(uint64_t seed, Model* out = nullptr) {
  const MnistSubset* d = mnist_subset();
  Model m = make_preset("lenet", {1, 1, 28, 28}, 10);
  m.build(seed);
  m.compile({.loss = {"softmax_crossentropy"}, .optimizer = {{"type", "adam"}, {"lr", 0.002}}});
  History h = m.fit(
      d->train.x, d->train.y,
      {.epochs = 3, .batch_size = 32, .validation_x = &d->test.x, .validation_y = {&d->test.y}});
  if (out) *out = std::move(m);
  return h;
}

TEST(Fit, LeNetLearnsMnistSubsetAndRepeatsExactly) {
  if (!mnist_subset()) GTEST_SKIP() << "MNIST files not installed (run scripts/setup.sh)";
  History a = train_lenet(123);
  ASSERT_EQ(a["loss"].size(), 3u);
  EXPECT_LT(a["loss"][2], 0.5 * a["loss"][0]) << "training loss should fall";
  EXPECT_GT(a["val_accuracy"][2], 0.90) << "held-out accuracy after 3 epochs on 2,000 images";
  // The same seed gives the same numbers, bit for bit.
  History b = train_lenet(123);
  EXPECT_EQ(a.values, b.values);
  // Another seed gives other numbers.
  History c = train_lenet(124);
  EXPECT_NE(a["loss"], c["loss"]);
}

TEST(Fit, DivergenceRestoresTheEpochStartAndSaysWhy) {
  if (!mnist_subset()) GTEST_SKIP() << "MNIST files not installed";
  const MnistSubset* d = mnist_subset();
  Model m = make_preset("mnist-small", {1, 1, 28, 28}, 10);
  m.build(1);
  // An absurd learning rate with a linear loss that grows without bound.
  m.compile({.loss = {"mse"}, .optimizer = {{"type", "sgd"}, {"lr", 1e12}}});
  Tensor onehot({2000, 10, 1, 1});
  for (int i = 0; i < 2000; ++i) onehot.at(i, int(d->train.y[i])) = 1.f;
  const Tensor w0 = m.params()[0]->value;
  try {
    m.fit(d->train.x, onehot, {.epochs = 1, .batch_size = 50});
    FAIL() << "expected TrainingDiverged";
  } catch (const TrainingDiverged& e) {
    EXPECT_NE(std::string(e.what()).find("diverged in epoch 1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("lower learning rate"), std::string::npos) << e.what();
  }
  // Back to the weights at the start of the epoch, all finite.
  const Tensor& w = m.params()[0]->value;
  for (size_t i = 0; i < w.size(); ++i) ASSERT_EQ(w[i], w0[i]) << i;
}

TEST(Fit, RejectsNonFiniteDataAndMismatchedTargets) {
  Model m = make_preset("mnist-small", {1, 1, 28, 28}, 10);
  m.compile({});
  Tensor x({4, 1, 28, 28}, 0.5f), y({4, 1, 1, 1}, 1.f), y3({3, 1, 1, 1});
  x.at(2, 0, 3, 3) = std::nanf("");
  EXPECT_ERROR_CONTAINS(m.fit(x, y), "training data", "non-finite", "sample 2");
  x.at(2, 0, 3, 3) = 0.f;
  EXPECT_ERROR_CONTAINS(m.fit(x, y3), "4 inputs but 3 targets");
  Tensor bad_label({4, 1, 1, 1}, 12.f);
  EXPECT_ANY_THROW(m.fit(x, bad_label));
  Model uncompiled = make_preset("mnist-small", {1, 1, 28, 28}, 10);
  EXPECT_ERROR_CONTAINS(uncompiled.fit(x, y), "compile");
}

TEST(Fit, ProgressReportsEveryBatchAndEpoch) {
  Model m = make_preset("mnist-small", {1, 1, 28, 28}, 10);
  m.compile({});
  Rng rng(5);
  Tensor x({10, 1, 28, 28}), y({10, 1, 1, 1});
  for (size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform();
  for (int i = 0; i < 10; ++i) y[i] = float(i);
  int batches = 0, epochs = 0;
  m.fit(x, y,
        {.epochs = 2,
         .batch_size = 4,
         .on_batch_end =
             [&](const TrainProgress& p) {
               ++batches;
               EXPECT_GT(p.batches, p.batch);
             },
         .on_epoch_end =
             [&](const TrainProgress& p) {
               ++epochs;
               EXPECT_EQ(p.batch, 3);
             }});
  EXPECT_EQ(batches, 4);  // 3 batches per epoch; the last one reports as epoch end
  EXPECT_EQ(epochs, 2);
}

}  // namespace
}  // namespace cnn
