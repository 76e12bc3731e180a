// Waiting for a lock on the UI thread, which in the browser is the page's
// main thread: that thread must never sleep on a futex (Emscripten warns on
// the console, and other threads proxy calls to it that would then wait
// forever). The lab's background work (lab/background.h) takes its UI lock
// through these, so it knows nothing of the browser.
#pragma once
#include <mutex>

namespace cnn::platform {

// Takes `mutex` on the UI thread. Desktop: an ordinary lock. Browser: spins
// on try_lock, as Emscripten's own wait would, and meanwhile runs the calls
// other threads proxy to the main thread (a worker's printf, for one):
// otherwise a worker holding the lock while it waits for such a call, and
// this thread waiting for the lock, would hang the page.
void lock_on_ui_thread(std::mutex& mutex);

// Between two attempts at a lock another thread holds briefly: lets that
// thread run (a yield on the desktop; in the browser the main thread goes
// straight back to spinning, which already lets the worker run).
void yield_on_ui_thread();

}  // namespace cnn::platform
