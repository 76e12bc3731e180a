#!/usr/bin/env bash
# The run command: installs what is missing, builds, and runs the main job on
# its embedded default: train the default LeNet-style CNN on MNIST from the
# command line (2 epochs), evaluate it on the test set and save it.
# Extra arguments go to `cnn train` (try --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target cnn
./build/cnn train --dataset mnist --model lenet --epochs 2 "$@"
