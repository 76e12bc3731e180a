#!/usr/bin/env python3
"""Our benchmark beside the peers', measured in one run on this machine.

Runs `cnn bench` (native 1 and 2 threads, WebAssembly under node with 1
thread and, with the pthreads build, 2 threads) and the peer scripts of
../shared/anchors (PyTorch 2 threads, TensorFlow.js wasm with 1 and 2
threads, TF.js wasm with its JavaScript filter-gradient fallback for
training, ConvNetJS) workload by workload, so every column of a row meets
the same machine state. Prints each JSON line as it comes, then a Markdown
table of medians, with the speed target of each BrickLab cell that has one.

    python3 scripts/bench_side_by_side.py            # 3 runs each (over half an hour)
    REPS=1 python3 scripts/bench_side_by_side.py     # one run each
    WORKLOADS="conv-fwd mnist-train" python3 scripts/bench_side_by_side.py

Needs the builds (bash scripts/test.sh makes them) and the anchors' set-up
(bash ../shared/anchors/setup.sh, run here if its folder is missing).
TF.js's pure-JS backend is left out: it is 100-1000x slower than the rest
and would take most of the time (its numbers are in ../shared/anchors).
"""
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANCHORS_SRC = os.path.join(os.path.dirname(ROOT), "shared", "anchors")
ANCHORS = os.environ.get("ANCHORS_HOME", "/tmp/cnn-anchors")
REPS = int(os.environ.get("REPS", "3"))
WORKLOADS = os.environ.get(
    "WORKLOADS", "mnist-train mnist-infer cifar-train conv-fwd conv-fwdbwd conv-fwd-dx style").split()
NODE = ["node", "--no-experimental-fetch"]
TRAINING = {"mnist-train", "cifar-train", "conv-fwdbwd"}

# column -> (heading, command for a workload or None where it does not apply)
COLUMNS = [
    ("native1", "BrickLab native, 1 thread",
     lambda w: [f"{ROOT}/build/cnn", "bench", w, "--threads", "1"]),
    ("native2", "BrickLab native, 2 threads",
     lambda w: [f"{ROOT}/build/cnn", "bench", w, "--threads", "2"]),
    ("wasm1", "BrickLab WebAssembly, 1 thread",
     lambda w: NODE + [f"{ROOT}/build-wasm/cnn.js", "bench", w]),
    ("wasm2", "BrickLab WebAssembly, 2 threads",
     lambda w: NODE + [f"{ROOT}/build-wasm-mt/cnn-mt.js", "bench", w, "--threads", "2"]),
    ("torch", "PyTorch 1.13, 2 threads",
     lambda w: ["/usr/bin/python3", "torch_bench.py", w, "--threads", "2"]),
    ("tfjs-wasm", "TF.js wasm SIMD, 1 thread",
     lambda w: ["node", "tfjs_bench.js", "wasm", w]),
    ("tfjs-hybrid", "TF.js wasm + JS filter gradient, 1 thread",
     lambda w: ["node", "tfjs_bench.js", "wasm-hybrid", w] if w in ("mnist-train", "cifar-train") else None),
    ("tfjs-mt", "TF.js wasm SIMD, 2 threads",
     lambda w: None if w in TRAINING else ["node", "tfjs_bench.js", "wasm-mt", w, "--threads", "2"]),
    ("convnetjs", "ConvNetJS",
     lambda w: None if w in ("conv-fwd-dx", "style") else ["node", "convnetjs_bench.js", w]),
]

# BrickLab's speed targets: (column, workload) -> (comparison, value). "x" is a
# multiple of a peer in the same run (TF.js wasm for WebAssembly, PyTorch natively).
TARGETS = {
    ("wasm1", "conv-fwd"): (">=", 36), ("wasm1", "conv-fwdbwd"): (">=", 30),
    ("wasm1", "conv-fwd-dx"): (">=", 30), ("wasm1", "mnist-train"): (">=", 5000),
    ("wasm1", "cifar-train"): (">=", 1500), ("wasm1", "mnist-infer"): ("x", 1.2),  # x TF.js wasm
    ("wasm2", "conv-fwd"): (">=", 70), ("wasm2", "mnist-train"): (">=", 8000),
    ("wasm2", "style"): ("<=", 1.6),
    ("native2", "mnist-train"): ("x", 1.5), ("native2", "cifar-train"): ("x", 1.5),  # x PyTorch
    ("native2", "conv-fwd"): (">=", 240), ("native2", "style"): ("<=", 0.31),
}


def metric(workload):
    if workload == "style":
        return "s_per_iter", "s/iter"
    if workload.startswith("conv"):
        return "gflop_per_s", "GFLOP/s"
    return "images_per_s", "img/s"


def measure(cmd, workload, cwd):
    """One measurement: the value, or a short reason it has none."""
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=400)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if not lines:
        return None, (p.stderr.strip().splitlines() or ["no output"])[-1][:120]
    j = json.loads(lines[-1])
    print(json.dumps(j), flush=True)
    key, _ = metric(workload)
    if key not in j:
        return None, j.get("error", "no " + key)[:120]
    return float(j[key]), None


def fmt(value, workload):
    key, unit = metric(workload)
    if key == "s_per_iter":
        return f"{value:.2f} {unit}"
    if key == "gflop_per_s":
        return f"{value:.1f} {unit}"
    return f"{value:,.0f} {unit}"


def target_note(col, w, med, table):
    t = TARGETS.get((col, w))
    if not t or med is None:
        return ""
    op, goal = t
    if op == "x":  # a multiple of a peer in the same run
        peer = "tfjs-wasm" if col == "wasm1" else "torch"
        if table.get((peer, w)) is None:
            return ""
        goal_value = goal * table[(peer, w)]
        ok = med >= goal_value
        return f" ({'meets' if ok else 'target'} {goal}x = {fmt(goal_value, w)})"
    ok = med >= goal if op == ">=" else med <= goal
    return f" ({'meets' if ok else 'target'} {op} {fmt(goal, w)})"


def main():
    if not os.path.isdir(os.path.join(ANCHORS, "node_modules")):
        subprocess.run(["bash", os.path.join(ANCHORS_SRC, "setup.sh")], check=True)
    with open("/proc/loadavg") as f:
        print(f"machine: {os.cpu_count()} cores, load average {' '.join(f.read().split()[:3])}")
    table, notes = {}, {}
    for w in WORKLOADS:
        for col, _, command in COLUMNS:
            cmd = command(w)
            if cmd is None:
                continue
            cwd = ROOT if col in ("native1", "native2", "wasm1", "wasm2") else ANCHORS
            values = []
            # TF.js's stock wasm backend cannot train: record the reason once.
            reps = 1 if (col == "tfjs-wasm" and w in TRAINING) else REPS
            for _ in range(reps):
                value, why = measure(cmd, w, cwd)
                if value is None:
                    notes[(col, w)] = why
                    break
                values.append(value)
            table[(col, w)] = statistics.median(values) if values else None

    heads = [h for _, h, _ in COLUMNS]
    print(f"\nMedians of {REPS} run(s), one process each, workload by workload.\n")
    print("| workload | " + " | ".join(heads) + " |")
    print("|---|" + "---|" * len(heads))
    for w in WORKLOADS:
        cells = []
        for col, _, command in COLUMNS:
            if command(w) is None:
                cells.append("-")
            elif table.get((col, w)) is None:
                cells.append("cannot" if "not registered" in notes.get((col, w), "") else
                             "failed: " + notes.get((col, w), "?"))
            else:
                med = table[(col, w)]
                cells.append(fmt(med, w) + target_note(col, w, med, table))
        print(f"| {w} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
