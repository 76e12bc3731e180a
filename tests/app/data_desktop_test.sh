#!/usr/bin/env bash
# Desktop test of the playground's CIFAR-10 files: small batch files in the
# official format are generated, given to the native app as a folder path
# (--data, what the Data panel's path field does), and the app trains a few
# batches with augmentation under a virtual X server (xvfb-run). Its final
# state must report CIFAR-10 with the right counts, a CIFAR model preset and
# augmented batches; a truncated file must be named in the message.
#
#   bash tests/app/data_desktop_test.sh [BUILD_DIR]      (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
app="$build/bricklab"
[ -x "$app" ] || { echo "data desktop test: $app is missing: build the bricklab target" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/cifar-10-batches-bin"
python3 - "$dir" <<'EOF_PY'
import os, sys
d = sys.argv[1]
def batch(b, n):  # record r: label (b + r) % 10, then 3x32x32 pixel bytes
    return b"".join(bytes([(b + r) % 10]) + bytes((b * 7 + r + i) % 256 for i in range(3072)) for r in range(n))
for name, b, n in [("data_batch_1.bin", 1, 150), ("data_batch_2.bin", 2, 90), ("test_batch.bin", 6, 40)]:
    open(os.path.join(d, "cifar-10-batches-bin", name), "wb").write(batch(b, n))
open(os.path.join(d, "data_batch_3.bin"), "wb").write(batch(3, 5)[:-10])
EOF_PY

state=$(cd "$root" && timeout 300 xvfb-run -a -s "-screen 0 1280x900x24" \
  "$app" --dataset cifar10 --data "$dir/cifar-10-batches-bin,$dir/data_batch_3.bin" --batch 16 \
  --hflip --crop-pad 2 --smoke-test 5 --screenshot "$root/test-artifacts/desktop-cifar.png" | grep '^{')

python3 - "$state" <<'EOF_PY'
import json, sys
s = json.loads(sys.argv[1])
d, problems = s["data"], []
if d["name"] != "cifar10" or d["state"] != "ready" or d["train"] != 240 or d["test"] != 40:
    problems.append(f"CIFAR-10 not loaded as expected: {d}")
if d.get("sample_shape") != "3x32x32": problems.append(f"sample shape {d.get('sample_shape')}")
if d.get("first_labels", [])[:3] != [1, 2, 3]: problems.append(f"labels {d.get('first_labels')}")
want = "data_batch_3.bin: not a CIFAR-10 batch file: 15355 bytes is not a whole number of 3073-byte records"
if want not in d.get("error", ""): problems.append(f"message for the truncated file: {d.get('error')!r}")
if s["model"]["preset"] != "convnetjs-cifar": problems.append(f"model preset {s['model']['preset']}")
if s["training"]["batches_done"] != 5: problems.append(f"trained {s['training']['batches_done']} batches")
if d.get("augmented_batches", 0) < 5: problems.append(f"augmented batches {d.get('augmented_batches')}")
if problems:
    print("data desktop test FAILED:\n  " + "\n  ".join(problems))
    sys.exit(1)

print(f"data desktop test passed: CIFAR-10 {d['train']}/{d['test']} images from a folder path, "
      f"{s['training']['batches_done']} batches trained ({d['augmented_batches']} augmented), "
      f"truncated file reported")
EOF_PY
