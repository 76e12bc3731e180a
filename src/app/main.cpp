// bricklab: the CNN playground, on the desktop (GLFW + OpenGL 3.3) and in the
// browser (WebAssembly + WebGL2), the same code over src/platform/.
//
//   bricklab [--dataset mnist|fashion-mnist] [--model PRESET] [--epochs N] [--batch N]
//            [--lr X] [--optimizer adam|sgd] [--limit N] [--slice MS] [--autostart]
//            [--width W --height H] [--present] [--inside|--style|--transfer]
//            [--smoke-test N [--screenshot FILE]]
//   index.html?model=mnist-small&epochs=1&present   (the same options in the page's query string)
//
// A bad option keeps its default: the page starts anyway and says so in a
// red line at the top; the desktop says so and exits (a command line is
// corrected and run again).
//
// --smoke-test N trains N batches, saves a screenshot as PNG and exits
// (desktop; tests/app/smoke_test.sh runs it under xvfb-run).
//
// Where threads can run (desktop; the pthreads build on a cross-origin-
// isolated page) a worker thread trains with the kernels' thread pool while
// this thread draws; elsewhere training runs in time slices of each frame.
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <string>

#include "app/app.h"
#include "app/screenshot.h"
#include "core/error.h"
#include "data/datasets.h"
#include "kernels/threads.h"
#include "platform/platform.h"

int main(int argc, char** argv) {
  using namespace cnn;
  try {
    std::vector<std::string> datasets;
    for (const DatasetInfo& d : known_datasets()) datasets.push_back(d.name);
    const app::AppOptions options =
        app::AppOptions::parse(platform::startup_options(argc, argv), datasets);
    const bool desktop = std::string(platform::name()) == "desktop";
    for (const std::string& m : options.messages)
      std::fprintf(desktop ? stderr : stdout, "bricklab: %s\n", m.c_str());  // the page shows them
    if (desktop && !options.messages.empty()) return 2;
    platform::init(
        {.title = "BrickLab - CNN playground", .width = options.width, .height = options.height});
    // Before the app: the pool then outlives the app's worker thread. The
    // browser computes on all cores but one: its main thread and GPU process
    // (software WebGL on machines without a GPU) need the last: on two
    // cores a second kernel thread trains no faster and the frames come late.
    const int cores = platform::hardware_threads();
    const int fair = std::string(platform::name()) == "web" ? std::max(1, cores - 1) : cores;
    kernels::set_threads(!platform::can_start_threads() ? 1
                         : options.threads > 0         ? std::min(options.threads, cores)
                                                       : fair);
    // Static: on the web the frame loop outlives main() (see platform.h).
    static app::App playground(options);
    if (platform::can_start_threads()) playground.session.start_worker();
    // The test hook reads the session, so it holds the session's lock too.
    platform::set_state_provider([] {
      std::lock_guard<app::Session> lock(playground.session);
      return playground.state_json();
    });

    static bool quit = false;
    platform::run({
        .frame = [] { return playground.frame() && !quit; },
        .after_render =
            [] {
              // Only the test modes need the session here. Otherwise this
              // lock waited, every frame, for the worker's whole unit of
              // work (it had just resumed): a second wait per frame.
              if (!playground.screenshot_mode() || quit) return;
              std::unique_lock<app::Session> lock(playground.session);
              if (!playground.smoke_test_done() || quit) return;
              const std::string state = playground.state_json();
              lock.unlock();
              app::save_screenshot(playground.options.screenshot);
              std::printf("%s\nsaved %s\n", state.c_str(), playground.options.screenshot.c_str());
              quit = true;
            },
        .lock = [] { playground.session.lock(); },
        .unlock = [] { playground.session.unlock(); },
        .try_lock = [] { return playground.session.try_lock(); },
    });
    // Desktop: the window closed; stop training before the statics go. (On the
    // web run() returned at once and the browser goes on calling frame().)
    if (desktop) playground.session.stop_worker();
  } catch (const Error& e) {
    std::fprintf(stderr, "bricklab: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
