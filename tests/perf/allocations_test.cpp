// The steady-state training step allocates nothing: after a warm-up step,
// Model::train_batch on the benchmark network must not call operator new
// (every buffer is sized on the first step and reused). Counted by replacing
// the global operator new of this test executable.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#ifdef __GLIBC__
#include <execinfo.h>  // backtrace(): says where an unexpected allocation came from
#include <unistd.h>
#endif

#include "core/rng.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "model/zoo.h"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
std::atomic<size_t> g_first_size{0};
#ifdef __GLIBC__
constexpr int kTraces = 4, kFrames = 12;
void* g_traces[kTraces][kFrames];
int g_depth[kTraces];
#endif
}  // namespace

void* operator new(size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) {
    const long index = g_allocations.fetch_add(1);
    if (index == 0) g_first_size = size;
#ifdef __GLIBC__
    if (index < kTraces) g_depth[index] = backtrace(g_traces[index], kFrames);
#endif
  }
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
// GCC inlines std::allocator's `new` next to this `free` and warns about a
// mismatch that the replacement above makes correct.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace cnn {
namespace {

// Allocations made by `step` (and by any kernel thread meanwhile).
template <class F>
long allocations_in(const F& step) {
  g_allocations = 0;
  g_counting = true;
  step();
  g_counting = false;
  return g_allocations.load();
}

void check_training_step_does_not_allocate(int threads) {
  kernels::set_threads(threads);
  const int batch = 64;
  Model m = make_preset("mnist-small", {1, 1, 28, 28}, 10);
  m.build(0);
  m.compile({.loss = {"softmax_crossentropy"},
             .optimizer = {{"type", "sgd"}, {"lr", 0.01}},
             .metrics = {}});
  Rng rng(3);
  Tensor x({batch, 1, 28, 28}), y({batch, 1, 1, 1});
  for (size_t i = 0; i < x.size(); ++i) x[i] = rng.normal();
  for (int i = 0; i < batch; ++i) y[i] = float(rng.below(10));
  const std::vector<const Tensor*> targets = {&y};
  m.train_batch(x, targets);  // warm-up: buffers grow here
  const long count = allocations_in([&] { m.train_batch(x, targets); });
  EXPECT_EQ(count, 0) << "train_batch allocated " << count
                      << " times (first: " << g_first_size.load() << " bytes) at " << threads
                      << " thread(s)";
#ifdef __GLIBC__
  for (int i = 0; i < count && i < kTraces; ++i) {  // addresses: resolve with addr2line -Cfe
    std::fprintf(stderr, "allocation %d:\n", i + 1);
    backtrace_symbols_fd(g_traces[i], g_depth[i], STDERR_FILENO);
  }
#endif
  // A sanity check of the counter itself.
  EXPECT_GT(allocations_in([] {
              int* volatile p = new int(1);  // volatile: the pair cannot be elided
              delete p;
            }),
            0);
  kernels::set_threads(1);
}

TEST(Allocations, TrainingStepAfterWarmUp) {
  check_training_step_does_not_allocate(1);
}

#ifndef __EMSCRIPTEN__
TEST(Allocations, TrainingStepAfterWarmUpTwoThreads) {
  check_training_step_does_not_allocate(2);
}
#endif

}  // namespace
}  // namespace cnn
