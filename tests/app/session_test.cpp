// The playground's training session and chunked evaluation, without a
// window: invalid architectures are reported (not thrown), training advances
// only through update() / step_batch(), evaluation in uneven chunks counts
// every sample once, and loaded models are checked against the data.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/evaluator.h"
#include "app/session.h"
#include "bricks/brick.h"
#include "core/rng.h"

namespace cnn::app {
namespace {

using nlohmann::json;

// n images of 1x6x6: class 1 has a bright left half, class 0 a bright right
// half, plus noise. Linearly separable, so a dense layer learns it at once.
Dataset halves(int n, uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.name = "halves";
  d.num_classes = 2;
  d.class_names = {"right", "left"};
  d.x = Tensor({n, 1, 6, 6});
  d.y = Tensor({n, 1, 1, 1});
  for (int i = 0; i < n; ++i) {
    const int label = int(rng.below(2));
    d.y[size_t(i)] = float(label);
    for (int r = 0; r < 6; ++r)
      for (int c = 0; c < 6; ++c)
        d.x.at(i, 0, r, c) = ((c < 3) == (label == 1) ? 0.8f : 0.1f) + 0.2f * rng.uniform();
  }
  return d;
}

std::vector<json> dense_net(int units) {
  return {json{{"type", "dense"}, {"units", units}}};
}

TEST(Session, InvalidArchitectureIsReportedNotThrown) {
  Dataset train = halves(40, 1), test = halves(20, 2);
  Session s;
  s.layers = {json{{"type", "conv2d"}, {"filters", 4}, {"kernel", 9}},
              json{{"type", "dense"}, {"units", 2}}};
  s.set_data(&train, &test);
  EXPECT_NE(s.arch_error().find("conv2d"), std::string::npos) << s.arch_error();
  EXPECT_EQ(s.state(), Session::State::kNoModel);
  EXPECT_EQ(s.model(), nullptr);
  s.train();  // nothing to train: no effect, no crash
  s.update(0.01);
  EXPECT_EQ(s.batches_done(), 0);

  s.layers = dense_net(3);  // a valid chain, but 3 outputs for 2 classes
  s.rebuild();
  EXPECT_NE(s.arch_error().find("must give 2 values"), std::string::npos) << s.arch_error();
  ASSERT_EQ(s.layer_info().size(), 1u);
  EXPECT_EQ(s.layer_info()[0].output, "3");
  EXPECT_EQ(s.layer_info()[0].params, 36u * 3 + 3);

  s.layers = dense_net(2);
  s.rebuild();
  EXPECT_EQ(s.arch_error(), "");
  EXPECT_EQ(s.state(), Session::State::kReady);
  EXPECT_EQ(s.param_count(), 36u * 2 + 2);
}

TEST(Session, TrainsInSlicesEvaluatesAndFinishes) {
  Dataset train = halves(1000, 3), test = halves(300, 4);
  Session s;
  s.layers = dense_net(2);
  s.settings.batch_size = 10;
  s.settings.epochs = 1;
  s.settings.lr = 0.05f;
  s.set_data(&train, &test);
  ASSERT_EQ(s.state(), Session::State::kReady);

  s.step_batch();
  EXPECT_EQ(s.batches_done(), 1);
  EXPECT_EQ(s.state(), Session::State::kPaused);
  s.update(10.0);  // paused: nothing happens
  EXPECT_EQ(s.batches_done(), 1);

  s.train();
  for (int i = 0; i < 10000 && s.state() == Session::State::kTraining; ++i) s.update(0.001);
  EXPECT_EQ(s.state(), Session::State::kFinished);
  EXPECT_EQ(s.batches_done(), 100);
  EXPECT_EQ(s.epochs_done(), 1);
  // 100 batches: a curve point every 50, each with its validation point.
  EXPECT_EQ(s.curves().train_loss.size(), 2u);
  EXPECT_EQ(s.curves().val_acc.size(), 2u);
  const EvalResult* r = s.test_result();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->samples, 300);
  EXPECT_GT(r->accuracy, 0.95);
  EXPECT_EQ(s.test_result_epoch(), 1);

  // Probabilities for one sample sum to 1 and pick its class.
  Tensor one({1, 1, 6, 6});
  std::copy(test.x.sample(0), test.x.sample(0) + 36, one.data());
  std::vector<float> p = s.classify(one);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NEAR(p[0] + p[1], 1.f, 1e-5);
  EXPECT_EQ(p[1] > p[0], test.y[0] == 1.f);

  s.reset();
  EXPECT_EQ(s.batches_done(), 0);
  EXPECT_EQ(s.test_result(), nullptr);
  EXPECT_TRUE(s.curves().train_loss.empty());
}

TEST(Session, StopsAfterTheRequestedBatches) {
  Dataset train = halves(500, 5), test = halves(50, 6);
  Session s;
  s.layers = dense_net(2);
  s.set_data(&train, &test);
  s.stop_after_batches = 7;
  s.train();
  s.update(10.0);
  EXPECT_EQ(s.batches_done(), 7);
  EXPECT_EQ(s.state(), Session::State::kPaused);
}

TEST(Session, AdoptChecksTheModelAgainstTheData) {
  Dataset train = halves(40, 7), test = halves(20, 8);
  Session s;
  s.layers = dense_net(2);
  s.set_data(&train, &test);

  Model wrong_input({1, 1, 5, 5});
  wrong_input.add(make_brick(json{{"type", "dense"}, {"units", 2}}));
  wrong_input.build(1);
  EXPECT_THROW(s.adopt(std::move(wrong_input)), Error);

  Model wrong_classes({1, 1, 6, 6});
  wrong_classes.add(make_brick(json{{"type", "dense"}, {"units", 5}}));
  wrong_classes.build(1);
  EXPECT_THROW(s.adopt(std::move(wrong_classes)), Error);

  Model good({1, 1, 6, 6});
  good.add(make_brick(json{{"type", "dense"}, {"units", 4}}));
  good.add(make_brick(json{{"type", "relu"}}));
  good.add(make_brick(json{{"type", "dense"}, {"units", 2}}));
  good.build(1);
  good.metadata["epochs_done"] = 3;
  s.adopt(std::move(good));
  EXPECT_EQ(s.layers.size(), 3u);
  EXPECT_EQ(s.preset(), "");
  EXPECT_EQ(s.epochs_done(), 3);
  EXPECT_EQ(s.state(), Session::State::kReady);
  EXPECT_TRUE(s.evaluating());  // a loaded model is evaluated at once
  while (s.evaluating()) s.update(0.01);
  ASSERT_NE(s.test_result(), nullptr);
  EXPECT_EQ(s.test_result()->samples, 20);
}

// A dense layer with identity weights predicts argmax(x): the confusion
// matrix of hand-made samples is known exactly.
TEST(Evaluator, CountsEverySampleOnceInUnevenChunks) {
  Model m({1, 3, 1, 1});
  m.add(make_brick(json{{"type", "dense"}, {"units", 3}}));
  m.build(1);
  m.compile({.loss = {"softmax_crossentropy"}, .optimizer = "sgd", .metrics = {"accuracy"}});
  Param& w = *m.brick(0).params()[0];
  Param& b = *m.brick(0).params()[1];
  w.value.zero();
  b.value.zero();
  for (int i = 0; i < 3; ++i) w.value[size_t(i) * 3 + i] = 1.f;

  // 20 samples: truth t = i % 3, predicted p = (i % 5 == 0) ? (t + 1) % 3 : t.
  const int n = 20;
  Tensor x({n, 3, 1, 1}), y({n, 1, 1, 1});
  std::vector<int> expected(9, 0);
  int correct = 0;
  for (int i = 0; i < n; ++i) {
    const int t = i % 3, p = i % 5 == 0 ? (t + 1) % 3 : t;
    y[size_t(i)] = float(t);
    x.at(i, p) = 1.f;
    ++expected[size_t(t) * 3 + p];
    correct += t == p;
  }
  Evaluator e;
  e.start(x, y, n, 3);
  int calls = 0;
  while (!e.step(m, 7)) ++calls;  // 7 + 7 + 6
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(e.running());
  const EvalResult& r = e.result();
  EXPECT_EQ(r.samples, n);
  EXPECT_EQ(r.confusion, expected);
  EXPECT_DOUBLE_EQ(r.accuracy, double(correct) / n);
  // Class 0: samples 0, 3, ..., 18 (7), of which 0 and 15 are wrong.
  EXPECT_DOUBLE_EQ(r.class_accuracy(0), 5.0 / 7.0);
  EXPECT_GT(r.loss, 0.0);
}

}  // namespace
}  // namespace cnn::app
