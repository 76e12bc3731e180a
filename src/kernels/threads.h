// The kernels' worker threads. Kernels split their work into `count` parts
// whose results do not depend on how many threads run them (each output
// element is computed by the same operations in the same order), so a run
// repeats bit for bit at any thread count. The WebAssembly build runs one
// thread, unless built with pthreads (CNN_WASM_THREADS).
#pragma once

namespace cnn::kernels {

// Threads used by the kernels (the caller counts as one). Default 1.
void set_threads(int count);
int threads();

// Parts run by the pool's worker threads (not the calling thread) since the
// program started: a pool that silently ran everything on the caller would
// keep this at 0. For benchmarks and tests.
long parts_run_by_workers();

// Runs fn(context, part) for part = 0..count-1, spread over the threads, and
// returns when all are done. Calls from inside a part run serially.
void parallel_for(int count, void (*fn)(void* context, int part), void* context);

// The same for a callable f(int part); it is instantiated in the caller's
// file, so SIMD files keep their own copy.
template <class F>
void parallel_for(int count, const F& f) {
  if (count <= 1) {
    if (count == 1) f(0);
    return;
  }
  parallel_for(
      count, [](void* ctx, int part) { (*static_cast<const F*>(ctx))(part); }, const_cast<F*>(&f));
}

}  // namespace cnn::kernels
