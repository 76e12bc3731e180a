#!/usr/bin/env bash
# The test command: installs what is missing, builds natively and with
# Emscripten, and runs every test of both builds (WebAssembly under node).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Each stage's heading shows the minutes and seconds since the start.
stage() { printf '== [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
bash scripts/setup.sh
jobs=$(nproc)

stage "native build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

stage "WebAssembly build and tests (node)"
# Debian's emcc needs Debian's acorn module; node 20 must not use fetch for .wasm files.
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node);--no-experimental-fetch" >/dev/null
cmake --build build-wasm -j"$jobs"
ctest --test-dir build-wasm --output-on-failure -j"$jobs"
stage "deterministic mode: native and WebAssembly training give the same weights"
bash tests/determinism/compare_builds.sh build build-wasm
stage "WebAssembly pthreads build (bricklab-mt.js for cross-origin-isolated pages, cnn-mt.js)"
emcmake cmake -S . -B build-wasm-mt -DCMAKE_BUILD_TYPE=Release -DCNN_WASM_THREADS=ON \
  -DCNN_BUILD_TESTS=OFF -DCNN_WEB_DIR="$root/build-wasm/web" >/dev/null
cmake --build build-wasm-mt -j"$jobs" --target bricklab cnn
bash tests/cli/threaded_build_test.sh build-wasm-mt
stage "playground: desktop app under xvfb, web app in headless Chromium"
# The desktop app trains a few batches in a virtual X server and saves a
# screenshot; the browser test trains one MNIST epoch by clicking Train and
# classifies digits drawn on the pad (about 3-5 minutes on 2 cores).
stage "desktop_smoke_test.sh"
bash tests/app/desktop_smoke_test.sh build
stage "data_desktop_test.sh"
bash tests/app/data_desktop_test.sh build
stage "playground.spec.js"
node tests/e2e/playground.spec.js --root build-wasm/web
stage "inside.spec.js"
node tests/e2e/inside.spec.js --root build-wasm/web
# The screen's layout: every size and tab on the isolated page, the smallest
# size on the plain one (scripts/layout_walk.sh walks every size on both).
stage "layout.spec.js"
node tests/e2e/layout.spec.js --root build-wasm/web
stage "layout.spec.js --no-isolation --sizes 800x600"
node tests/e2e/layout.spec.js --root build-wasm/web --no-isolation --sizes 800x600
# Both pages: a refused file must not stop the frame loop of either build
# (the threaded one, bricklab-mt.js, catches exceptions differently: see CMakeLists.txt).
stage "data_upload.spec.js"
node tests/e2e/data_upload.spec.js --root build-wasm/web
stage "data_upload.spec.js --no-isolation"
node tests/e2e/data_upload.spec.js --root build-wasm/web --no-isolation
# Transfer panel: demo (a) fine-tuned beats scratch, demo (b) on uploaded images (about 1.5 minutes).
stage "transfer.spec.js --features"
node tests/e2e/transfer.spec.js --root build-wasm/web --features
# Style transfer: desktop (worker thread), the single-threaded
# page (time slices, 96 px) and the isolated page (worker thread, 256 px):
# upload, run, download a stylised PNG, one click (about 2 minutes together).
stage "style_desktop_test.sh"
bash tests/app/style_desktop_test.sh build
stage "style.spec.js --no-isolation"
node tests/e2e/style.spec.js --root build-wasm/web --no-isolation
stage "style.spec.js"
node tests/e2e/style.spec.js --root build-wasm/web
stage "all tests passed"
