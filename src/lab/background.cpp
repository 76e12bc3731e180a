#include "lab/background.h"

#include <algorithm>
#include <chrono>

#include "platform/main_thread.h"

namespace cnn::lab {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// --- Time slices ------------------------------------------------------------------

bool Background::run_unit() {
  if (!job_.has_work()) return false;
  const double t0 = now_seconds();
  job_.begin_unit();
  job_.compute_unit();  // one part: the time slice records it at once
  const double seconds = now_seconds() - t0;
  unit_seconds_ = unit_seconds_ == 0 ? seconds : 0.8 * unit_seconds_ + 0.2 * seconds;
  job_.end_unit();
  return true;
}

void Background::update(double budget_seconds) {
  if (has_worker()) return;
  const double start = now_seconds();
  while (run_unit() && now_seconds() - start + unit_seconds_ < budget_seconds) {
  }
}

// --- Worker thread -------------------------------------------------------------------

void Background::start_worker() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] { worker_loop(); });
}

void Background::stop_worker() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
  stop_ = false;
}

// Takes the lock to choose a unit and to record it, and computes without it.
// It starts no unit while a UI thread waits in lock() or wait_unit().
void Background::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (ui_waiting_.load() > 0 || !job_.has_work()) {
      wake_.wait(lock);
      continue;
    }
    if (claimed_) {
      give_frame(lock);
      continue;
    }
    if (job_.paced()) wait_for_late_frame(lock);
    if (stop_ || ui_waiting_.load() > 0 || !job_.has_work() || claimed_) continue;
    job_.begin_unit();
    computing_ = true;
    lock.unlock();
    // While a frame holds the lock, a unit that may go on does (a UI that
    // waits for the unit or the job gets it after this part).
    while (job_.compute_unit() && ui_waiting_.load() == 0 && !lock.try_lock()) {
    }
    if (!lock.owns_lock()) lock.lock();
    computing_ = false;
    job_.end_unit();
    wake_.notify_all();  // a UI in wait_unit()
  }
}

void Background::give_frame(std::unique_lock<std::mutex>& lock) {
  handover_t_ = now_seconds();
  wake_.wait_for(lock, std::chrono::duration<double>(kUiRequestSeconds),
                 [&] { return stop_ || !claimed_; });
  claimed_ = false;  // granted, or nobody came for it (a hidden tab)
  handover_t_ = 0;
}

void Background::frame_drawn() {
  ++frames_drawn_;
  last_frame_t_ = now_seconds();
}

void Background::wait_for_late_frame(std::unique_lock<std::mutex>& lock) {
  if (last_frame_t_ <= 0) return;
  const double t0 = now_seconds(), late = t0 - last_frame_t_;
  if (late < kFrameLateSeconds || late > kFrameGoneSeconds) return;
  const long seen = frames_drawn_;
  wake_.wait_for(lock, std::chrono::duration<double>(kFrameWaitSeconds),
                 [&] { return stop_ || frames_drawn_ != seen; });
  ++frame_waits_;
  frame_wait_seconds_ += now_seconds() - t0;
}

// --- The UI thread's lock ----------------------------------------------------------------

void Background::note_wait(double t0) {
  if (paced_frame_) longest_wait_ms_ = std::max(longest_wait_ms_, 1000 * (now_seconds() - t0));
}

void Background::lock() {
  const double t0 = now_seconds();
  ui_waiting_.fetch_add(1);
  platform::lock_on_ui_thread(mutex_);
  ui_waiting_.fetch_sub(1);
  lock_t0_ = t0;
  paced_frame_ = job_.paced();
  note_wait(t0);
}

bool Background::try_lock() {
  const double t0 = now_seconds();
  if (!mutex_.try_lock()) return false;
  lock_t0_ = t0;
  paced_frame_ = job_.paced();
  return true;
}

bool Background::claim() {
  if (!computing_) {
    if (claimed_ && handover_t_ > 0 && job_.paced())
      longest_wait_ms_ = std::max(longest_wait_ms_, 1000 * (now_seconds() - handover_t_));
    claimed_ = false;
    return true;
  }
  claimed_ = true;
  return false;
}

void Background::wait_unit() {
  if (!computing_) return;
  const double t0 = now_seconds();
  ui_waiting_.fetch_add(1);
  while (computing_) {
    mutex_.unlock();
    platform::yield_on_ui_thread();  // the worker takes the lock and records its unit
    platform::lock_on_ui_thread(mutex_);
  }
  ui_waiting_.fetch_sub(1);
  note_wait(t0);
  wake_.notify_all();
}

void Background::unlock() {
  // Frames that start the work (Train, or data arriving with autostart) are
  // not paced frames: only those that began and ended while paced count.
  if (paced_frame_ && job_.paced())
    longest_frame_ms_ = std::max(longest_frame_ms_, 1000 * (now_seconds() - lock_t0_));
  mutex_.unlock();
  wake_.notify_all();
}

}  // namespace cnn::lab
