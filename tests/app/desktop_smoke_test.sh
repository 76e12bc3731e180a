#!/usr/bin/env bash
# Desktop smoke test: the native playground opens a real window under a
# virtual X server (xvfb-run), loads MNIST, trains a few batches, saves a
# screenshot and exits; the screenshot must show the UI (not a blank frame)
# and the app's final state must report the batches trained. The screen's
# layout (regions inside the window, none overlapping) is checked at two
# window sizes, 1280x860 and 1024x700 in presentation mode.
#
#   bash tests/app/desktop_smoke_test.sh [BUILD_DIR]      (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
app="$build/bricklab"
batches=50
out="$root/test-artifacts"
png="$out/desktop-smoke.png"
mkdir -p "$out"
rm -f "$png"
[ -x "$app" ] || { echo "desktop smoke test: $app is missing: build the bricklab target" >&2; exit 1; }

start=$(date +%s)
# The window is 1280x860 (platform.h); the screen must be at least as large.
state=$(cd "$root" && timeout 300 xvfb-run -a -s "-screen 0 1280x900x24" \
  "$app" --model mnist-small --smoke-test "$batches" --screenshot "$png" --inside | grep '^{')
echo "desktop smoke test: app finished in $(($(date +%s) - start)) s"

python3 - "$state" "$batches" <<'EOF'
import json, sys
state, batches = json.loads(sys.argv[1]), int(sys.argv[2])
problems = []
if state["platform"] != "desktop": problems.append(f"platform {state['platform']}")
if state["data"]["state"] != "ready" or state["data"]["train"] != 60000:
    problems.append(f"data not loaded: {state['data']}")
if state["training"]["batches_done"] != batches:
    problems.append(f"trained {state['training']['batches_done']} batches, expected {batches}")
# A guess among 10 classes costs ln(10) = 2.30; 50 batches of Adam get well below.
if not state["training"].get("train_loss") or not state["training"]["train_loss"] < 1.9:
    problems.append(f"training loss {state['training'].get('train_loss')} did not fall below 1.9")
# "Inside the network" (--inside opens it large): every picture drawn by the
# GLSL colour maps in the OpenGL 3.3 context, and not blank (colours read back).
inside = state.get("inside", {})
if inside.get("error"): problems.append(f"inside panel: {inside['error']}")
if not inside.get("expanded"): problems.append("inside panel: not opened by --inside")
# The input shows as many colours as the image has distinct pixels, up to 16.
pixels = inside.get("input", {}).get("pixels", 0)
if pixels < 2: problems.append(f"inside panel: the input image has {pixels} distinct pixels (blank)")
for name in ("input", "saliency", "overlay", "filters"):
    colours = inside.get(name, {}).get("colours", 0)
    want = min(16, pixels) if name == "input" else 16
    if colours < want: problems.append(f"inside panel: {name} shows {colours} colours, expected >= {want}")
layers = inside.get("layers", [])
if len(layers) < 5: problems.append(f"inside panel: {len(layers)} layers drawn, expected >= 5")
for l in layers:
    want = min(l["shown"], 8) if l["size"][1] == 1 else 16
    if l["colours"] < want:
        problems.append(f"inside panel: layer {l['name']} shows {l['colours']} colours, expected >= {want}")
for p in problems: print("FAILED:", p, file=sys.stderr)
print(f"state: {state['training']['batches_done']} batches, loss {state['training'].get('train_loss')}")
print(f"inside: {len(layers)} layers, colours " + ", ".join(f"{l['name']} {l['colours']}" for l in layers))
sys.exit(1 if problems else 0)
EOF
python3 "$root/tests/app/check_screenshot.py" "$png" --width 1280 --height 860 --min-colours 32
python3 "$root/tests/app/check_layout.py" "$state" 1280 860 "Inside the network"

# A smaller window, in presentation mode, on the Training tab.
small="$out/desktop-layout-1024x700.png"
state=$(cd "$root" && timeout 120 xvfb-run -a -s "-screen 0 1280x900x24" \
  "$app" --model mnist-small --smoke-test 3 --limit 1000 --width 1024 --height 700 --present \
  --screenshot "$small" | grep '^{')
python3 "$root/tests/app/check_layout.py" "$state" 1024 700 "Training"
python3 -c '
import json, sys
layout = json.loads(sys.argv[1])["layout"]
on, px = layout["presentation"], layout["font_pixels"]
if not on or px < 20:
    sys.exit(f"FAILED: --present: presentation {on}, type {px} px")
print(f"presentation mode: type {px} px")
' "$state"
python3 "$root/tests/app/check_screenshot.py" "$small" --width 1024 --height 700 --min-colours 32

# A bad option: the desktop names it and what was expected, and exits.
if bad=$(cd "$root" && "$app" --epochs two 2>&1); then
  echo "FAILED: --epochs two was accepted" >&2
  exit 1
fi
grep -q 'epochs="two": expected a whole number' <<<"$bad" ||
  { echo "FAILED: no message for --epochs two: $bad" >&2; exit 1; }

# Shaders that do not compile (broken on purpose) must reach the UI as a
# message, not crash the app: one batch with --shader-fault.
fault=$(cd "$root" && timeout 120 xvfb-run -a -s "-screen 0 1280x900x24" \
  "$app" --model mnist-small --smoke-test 1 --limit 1000 --inside --shader-fault \
  --screenshot "$out/desktop-shader-error.png" | grep '^{')
python3 - "$fault" <<'EOF'
import json, sys
error = json.loads(sys.argv[1]).get("inside", {}).get("error", "")
if "does not compile" not in error:
    sys.exit(f"FAILED: a broken shader was not reported in the inside panel (error: {error!r})")
print("shader error reported:", error.splitlines()[0][:120])
EOF
echo "desktop smoke test: passed"
