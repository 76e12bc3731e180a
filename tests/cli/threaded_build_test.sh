#!/usr/bin/env bash
# The pthreads WebAssembly build (cnn-mt.js, the same flags as the threaded
# page's bricklab-mt.js) reports bad input the way the other builds do: one
# message naming the file and the problem, exit status 1. With Emscripten
# 3.1.6, -pthread plus -fwasm-exceptions never ran a catch clause, so every
# error escaped as "exiting due to exception: [object WebAssembly.Exception]"
# (see CMakeLists.txt); this guards against that coming back.
#
#   bash tests/cli/threaded_build_test.sh build-wasm-mt
set -euo pipefail
build=${1:?usage: threaded_build_test.sh BUILD_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "not a picture" > "$tmp/notes.png"
status=0
node --no-experimental-fetch "$build/cnn-mt.js" classify "$tmp/notes.png" >"$tmp/out" 2>"$tmp/err" || status=$?
if [[ $status -ne 1 ]] || ! grep -q "cnn classify: error: $tmp/notes.png: not an image" "$tmp/err"; then
  echo "FAILED: cnn-mt.js classify on a non-image: exit status $status, stderr:"
  cat "$tmp/err"
  exit 1
fi
echo "ok: cnn-mt.js names the bad file: $(cat "$tmp/err")"
# And the threaded kernels train: a short benchmark run with two threads.
node --no-experimental-fetch "$build/cnn-mt.js" bench mnist-train --threads 2 --min-time 0.5 --no-warmup >"$tmp/bench" 2>&1 || {
  echo "FAILED: cnn-mt.js bench mnist-train --threads 2:"; cat "$tmp/bench"; exit 1; }
grep -q '"threads":2' "$tmp/bench" || { echo "FAILED: bench did not run with 2 threads:"; cat "$tmp/bench"; exit 1; }
# A pool that ran every part on the calling thread would pass the line above
# (and give the same numbers): the second thread must have run some parts.
if grep -q '"worker_parts":0[,}]' "$tmp/bench" || ! grep -q '"worker_parts":[1-9]' "$tmp/bench"; then
  echo "FAILED: no kernel work ran on the second thread:"; cat "$tmp/bench"; exit 1
fi
echo "ok: cnn-mt.js trains with 2 threads: $(tail -1 "$tmp/bench" | grep -o '"images_per_s":[0-9.]*\|"worker_parts":[0-9]*' | tr '\n' ' ')"
