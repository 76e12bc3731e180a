#!/usr/bin/env bash
# Deterministic mode across builds: the native and the WebAssembly build must
# produce bit-identical weights. Runs both builds' `cnn train --deterministic`
# for a few steps of vgg-small on MNIST (batch norm, dropout, He-normal init,
# Adam, softmax cross-entropy) and both builds' test_determinism (core/fmath
# over wide ranges; a small net with tanh, sigmoid and softmax), and compares
# the hashes they print.
#   usage: tests/determinism/compare_builds.sh [NATIVE_BUILD_DIR] [WASM_BUILD_DIR]
#   (defaults: build and build-wasm, after scripts/test.sh has built both)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
native=${1:-$root/build}
wasm=${2:-$root/build-wasm}
node_cmd=(node --no-experimental-fetch)
for f in "$native/cnn" "$native/tests/test_determinism" "$wasm/cnn.js" \
  "$wasm/tests/test_determinism.js"; do
  [[ -e $f ]] || { echo "compare_builds.sh: error: $f is missing (build both first)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
compare() {  # name native_output wasm_output
  if [[ -z $2 || $2 != "$3" ]]; then
    echo "DIFFERENT $1:"
    echo "  native:      ${2:-<none>}"
    echo "  WebAssembly: ${3:-<none>}"
    failed=1
  else
    echo "same $1: ${2//$'\n'/, }"
  fi
}

filter=--gtest_filter=Determinism.PrintHashesForTheCrossBuildComparison
n=$("$native/tests/test_determinism" "$filter" | grep '^determinism hash' || true)
w=$("${node_cmd[@]}" "$wasm/tests/test_determinism.js" "$filter" | grep '^determinism hash' || true)
compare "test_determinism hashes" "$n" "$w"

train=(train --deterministic --model vgg-small --dataset mnist --limit 256 --batch-size 16
  --steps 4 --validation none --seed 7 --print-weights-hash)
n=$("$native/cnn" "${train[@]}" --out "$tmp/native.safetensors" | grep '^weights hash' || true)
w=$("${node_cmd[@]}" "$wasm/cnn.js" "${train[@]}" --out "$tmp/wasm.safetensors" |
  grep '^weights hash' || true)
compare "cnn train --deterministic (vgg-small, 4 steps)" "$n" "$w"

if ((failed)); then
  echo "compare_builds.sh: the native and the WebAssembly build differ in deterministic mode" >&2
  exit 1
fi
echo "deterministic mode: native and WebAssembly builds agree bit for bit"
