// bricklab: the CNN playground, on the desktop (GLFW + OpenGL 3.3) and in the
// browser (WebAssembly + WebGL2), the same code over src/platform/.
//
//   bricklab [--dataset mnist|fashion-mnist] [--model PRESET] [--epochs N] [--batch N]
//            [--lr X] [--optimizer adam|sgd] [--limit N] [--slice MS] [--autostart]
//            [--smoke-test N [--screenshot FILE]]
//   index.html?model=mnist-small&epochs=1     (the same options in the page's query string)
//
// --smoke-test N trains N batches, saves a screenshot as PNG and exits
// (desktop; tests/app/smoke_test.sh runs it under xvfb-run).
#include <cstdio>

#include "app/app.h"
#include "app/screenshot.h"
#include "core/error.h"
#include "platform/platform.h"

int main(int argc, char** argv) {
  using namespace cnn;
  try {
    const app::AppOptions options = app::AppOptions::parse(platform::startup_options(argc, argv));
    platform::init({.title = "BrickLab - CNN playground"});
    // Static: on the web the frame loop outlives main() (see platform.h).
    static app::App playground(options);
    platform::set_state_provider([] { return playground.state_json(); });

    static bool quit = false;
    platform::run({
        .frame = [] { return playground.frame() && !quit; },
        .after_render =
            [] {
              if (!playground.smoke_test_done() || quit) return;
              app::save_screenshot(playground.options.screenshot);
              std::printf("%s\nsaved %s\n", playground.state_json().c_str(),
                          playground.options.screenshot.c_str());
              quit = true;
            },
    });
  } catch (const Error& e) {
    std::fprintf(stderr, "bricklab: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
