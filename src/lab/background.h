// Background work for the playground: training (Session), style transfer
// (StyleJob) and transfer learning (TransferJob) all run on this one
// mechanism.
//
// A job's work is units (a part of a training batch, an evaluation chunk, a
// style iteration, ...), done in one of two ways, with the same results:
//  - time slices: update(budget) on the UI thread works until the budget is
//    spent (the single-threaded web page);
//  - a worker thread (start_worker(); desktop, cross-origin-isolated page).
//    The UI thread holds the lock (lock(), or try_lock() on the browser's
//    main thread, which must never block) while it builds a frame or reads
//    the job, so panel code needs no locking of its own. The worker takes
//    the lock only to choose a unit and to record its results, and computes
//    without it: a frame never waits for a unit of work, so the UI stays as
//    smooth as the machine allows while the job runs at full speed.
//
// Each unit goes in three steps (BackgroundJob): chosen with the lock held
// (begin_unit(); from then on the job's computing state is the unit's
// alone: busy()), computed without it (compute_unit(), which touches only
// that state), and recorded with the lock held again (end_unit(): what the
// UI reads). A panel that needs the computing state (a model's maps) asks
// with claim(): if it is busy, the worker hands the next frame the lock
// between two units. A user action that changes the job first waits for the
// unit in progress (wait_unit(), one unit at most).
//
// Frame pacing: where the page's renderer shares the cores with the work
// (software WebGL on a machine without a GPU), a worker that never pauses
// takes the CPU the next frame needs. So while the job is paced() and the
// last frame (frame_drawn()) is more than kFrameLateSeconds old, the worker
// waits for the next one (kFrameWaitSeconds at most) before its next unit.
// A frame that is kFrameGoneSeconds old is not coming (a hidden tab, a
// minimised window): the work goes on at full speed.
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace cnn::lab {

// What Background runs. The calls come from one thread at a time: the
// worker, or the UI thread in time slices.
class BackgroundJob {
 public:
  virtual ~BackgroundJob() = default;
  // Lock held: whether there is a unit of work now.
  virtual bool has_work() const = 0;
  // Lock held: chooses the next unit.
  virtual void begin_unit() = 0;
  // Lock not held (on the worker): computes the unit. Returns true when the
  // unit is not complete and may go on without being recorded first (the
  // parts of one batch need nothing from the UI): the worker then computes
  // again while a frame holds the lock.
  virtual bool compute_unit() = 0;
  // Lock held: records the unit's results where the UI reads them.
  virtual void end_unit() = 0;
  // Lock held: the job runs flat out while the user watches (training):
  // frames are paced and measured.
  virtual bool paced() const { return false; }
};

class Background {
 public:
  static constexpr double kUiRequestSeconds = 0.1;
  static constexpr double kFrameLateSeconds = 0.04;
  static constexpr double kFrameWaitSeconds = 0.06;
  static constexpr double kFrameGoneSeconds = 1.0;

  explicit Background(BackgroundJob& job) : job_(job) {}
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  // Stops the worker. A job that owns its Background stops it in its own
  // destructor, while the job is still whole.
  ~Background() { stop_worker(); }

  // --- Time slices ---------------------------------------------------------
  // Without a worker: at least one unit, then only units expected to end
  // within the budget (a frame is max(budget, one unit), not budget + one
  // unit). A no-op with a worker.
  void update(double budget_seconds);
  // One whole unit on the calling thread; false when there was nothing to do.
  bool run_unit();

  // --- Worker thread ---------------------------------------------------------
  void start_worker();
  void stop_worker();  // after the unit in progress; update() works again
  bool has_worker() const { return worker_.joinable(); }

  // --- The UI thread's lock (BasicLockable) -------------------------------------
  // The worker holds it only between units, so lock() waits microseconds,
  // not for a unit of work. Also measures how long the UI held it.
  void lock();
  void unlock();
  // Takes the lock if free; otherwise the frame is skipped (false). For the
  // browser's main thread, which must never block.
  bool try_lock();
  // With the lock held: whether the worker is inside a unit.
  bool busy() const { return computing_; }
  // With the lock held, for work on the job's computing state that can wait
  // a frame or two: true when it is free for the rest of this frame (the
  // worker starts no unit while the UI holds the lock); otherwise asks the
  // worker to hand the lock to the next frame between two units (it waits
  // kUiRequestSeconds at most) and returns false.
  bool claim();
  // With the lock held: waits until the unit in progress has ended, letting
  // the lock go meanwhile (the worker records its unit). For user actions.
  void wait_unit();
  // Wakes the worker after a change made without the lock (tests, set-up).
  void notify() { wake_.notify_all(); }

  // --- Frame pacing (see the top of this file) -------------------------------------
  // The UI thread, lock held, once per drawn frame.
  void frame_drawn();
  long frame_waits() const { return frame_waits_; }
  double frame_wait_seconds() const { return frame_wait_seconds_; }
  // While paced: the longest time from lock() to unlock() (ms), and the
  // longest wait for the lock (lock(), wait_unit(); with claim(), the time
  // from the worker's hand-over to the frame that came).
  double longest_frame_ms() const { return longest_frame_ms_; }
  double longest_wait_ms() const { return longest_wait_ms_; }

 private:
  void worker_loop();
  // Worker, lock held: lets a frame that asked with claim() have the lock.
  void give_frame(std::unique_lock<std::mutex>& lock);
  // Worker, lock held, while paced: waits for a late frame.
  void wait_for_late_frame(std::unique_lock<std::mutex>& lock);
  void note_wait(double t0);

  BackgroundJob& job_;
  std::thread worker_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<int> ui_waiting_{0};      // UI threads in lock() or wait_unit()
  std::atomic<bool> computing_{false};  // the worker is inside a unit (busy())
  bool claimed_ = false;                // a frame asked with claim()
  double handover_t_ = 0;               // give_frame() waiting since (0: not waiting)
  bool stop_ = false;
  double unit_seconds_ = 0;  // running estimate of one unit (time slices)
  double lock_t0_ = 0, longest_frame_ms_ = 0, longest_wait_ms_ = 0;
  bool paced_frame_ = false;  // the frame holding the lock began while paced
  long frames_drawn_ = 0, frame_waits_ = 0;
  double last_frame_t_ = 0, frame_wait_seconds_ = 0;
};

// Seconds on a monotonic clock (performance.now() in the browser).
double now_seconds();

}  // namespace cnn::lab
