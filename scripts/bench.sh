#!/usr/bin/env bash
# Measures every benchmark workload with `cnn bench` natively (1 and 2
# threads) and as WebAssembly under node (1 thread; 2 threads with the
# pthreads build cnn-mt.js, as on a cross-origin-isolated page), and prints a
# Markdown table of medians. The peers' numbers come from ../shared/anchors (run_all.sh).
#   bash scripts/bench.sh                 # all workloads, 3 runs each
#   REPS=1 WORKLOADS="mnist-train conv-fwd" bash scripts/bench.sh
# Assumes the builds exist (bash scripts/test.sh makes them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
REPS=${REPS:-3}
WORKLOADS=${WORKLOADS:-"mnist-train mnist-infer cifar-train conv-fwd conv-fwdbwd conv-fwd-dx style"}
out=$(mktemp)
for w in $WORKLOADS; do
  for run in native1 native2 wasm1 wasm2; do
    for _ in $(seq "$REPS"); do
      case $run in
        native1) line=$(./build/cnn bench "$w" --threads 1 --min-time 2 --max-time 30) ;;
        native2) line=$(./build/cnn bench "$w" --threads 2 --min-time 2 --max-time 30) ;;
        wasm1) line=$(node --no-experimental-fetch build-wasm/cnn.js bench "$w" --min-time 2 --max-time 60) ;;
        wasm2) line=$(node --no-experimental-fetch build-wasm-mt/cnn-mt.js bench "$w" --threads 2 --min-time 2 --max-time 60) ;;
      esac
      echo "$line"
      echo "$run $line" >>"$out"
    done
  done
done
python3 - "$out" <<'PY'
import json, sys, statistics
rows = {}
for raw in open(sys.argv[1]):
    run, line = raw.split(" ", 1)
    j = json.loads(line)
    key = "images_per_s" if "images_per_s" in j else ("s_per_iter" if j["workload"] == "style" else "gflop_per_s")
    rows.setdefault(j["workload"], {}).setdefault(run, []).append((key, j[key]))
print("\n| workload | native 1 thread | native 2 threads | WebAssembly 1 thread (node) | WebAssembly 2 threads (node) |")
print("|---|---|---|---|---|")
for w, runs in rows.items():
    cells = []
    for run in ("native1", "native2", "wasm1", "wasm2"):
        vals = runs.get(run, [])
        if not vals:
            cells.append("-"); continue
        key = vals[0][0]
        med = statistics.median(v for _, v in vals)
        unit = {"images_per_s": "img/s", "gflop_per_s": "GFLOP/s", "s_per_iter": "s/iter"}[key]
        cells.append(f"{med:,.2f} {unit}" if key == "s_per_iter" else f"{med:,.0f} {unit}" if key == "images_per_s" else f"{med:,.1f} {unit}")
    print(f"| {w} | " + " | ".join(cells) + " |")
PY
rm -f "$out"
