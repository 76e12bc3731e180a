// The playground's training session and chunked evaluation, without a
// window: invalid architectures are reported (not thrown), training advances
// only through update() / step_batch(), evaluation in uneven chunks counts
// every sample once, loaded models are checked against the data, the
// training settings reach the model, and a worker thread trains exactly as
// time slices do and stops within one batch on Pause.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "bricks/brick.h"
#include "core/rng.h"
#include "kernels/threads.h"
#include "lab/evaluator.h"
#include "lab/session.h"

namespace cnn::lab {
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

TEST(Session, SettingsReachTheCompiledModel) {
  Dataset train = halves(200, 9), test = halves(50, 10);
  Session s;
  s.layers = {json{{"type", "dense"}, {"units", 8}}, json{{"type", "relu"}},
              json{{"type", "dropout"}, {"rate", 0.5}}, json{{"type", "dense"}, {"units", 2}}};
  s.settings.loss = "max_margin";
  s.settings.optimizer = "sgd";
  s.settings.lr = 0.04f;
  s.settings.l2 = 1e-3f;
  s.settings.schedule = "step";
  s.settings.schedule_every = 1;
  s.settings.schedule_factor = 0.5f;
  s.settings.batch_size = 50;
  s.settings.epochs = 2;
  s.set_data(&train, &test);
  ASSERT_EQ(s.arch_error(), "");
  EXPECT_EQ(s.model()->loss(0).config()["type"], "max_margin");
  EXPECT_EQ(std::string(s.model()->optimizer()->type()), "sgd");
  EXPECT_FLOAT_EQ(s.model()->optimizer()->l2, 1e-3f);
  ASSERT_NE(s.model()->schedule(), nullptr);
  EXPECT_EQ(s.model()->schedule()->config()["type"], "step");

  // Dropout: every dropout brick gets the rate, in the layers and the model.
  EXPECT_EQ(s.dropout_layers(), 1);
  s.set_dropout_rate(0.2f);
  EXPECT_FLOAT_EQ(s.dropout_rate(), 0.2f);
  EXPECT_FLOAT_EQ(s.model()->brick(2).config()["rate"].get<float>(), 0.2f);

  // The step schedule halves the rate after the first epoch; the curve shows it.
  s.train();
  for (int i = 0; i < 1000 && s.state() == Session::State::kTraining; ++i) s.update(0.01);
  ASSERT_EQ(s.state(), Session::State::kFinished);
  EXPECT_FLOAT_EQ(s.current_learning_rate(), 0.02f);
  ASSERT_EQ(s.curves().lr.size(), 0u);  // 8 batches: no curve point yet
  // A new base rate keeps the schedule's share: epoch 2 runs at half of it.
  s.settings.lr = 0.1f;
  s.apply_learning_rate();
  EXPECT_FLOAT_EQ(s.current_learning_rate(), 0.05f);
  s.settings.l2 = 0;
  s.apply_learning_rate();
  EXPECT_EQ(s.model()->optimizer()->l2, 0.f);

  // Cross-entropy on probabilities without a softmax at the end is refused.
  s.settings.loss = "categorical_crossentropy";
  s.rebuild();
  EXPECT_NE(s.arch_error().find("end the model with a softmax layer"), std::string::npos)
      << s.arch_error();
  s.layers.push_back(json{{"type", "softmax"}});
  s.rebuild();
  EXPECT_EQ(s.arch_error(), "");
}

TEST(Session, LearningRateCurveFollowsTheSchedule) {
  Dataset train = halves(1000, 11), test = halves(100, 12);
  Session s;
  s.layers = dense_net(2);
  s.settings.lr = 0.04f;
  s.settings.batch_size = 10;  // 100 batches an epoch: curve points at 50 and 100
  s.settings.epochs = 2;
  s.set_data(&train, &test);
  s.train();
  for (int i = 0; i < 10000 && s.state() == Session::State::kTraining; ++i) s.update(0.01);
  ASSERT_EQ(s.state(), Session::State::kFinished);
  EXPECT_EQ(s.curves().lr, (std::vector<float>{0.04f, 0.04f, 0.02f, 0.02f}));
}

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)

// Waits (as the UI does, frame by frame) until training has stopped.
void wait_until_idle(Session& s) {
  for (int i = 0; i < 100000; ++i) {
    {
      std::lock_guard<Session> lock(s);
      if (s.state() != Session::State::kTraining && !s.evaluating()) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  FAIL() << "training did not stop";
}

// A small conv net, so the kernels' threads have work to split.
std::vector<json> conv_net() {
  return {json{{"type", "conv2d"}, {"filters", 4}, {"kernel", 3}, {"pad", 1}},
          json{{"type", "relu"}}, json{{"type", "dense"}, {"units", 2}}};
}

TEST(Session, WorkerThreadGivesTheSameResultsAsTimeSlices) {
  Dataset train = halves(1200, 13), test = halves(300, 14);
  auto configure = [&](Session& s) {
    s.layers = conv_net();
    s.settings.batch_size = 16;
    s.settings.epochs = 2;
    s.settings.lr = 0.01f;
    s.set_data(&train, &test);
  };
  Session sliced;
  configure(sliced);
  sliced.train();
  for (int i = 0; i < 100000 && sliced.state() == Session::State::kTraining; ++i)
    sliced.update(0.002);
  ASSERT_EQ(sliced.state(), Session::State::kFinished);

  kernels::set_threads(2);
  Session threaded;
  configure(threaded);
  threaded.start_worker();
  ASSERT_TRUE(threaded.has_worker());
  {
    std::lock_guard<Session> lock(threaded);
    threaded.train();
  }
  wait_until_idle(threaded);
  threaded.stop_worker();
  kernels::set_threads(1);

  ASSERT_EQ(threaded.state(), Session::State::kFinished);
  EXPECT_EQ(threaded.batches_done(), sliced.batches_done());
  EXPECT_EQ(threaded.curves().train_loss, sliced.curves().train_loss);
  EXPECT_EQ(threaded.curves().val_loss, sliced.curves().val_loss);
  ASSERT_NE(threaded.test_result(), nullptr);
  EXPECT_EQ(threaded.test_result()->loss, sliced.test_result()->loss);
  EXPECT_EQ(threaded.test_result()->confusion, sliced.test_result()->confusion);
  const Tensor& a = threaded.model()->brick(0).params()[0]->value;
  const Tensor& b = sliced.model()->brick(0).params()[0]->value;
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << "weight " << i;
}

TEST(Session, PauseStopsTheWorkerWithinOneBatch) {
  Dataset train = halves(20000, 15), test = halves(100, 16);
  Session s;
  s.layers = conv_net();
  s.settings.batch_size = 8;
  s.set_data(&train, &test);
  s.start_worker();
  {
    std::lock_guard<Session> lock(s);
    s.train();
  }
  // Let it train a little, then pause as the UI does (inside a frame).
  long at_pause = 0;
  for (int frame = 0; frame < 10000 && at_pause < 3; ++frame) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::lock_guard<Session> lock(s);
    if (s.batches_done() >= 3) {
      s.pause();
      at_pause = s.batches_done();
    }
  }
  ASSERT_GE(at_pause, 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  long paused_at = 0;
  {
    std::lock_guard<Session> lock(s);
    // The worker computes without the lock: the batch it was inside when
    // Pause came (one part of 8 images here) lands, and no batch after it.
    EXPECT_GE(s.batches_done(), at_pause);
    EXPECT_LE(s.batches_done(), at_pause + 1);
    EXPECT_EQ(s.state(), Session::State::kPaused);
    paused_at = s.batches_done();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  {
    std::lock_guard<Session> lock(s);
    EXPECT_EQ(s.batches_done(), paused_at) << "training went on after Pause";
    at_pause = paused_at;
    s.train();  // resumes
  }
  for (int i = 0; i < 5000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<Session> lock(s);
    if (s.batches_done() > at_pause + 2) break;
  }
  std::lock_guard<Session> lock(s);
  EXPECT_GT(s.batches_done(), at_pause + 2);
  s.pause();
}

// Enough work per unit (a conv net on 1x6x6 images, batches of 64 in parts
// of 8) that frames catch the worker inside a unit.
Session& start_training(Session& s, Dataset& train, Dataset& test) {
  s.layers = {json{{"type", "conv2d"}, {"filters", 16}, {"kernel", 3}, {"pad", 1}},
              json{{"type", "relu"}},
              json{{"type", "conv2d"}, {"filters", 16}, {"kernel", 3}, {"pad", 1}},
              json{{"type", "relu"}}, json{{"type", "dense"}, {"units", 2}}};
  s.settings.batch_size = 64;
  s.settings.epochs = 50;
  s.set_data(&train, &test);
  s.start_worker();
  std::lock_guard<Session> lock(s);
  s.train();
  return s;
}

// The web page's frames use try_lock() and never wait: the worker holds the
// lock only to choose and record units, so frames get it while it trains,
// even in the middle of a unit (the model is then busy), and training goes
// on between them.
TEST(Session, FramesGetTheSessionWhileTheWorkerIsInsideAUnit) {
  Dataset train = halves(20000, 17), test = halves(100, 18);
  Session s;
  start_training(s, train, test);
  int got = 0, busy = 0;
  long first = -1, last = -1;
  for (int frame = 0; frame < 300 && got < 20; ++frame) {  // 16 ms frames, at most ~5 s
    std::this_thread::sleep_for(std::chrono::milliseconds(16));
    if (!s.try_lock()) continue;
    ++got;
    busy += s.model_busy();
    if (first < 0) first = s.batches_done();
    last = s.batches_done();
    s.unlock();
  }
  EXPECT_EQ(got, 20) << "try_lock() did not get the session from the training worker";
  EXPECT_GT(busy, 0) << "no frame got the session while the worker was inside a unit";
  EXPECT_GT(last, first) << "the worker did not train between the frames";
  std::lock_guard<Session> lock(s);
  s.pause();
}

// A panel that needs the model (the maps, the pad) claims it: while a unit
// runs, the claim asks the worker to hand the next frame the lock between two
// units, and a following frame gets the model. A claim nobody follows up (a
// hidden tab) lapses, and training goes on at full speed.
TEST(Session, ClaimModelGetsTheModelWithinAFewFramesAndLapsesWithoutFrames) {
  Dataset train = halves(20000, 19), test = halves(100, 20);
  Session s;
  start_training(s, train, test);
  int claimed = 0, frames = 0;
  long first = -1, last = -1;
  for (; frames < 300 && claimed < 5; ++frames) {
    std::this_thread::sleep_for(std::chrono::milliseconds(16));
    std::lock_guard<Session> lock(s);
    if (!s.claim_model()) continue;
    ASSERT_FALSE(s.model_busy());
    // The model is the UI's for this frame: a forward pass, as the pad does.
    const std::vector<float> p = s.classify(Tensor({1, 1, 6, 6}, 0.5f));
    ASSERT_EQ(p.size(), 2u);
    ++claimed;
    if (first < 0) first = s.batches_done();
    last = s.batches_done();
  }
  EXPECT_EQ(claimed, 5) << "claim_model() did not get the model in " << frames << " frames";
  EXPECT_GT(last, first) << "the worker did not train between the claims";

  // One claim, then no frames: the worker waits kUiRequestSeconds at most.
  {
    std::lock_guard<Session> lock(s);
    if (s.model_busy()) {
      EXPECT_FALSE(s.claim_model());
    }
  }
  std::this_thread::sleep_for(
      std::chrono::milliseconds(int(1000 * Background::kUiRequestSeconds) + 50));
  long before = 0;
  {
    std::lock_guard<Session> lock(s);
    before = s.batches_done();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  std::lock_guard<Session> lock(s);
  EXPECT_GT(s.batches_done(), before + 5) << "the worker kept waiting for a frame that never came";
  s.pause();
}

// Frame pacing: frames that come late (a renderer starved of CPU) make the
// worker wait for them between units; frames that stop coming (a hidden tab)
// do not slow training.
TEST(Session, TheWorkerWaitsForLateFramesButNotForAHiddenPage) {
  Dataset train = halves(20000, 23), test = halves(100, 24);
  Session s;
  start_training(s, train, test);
  auto draw = [&] {
    std::lock_guard<Session> lock(s);
    s.frame_drawn();
    return std::make_pair(s.frame_waits(), s.batches_done());
  };
  // Frames 2.5x kFrameLateSeconds apart: every gap is late.
  const auto late = std::chrono::duration<double>(2.5 * Background::kFrameLateSeconds);
  const auto [waits0, batches0] = draw();
  for (int frame = 0; frame < 12; ++frame) {
    std::this_thread::sleep_for(late);
    draw();
  }
  const auto [waits1, batches1] = draw();
  EXPECT_GE(waits1 - waits0, 6) << "the worker did not wait for late frames";
  EXPECT_GT(batches1, batches0) << "the worker stopped training between late frames";
  // No frame for longer than kFrameGoneSeconds: no more waiting.
  std::this_thread::sleep_for(std::chrono::duration<double>(Background::kFrameGoneSeconds + 0.1));
  long waits2 = 0, batches2 = 0;
  {
    std::lock_guard<Session> lock(s);
    waits2 = s.frame_waits();
    batches2 = s.batches_done();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::lock_guard<Session> lock(s);
  EXPECT_EQ(s.frame_waits(), waits2) << "the worker waited for frames of a hidden page";
  EXPECT_GT(s.batches_done(), batches2 + 5);
  s.pause();
}

// A user action that changes the training (here Reset) waits for the unit in
// progress: afterwards the model is free and fresh, and nothing trains.
TEST(Session, ResetWhileTheWorkerIsInsideAUnitWaitsForIt) {
  Dataset train = halves(20000, 21), test = halves(100, 22);
  Session s;
  start_training(s, train, test);
  int resets = 0;
  for (int frame = 0; frame < 300 && resets == 0; ++frame) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard<Session> lock(s);
    if (!s.model_busy()) continue;  // only in the middle of a unit
    s.reset();
    ++resets;
    EXPECT_FALSE(s.model_busy());
    EXPECT_EQ(s.state(), Session::State::kReady);
    EXPECT_EQ(s.batches_done(), 0);
  }
  ASSERT_EQ(resets, 1) << "no frame caught the worker inside a unit";
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::lock_guard<Session> lock(s);
  EXPECT_EQ(s.batches_done(), 0) << "the worker trained after Reset";
  EXPECT_EQ(s.state(), Session::State::kReady);
}

#endif

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
}  // namespace cnn::lab
