#!/usr/bin/env bash
# Builds the web playground (WebAssembly: the single-threaded and the pthreads
# build) and serves it locally with the headers that enable threads (COOP/COEP):
# open the printed URL in a browser. `--no-isolation` serves it as a plain
# static host would (single-threaded). Extra arguments go to scripts/serve.py, e.g.
# `bash scripts/run_web.sh --port 8080 --host 0.0.0.0`. Ctrl-C stops.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
# Debian's emcc needs Debian's acorn module; node 20 must not use fetch for .wasm files.
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node);--no-experimental-fetch" >/dev/null
cmake --build build-wasm -j"$(nproc)" --target bricklab
# The pthreads build (bricklab-mt.js, for the cross-origin-isolated page) in
# its own tree, into the same web/ folder.
emcmake cmake -S . -B build-wasm-mt -DCMAKE_BUILD_TYPE=Release -DCNN_WASM_THREADS=ON \
  -DCNN_BUILD_TESTS=OFF -DCNN_WEB_DIR="$root/build-wasm/web" >/dev/null
cmake --build build-wasm-mt -j"$(nproc)" --target bricklab
exec python3 scripts/serve.py --root build-wasm/web "$@"
