// A small fork-join pool: workers sleep on a condition variable, the caller
// hands out parts through an atomic counter and works on them too. A training
// step makes dozens of short parallel calls, so both sides spin briefly
// before they sleep: a wake-up through the condition variable costs tens of
// microseconds (more under WebAssembly, where it is Atomics.wait/notify).
#include "kernels/threads.h"

// WebAssembly without pthreads runs one thread; with them (-pthread, the
// CNN_WASM_THREADS build) the pool below works as natively.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)

namespace cnn::kernels {
void set_threads(int) {}
int threads() {
  return 1;
}
long parts_run_by_workers() {
  return 0;
}
void parallel_for(int count, void (*fn)(void*, int), void* context) {
  for (int part = 0; part < count; ++part) fn(context, part);
}
}  // namespace cnn::kernels

#else

#include <algorithm>
#include <atomic>
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/threading.h>
#endif
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace cnn::kernels {
namespace {

class Pool {
 public:
  ~Pool() { resize(0); }

  void resize(int workers) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      ++generation_;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
    workers_.clear();
    stop_ = false;
    // A worker must know which generation it has seen from the start, or it
    // could sleep through the first run.
    const unsigned generation = generation_;
    for (int i = 0; i < workers; ++i)
      workers_.emplace_back([this, generation] { work(generation); });
    size_.store(workers);
  }
  int size() const { return size_.load(); }
  long worker_parts() const { return worker_parts_.load(); }

  void run(int count, void (*fn)(void*, int), void* context) {
    std::unique_lock<std::mutex> lock(mutex_);
    fn_ = fn;
    context_ = context;
    count_ = count;
    next_.store(0);
    busy_ = int(workers_.size());
    ++generation_;
    lock.unlock();
    wake_.notify_all();
    take_parts();
    spin_while([this] { return busy_.load() != 0; });
    lock.lock();
    done_.wait(lock, [this] { return busy_ == 0; });
  }

 private:
  // Returns the number of parts this thread ran.
  long take_parts() {
    long taken = 0;
    for (int part; (part = next_.fetch_add(1)) < count_; ++taken) fn_(context_, part);
    return taken;
  }

  // Up to ~20-50 us of polling (a bounded count: reading a clock costs a
  // call into JavaScript under WebAssembly).
  template <class Busy>
  static void spin_while(const Busy& busy) {
    for (int i = 0; i < (1 << 14) && busy(); ++i) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
  }

  void work(unsigned seen) {
    for (;;) {
      spin_while([&] { return generation_.load() == seen; });
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      if (stop_) return;
      lock.unlock();
      worker_parts_.fetch_add(take_parts());
      lock.lock();
      if (--busy_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::atomic<unsigned> generation_{0};  // changed under mutex_, polled without
  bool stop_ = false;
  void (*fn_)(void*, int) = nullptr;
  void* context_ = nullptr;
  int count_ = 0;
  std::atomic<int> busy_{0};
  std::atomic<int> next_{0}, size_{0};
  std::atomic<long> worker_parts_{0};
};

Pool& pool() {
  static Pool p;
  return p;
}
std::mutex g_run_mutex;  // one parallel_for at a time; nested or concurrent calls run serially
thread_local bool t_inside = false;

#ifdef __EMSCRIPTEN__
// A browser's main thread must not wait for workers (Emscripten warns, and the
// page would stall), but node's may: the CLI (cnn-mt.js) runs on it, and
// without this every --threads N ran its parts one after another there.
bool main_thread_may_wait() {
  static const bool node =
      EM_ASM_INT({ return typeof process == 'object' && !!(process.versions || {}).node; });
  return node;
}
#endif

}  // namespace

void set_threads(int count) {
  std::lock_guard<std::mutex> lock(g_run_mutex);
  pool().resize(std::max(1, count) - 1);
}
int threads() {
  return pool().size() + 1;
}
long parts_run_by_workers() {
  return pool().worker_parts();
}

void parallel_for(int count, void (*fn)(void*, int), void* context) {
  std::unique_lock<std::mutex> lock(g_run_mutex, std::defer_lock);
  // The browser's main thread must not wait for workers: it runs the parts itself.
#ifdef __EMSCRIPTEN__
  const bool may_wait = !emscripten_is_main_browser_thread() || main_thread_may_wait();
#else
  const bool may_wait = true;
#endif
  if (count <= 1 || t_inside || pool().size() == 0 || !may_wait || !lock.try_lock()) {
    for (int part = 0; part < count; ++part) fn(context, part);
    return;
  }
  t_inside = true;
  pool().run(count, fn, context);
  t_inside = false;
}

}  // namespace cnn::kernels

#endif

// Per-thread scratch for the GEMM packing buffers (declared in gemm_driver.h).
// Kept here, in a file built without SIMD flags, so std::vector's code is not
// compiled (and then shared at link time) with one ISA's flags.
#include <cstdint>
#include <vector>

namespace cnn::kernels {

float* thread_scratch(size_t floats) {
  thread_local std::vector<float> buffer;
  if (buffer.size() < floats + 16) buffer.resize(floats + 16);
  const size_t misalign = (reinterpret_cast<uintptr_t>(buffer.data()) / sizeof(float)) % 16;
  return buffer.data() + (misalign ? 16 - misalign : 0);
}

}  // namespace cnn::kernels
