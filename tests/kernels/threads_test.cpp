// The kernels' thread pool really runs parts on its other threads: a pool
// that ran everything on the caller would give the same results (the kernels
// are split so that results do not depend on the thread count), so only this
// catches it. Each part sleeps, so the worker has ample time to take some.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "kernels/threads.h"

namespace cnn::kernels {
namespace {

TEST(Threads, PartsRunOnTheWorkers) {
  set_threads(2);
  if (threads() < 2) {
    set_threads(1);
    GTEST_SKIP() << "this build runs one thread (WebAssembly without pthreads)";
  }
  const long before = parts_run_by_workers();
  std::mutex mutex;
  std::set<std::thread::id> ids;
  int parts_seen = 0;
  parallel_for(32, [&](int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::lock_guard<std::mutex> lock(mutex);
    ids.insert(std::this_thread::get_id());
    ++parts_seen;
  });
  set_threads(1);
  EXPECT_EQ(parts_seen, 32);
  EXPECT_EQ(ids.size(), 2u) << "all parts ran on one thread";
  EXPECT_GT(parts_run_by_workers(), before);
}

}  // namespace
}  // namespace cnn::kernels
