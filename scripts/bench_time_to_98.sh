#!/usr/bin/env bash
# Benchmark: seconds from pressing Train on the default MNIST model in the web
# playground to the first full-test-set evaluation at or above 98%, in
# headless Chromium, for the cross-origin-isolated page (threaded build) and a
# plain static page (single-threaded). A benchmark, not a test: the numbers
# depend on the machine and its load. Builds both web apps if missing.
#
#   bash scripts/bench_time_to_98.sh [--pages isolated,plain] [--timeout-min 30]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
web=${CNN_WEB_ROOT:-build-wasm/web}
if [[ ! -f $web/bricklab.js || ! -f $web/bricklab-mt.js ]]; then
  export NODE_PATH=/usr/share/nodejs
  emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node);--no-experimental-fetch" >/dev/null
  cmake --build build-wasm -j"$(nproc)" --target bricklab
  emcmake cmake -S . -B build-wasm-mt -DCMAKE_BUILD_TYPE=Release -DCNN_WASM_THREADS=ON \
    -DCNN_BUILD_TESTS=OFF -DCNN_WEB_DIR="$root/build-wasm/web" >/dev/null
  cmake --build build-wasm-mt -j"$(nproc)" --target bricklab
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec node tests/e2e/time_to_98.js --root "$web" "$@"
