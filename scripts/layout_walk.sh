#!/usr/bin/env bash
# The playground's layout at every size the tests know (1280x800, 1920x1080,
# 1024x700, 800x600), each tab, on both page modes, and the desktop app at
# two window sizes: screenshots in test-artifacts/layout-*.png and
# desktop-*.png. scripts/test.sh runs a part of this (all sizes on the
# isolated page, 800x600 on the plain one) to stay within CI's time.
#
#   bash scripts/layout_walk.sh        (after scripts/test.sh's builds)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
node tests/e2e/layout.spec.js --root build-wasm/web
node tests/e2e/layout.spec.js --root build-wasm/web --no-isolation
bash tests/app/desktop_smoke_test.sh build
