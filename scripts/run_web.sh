#!/usr/bin/env bash
# Builds the web playground (WebAssembly) and serves it locally: open the
# printed URL in a browser. Extra arguments go to scripts/serve.py, e.g.
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
exec python3 scripts/serve.py --root build-wasm/web "$@"
