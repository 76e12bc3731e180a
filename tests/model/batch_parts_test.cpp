// A batch fed in parts (Trainer::step_part, FitOptions::max_part) trains like
// the whole batch: the playground splits batches so that no UI frame waits
// for a whole one, and must not learn differently for it.
#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.h"
#include "model/trainer.h"
#include "model/zoo.h"

namespace cnn {
namespace {

struct Data {
  Tensor x, y;
};

Data random_data(Shape sample, int n, uint64_t seed) {
  Rng rng(seed);
  Data d{Tensor(sample.with_batch(n)), Tensor({n, 1, 1, 1})};
  for (size_t i = 0; i < d.x.size(); ++i) d.x[i] = rng.uniform();
  for (int i = 0; i < n; ++i) d.y[i] = float(rng.next_u32() % 10);
  return d;
}

Model compiled(const std::string& preset, Shape input) {
  Model m = make_preset(preset, input, 10);
  m.build(7);
  m.compile({.loss = {"softmax_crossentropy"},
             .optimizer = {{"type", "sgd"}, {"lr", 0.05}, {"momentum", 0.9}}});
  return m;
}

double max_relative_difference(Model& a, Model& b) {
  double worst = 0;
  auto pa = a.params(), pb = b.params();
  for (size_t k = 0; k < pa.size(); ++k)
    for (size_t i = 0; i < pa[k]->value.size(); ++i) {
      const double u = pa[k]->value[i], v = pb[k]->value[i];
      worst = std::max(worst, std::abs(u - v) / (std::abs(u) + std::abs(v) + 1e-3));
    }
  return worst;
}

TEST(BatchParts, PartsOfABatchTrainLikeTheWholeBatch) {
  const Data d = random_data({1, 1, 28, 28}, 64, 3);
  Model whole = compiled("lenet", {1, 1, 28, 28});
  Model parts = compiled("lenet", {1, 1, 28, 28});
  Trainer a(whole, d.x, {&d.y}, {.epochs = 1, .batch_size = 32, .shuffle = false});
  Trainer b(parts, d.x, {&d.y}, {.epochs = 1, .batch_size = 32, .shuffle = false, .max_part = 12});
  for (int batch = 0; batch < 2; ++batch) {
    a.step();
    // 32 = 12 + 12 + 8: two parts leave the batch open, the third closes it.
    EXPECT_FALSE(b.step_part());
    EXPECT_TRUE(b.in_batch());
    EXPECT_FALSE(b.step_part());
    EXPECT_TRUE(b.step_part());
    EXPECT_FALSE(b.in_batch());
    EXPECT_EQ(a.progress().batch, b.progress().batch);
  }
  EXPECT_TRUE(a.done() && b.done());
  // Same update up to the order of float sums; a step of the wrong size (a
  // part's gradient not scaled by its share) would differ by percents.
  EXPECT_LT(max_relative_difference(whole, parts), 1e-4);
  EXPECT_NEAR(a.history()["loss"][0], b.history()["loss"][0], 1e-4);
  EXPECT_NEAR(a.history()["accuracy"][0], b.history()["accuracy"][0], 1e-6);
  // And training moved the weights at all (else the comparison says nothing).
  Model untouched = compiled("lenet", {1, 1, 28, 28});
  EXPECT_GT(max_relative_difference(whole, untouched), 1e-3);
}

TEST(BatchParts, BatchNormModelsAreNotSplit) {
  // Batch statistics over a part are not those of the batch: such a model
  // trains whole batches whatever max_part says, bit for bit as without it.
  const Data d = random_data({3, 3, 32, 32}, 16, 5);
  Model whole = compiled("vgg-small", {1, 3, 32, 32});
  Model parts = compiled("vgg-small", {1, 3, 32, 32});
  ASSERT_TRUE(parts.mixes_samples());
  ASSERT_FALSE(compiled("lenet", {1, 1, 28, 28}).mixes_samples());
  Trainer a(whole, d.x, {&d.y}, {.epochs = 1, .batch_size = 16, .shuffle = false});
  Trainer b(parts, d.x, {&d.y}, {.epochs = 1, .batch_size = 16, .shuffle = false, .max_part = 4});
  a.step();
  EXPECT_TRUE(b.step_part());
  EXPECT_EQ(max_relative_difference(whole, parts), 0.0);
}

TEST(BatchParts, DivergenceInAPartRestoresTheEpochStart) {
  const Data d = random_data({1, 1, 28, 28}, 32, 9);
  Model m = make_preset("mnist-small", {1, 1, 28, 28}, 10);
  m.build(1);
  // As in fit_test: an absurd rate with a loss that grows without bound.
  m.compile({.loss = {"mse"}, .optimizer = {{"type", "sgd"}, {"lr", 1e12}}});
  Tensor onehot({32, 10, 1, 1});
  for (int i = 0; i < 32; ++i) onehot.at(i, int(d.y[i])) = 1.f;
  const Tensor w0 = m.params()[0]->value;
  Trainer t(m, d.x, {&onehot}, {.epochs = 1, .batch_size = 16, .shuffle = false, .max_part = 8});
  EXPECT_THROW(
      {
        for (int i = 0; i < 8; ++i) t.step_part();
      },
      TrainingDiverged);
  EXPECT_FALSE(t.in_batch());
  for (size_t i = 0; i < w0.size(); ++i) ASSERT_EQ(m.params()[0]->value[i], w0[i]);
}

}  // namespace
}  // namespace cnn
