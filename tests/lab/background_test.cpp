// The one background-work mechanism (lab/background.h) on a toy job: units
// run in time slices and on a worker with the same results, pausing takes
// effect after the unit in progress, the UI lock never waits for a unit,
// claim() and wait_unit() hand the job's state to the UI, a unit in parts
// goes on while a frame holds the lock, and frame pacing waits for late
// frames but not for a hidden page.
#include "lab/background.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace cnn::lab {
namespace {

using namespace std::chrono_literals;

// Counts: each unit mixes its index into a running value (computed without
// the lock) and records the value (with it). A unit may come in `parts`.
class Toy : public BackgroundJob {
 public:
  explicit Toy(int units, std::chrono::milliseconds part_time = 0ms, int parts = 1)
      : units_(units), part_time_(part_time), parts_(parts) {}
  ~Toy() override { background.stop_worker(); }

  // The UI's side (lock held).
  bool running = true;
  bool pace = false;
  std::vector<long> recorded;

  // Counted from the worker, read by the test without the lock.
  std::atomic<int> computing{0};  // inside compute_unit()
  std::atomic<long> parts_done{0};

  bool has_work() const override { return running && int(recorded.size()) < units_; }
  void begin_unit() override {
    index_ = int(recorded.size());
    part_ = 0;
  }
  bool compute_unit() override {
    computing = 1;
    if (part_time_ > 0ms) std::this_thread::sleep_for(part_time_);
    value_ = value_ * 31 + index_ * 7 + part_;
    ++part_;
    ++parts_done;
    computing = 0;
    return part_ < parts_;
  }
  void end_unit() override {
    // Time slices record after each part; the worker may compute several.
    recorded.push_back(value_);
  }
  bool paced() const override { return pace; }

  Background background{*this};

 private:
  int units_;
  std::chrono::milliseconds part_time_;
  int parts_;
  int index_ = 0, part_ = 0;
  long value_ = 1;
};

// Polls, under the lock, until `done` or two seconds have passed.
template <class F>
bool until(Toy& toy, F done) {
  for (int i = 0; i < 400; ++i) {
    {
      std::lock_guard<Background> lock(toy.background);
      if (done()) return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

// Without a worker (the single-threaded page) every unit runs, in order, on
// the calling thread, and nothing is left over.
TEST(Background, TimeSlicesRunEveryUnit) {
  Toy toy(20);
  int units = 0;
  while (toy.background.run_unit()) ++units;
  EXPECT_EQ(units, 20);
  EXPECT_EQ(toy.recorded.size(), 20u);
  EXPECT_FALSE(toy.background.has_worker());
  toy.background.update(1.0);  // nothing left: returns at once
  EXPECT_EQ(toy.recorded.size(), 20u);
}

// A frame of time slices is max(budget, one unit), not budget + one unit:
// 30 ms units in a 100 ms budget make three units (90 ms), not four (120 ms).
TEST(Background, AFrameOfTimeSlicesHasAtLeastOneUnitAndStaysWithinItsBudget) {
  Toy toy(1000, 30ms);
  toy.background.update(0);  // no budget: still one unit
  EXPECT_EQ(toy.recorded.size(), 1u);
  const auto t0 = std::chrono::steady_clock::now();
  toy.background.update(0.1);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GE(toy.recorded.size(), 1u + 2u);
  EXPECT_LE(toy.recorded.size(), 1u + 3u);
  EXPECT_LT(seconds, 0.1 + 0.015) << "a frame of time slices went past its budget";
}

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)

TEST(Background, TimeSlicesAndTheWorkerGiveTheSameResults) {
  Toy sliced(50);
  while (sliced.background.run_unit()) {
  }
  EXPECT_FALSE(sliced.background.run_unit());
  ASSERT_EQ(sliced.recorded.size(), 50u);

  Toy threaded(50);
  threaded.background.start_worker();
  ASSERT_TRUE(until(threaded, [&] { return threaded.recorded.size() == 50; }));
  threaded.background.stop_worker();
  EXPECT_EQ(threaded.recorded, sliced.recorded);
}

TEST(Background, PauseTakesEffectAfterTheUnitInProgress) {
  Toy toy(100000, 10ms);
  toy.background.start_worker();
  ASSERT_TRUE(until(toy, [&] { return toy.recorded.size() >= 3; }));
  size_t at_pause = 0;
  {
    std::lock_guard<Background> lock(toy.background);
    toy.running = false;
    at_pause = toy.recorded.size();
  }
  std::this_thread::sleep_for(100ms);
  std::lock_guard<Background> lock(toy.background);
  EXPECT_LE(toy.recorded.size(), at_pause + 1) << "units went on after the pause";
}

// A unit takes 300 ms; the UI's lock(), try_lock() and unlock() do not wait for it.
TEST(Background, TheUiLockNeverWaitsForAUnit) {
  Toy toy(1000, 300ms);
  toy.background.start_worker();
  for (int i = 0; i < 200 && toy.computing == 0; ++i) std::this_thread::sleep_for(2ms);
  ASSERT_EQ(toy.computing, 1) << "the worker did not start a unit";
  std::this_thread::sleep_for(20ms);
  const auto t0 = std::chrono::steady_clock::now();
  toy.background.lock();
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_TRUE(toy.background.busy());
  toy.background.unlock();
  EXPECT_LT(waited, 0.1) << "lock() waited for the unit in progress";
  ASSERT_TRUE(toy.background.try_lock()) << "try_lock() failed while the worker computed";
  EXPECT_TRUE(toy.background.busy());
  toy.background.unlock();
  std::lock_guard<Background> lock(toy.background);
  toy.running = false;
}

// wait_unit(): the unit in progress is recorded and the state is the UI's.
// claim(): the worker hands the next frame the lock between two units.
TEST(Background, WaitUnitAndClaimGiveTheJobToTheUi) {
  Toy toy(100000, 30ms);
  toy.background.start_worker();
  for (int i = 0; i < 200 && toy.computing == 0; ++i) std::this_thread::sleep_for(2ms);
  {
    std::lock_guard<Background> lock(toy.background);
    ASSERT_TRUE(toy.background.busy());
    const size_t before = toy.recorded.size();
    toy.background.wait_unit();
    EXPECT_FALSE(toy.background.busy());
    EXPECT_EQ(toy.computing, 0);
    EXPECT_EQ(toy.recorded.size(), before + 1) << "the unit in progress was not recorded";
  }
  // Each refused claim makes the worker hand over the lock after its unit:
  // the next frames get the job (units of 30 ms, a frame every 16 ms).
  int claimed = 0, frames = 0, refused_in_a_row = 0, most_refused_in_a_row = 0;
  for (; frames < 100 && claimed < 5; ++frames) {
    std::this_thread::sleep_for(16ms);
    std::lock_guard<Background> lock(toy.background);
    if (!toy.background.claim()) {
      most_refused_in_a_row = std::max(most_refused_in_a_row, ++refused_in_a_row);
      continue;
    }
    refused_in_a_row = 0;
    EXPECT_EQ(toy.computing, 0) << "claim() gave the job while a unit ran";
    std::this_thread::sleep_for(40ms);  // the UI works on the job: no unit starts
    EXPECT_EQ(toy.computing, 0);
    ++claimed;
  }
  EXPECT_LE(most_refused_in_a_row, 3) << "the worker did not hand the lock to the next frames";
  EXPECT_EQ(claimed, 5) << "claim() did not get the job in " << frames << " frames";
  std::lock_guard<Background> lock(toy.background);
  toy.running = false;
}

// The parts of one unit go on while a frame holds the lock.
TEST(Background, AUnitInPartsGoesOnWhileAFrameHoldsTheLock) {
  Toy toy(1000, 10ms, 1000);
  toy.background.start_worker();
  ASSERT_TRUE(until(toy, [&] { return toy.parts_done > 2; }));
  std::lock_guard<Background> lock(toy.background);
  const long before = toy.parts_done;
  std::this_thread::sleep_for(150ms);
  EXPECT_GT(toy.parts_done, before + 5) << "the worker stopped while the frame held the lock";
  toy.running = false;
}

// Frames 2.5x kFrameLateSeconds apart make a paced job wait for them;
// no frames for longer than kFrameGoneSeconds (a hidden page) do not.
TEST(Background, PacingWaitsForLateFramesButNotForAHiddenPage) {
  Toy toy(1000000, 2ms);
  toy.pace = true;
  toy.background.start_worker();
  auto draw = [&] {
    std::lock_guard<Background> lock(toy.background);
    toy.background.frame_drawn();
    return std::make_pair(toy.background.frame_waits(), toy.recorded.size());
  };
  const auto late = std::chrono::duration<double>(2.5 * Background::kFrameLateSeconds);
  const auto [waits0, units0] = draw();
  for (int frame = 0; frame < 12; ++frame) {
    std::this_thread::sleep_for(late);
    draw();
  }
  const auto [waits1, units1] = draw();
  EXPECT_GE(waits1 - waits0, 6) << "the worker did not wait for late frames";
  EXPECT_GT(units1, units0) << "the worker stopped between late frames";
  std::this_thread::sleep_for(std::chrono::duration<double>(Background::kFrameGoneSeconds + 0.1));
  long waits2 = 0;
  size_t units2 = 0;
  {
    std::lock_guard<Background> lock(toy.background);
    waits2 = toy.background.frame_waits();
    units2 = toy.recorded.size();
  }
  std::this_thread::sleep_for(300ms);
  std::lock_guard<Background> lock(toy.background);
  EXPECT_EQ(toy.background.frame_waits(), waits2) << "the worker waited for a hidden page";
  EXPECT_GT(toy.recorded.size(), units2 + 20);
  toy.running = false;
}

// An unpaced job (style transfer, transfer learning) never waits for frames.
TEST(Background, AnUnpacedJobDoesNotWaitForFrames) {
  Toy toy(1000000, 2ms);
  toy.background.start_worker();
  for (int frame = 0; frame < 6; ++frame) {
    std::this_thread::sleep_for(2.5 * std::chrono::duration<double>(Background::kFrameLateSeconds));
    std::lock_guard<Background> lock(toy.background);
    toy.background.frame_drawn();
  }
  std::lock_guard<Background> lock(toy.background);
  EXPECT_EQ(toy.background.frame_waits(), 0);
  toy.running = false;
}

#endif  // threads

}  // namespace
}  // namespace cnn::lab
