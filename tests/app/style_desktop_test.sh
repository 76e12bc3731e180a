#!/usr/bin/env bash
# Desktop test of the Style transfer panel: the native playground opens under
# a virtual X server with the panel open, runs its one-click default (coffee
# in the style of The Starry Night, embedded ResNet50) for N iterations on its
# worker thread, saves a screenshot and exits; the style loss must fall and
# the screenshot must show the UI.
#
#   bash tests/app/style_desktop_test.sh [BUILD_DIR] [ITERATIONS] [SCREENSHOT]
#   (defaults: build, 30, test-artifacts/style-desktop.png)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
iters=${2:-30}
png=${3:-$root/test-artifacts/style-desktop.png}
app="$build/bricklab"
mkdir -p "$(dirname "$png")"
rm -f "$png"
[ -x "$app" ] || { echo "style desktop test: $app is missing: build the bricklab target" >&2; exit 1; }

start=$(date +%s)
state=$(cd "$root" && timeout 300 xvfb-run -a -s "-screen 0 1280x900x24" \
  "$app" --model mnist-small --style-demo "$iters" --screenshot "$png" | grep '^{')
echo "style desktop test: app finished in $(($(date +%s) - start)) s"

python3 - "$state" "$iters" <<'PY'
import json, sys
style, iters = json.loads(sys.argv[1])["style"], int(sys.argv[2])
problems = []
if style["backbone_state"] != "ready": problems.append(f"backbone: {style['backbone_message']}")
if style["state"] != "finished" or style["steps"] != iters:
    problems.append(f"state {style['state']} after {style['steps']} iterations ({style['job_error']})")
if style["mode"] != "worker": problems.append(f"iterations ran in {style['mode']}, not on a worker thread")
l = style["losses"]
if len(l) != 2 or not l[1]["style"] < 0.1 * l[0]["style"]:
    problems.append(f"style loss did not fall tenfold: {l}")
if style["view"]["gram"] <= 0: problems.append("no Gram matrix shown")
for p in problems: print("FAILED:", p, file=sys.stderr)
print(f"style: {style['steps']} iterations, {style['seconds_per_step']*1000:.0f} ms each, "
      f"style loss {l[0]['style']:.4g} -> {l[-1]['style']:.4g}, content loss {l[-1]['content']:.4g}")
sys.exit(1 if problems else 0)
PY
python3 "$root/tests/app/check_screenshot.py" "$png" --width 1280 --height 860 --min-colours 32
