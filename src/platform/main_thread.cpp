#include "platform/main_thread.h"

#ifdef __EMSCRIPTEN_PTHREADS__
#include <emscripten/threading.h>
#endif

#include <thread>

namespace cnn::platform {

void lock_on_ui_thread(std::mutex& mutex) {
#ifdef __EMSCRIPTEN__
  while (!mutex.try_lock()) {
#ifdef __EMSCRIPTEN_PTHREADS__
    emscripten_main_thread_process_queued_calls();
#endif
  }
#else
  mutex.lock();
#endif
}

void yield_on_ui_thread() {
#ifndef __EMSCRIPTEN__
  std::this_thread::yield();
#endif
}

}  // namespace cnn::platform
