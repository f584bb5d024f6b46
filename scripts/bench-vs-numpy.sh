#!/usr/bin/env bash
# Side-by-side speed of slipcast (`--basic`, and the full default forecast)
# and the vectorised NumPy baseline on the same generated network, run
# alternately in one sitting (the machine is shared and noisy: only the
# ratios are meaningful).
#
# Usage: scripts/bench-vs-numpy.sh [TASKS] [ITERATIONS] [ROUNDS]
# Needs python3 with numpy, and the shared bench scripts (SHARED, default ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-1000}
iterations=${2:-100000}
rounds=${3:-3}
shared=${SHARED:-../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
python3 "$shared/bench/gen_network.py" "$tasks" --seed 1 -o "$work/net.csv"

python3 - "$work/net.csv" "$iterations" "$rounds" "$shared" "$(nproc)" <<'PY'
import json, subprocess, sys, time
net, iters, rounds, shared, cores = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
def wall(cmd):
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t, out
def slipcast(w, *extra):
    return ["target/release/slipcast", "forecast", net, "-n", str(iters), "--threads", str(w),
            "--start", "2027-01-04", "--json", *extra]
workers = sorted({1, cores})
runs = {f"{k}-{w}": [] for w in workers for k in ["numpy", "basic", "full"]}
for r in range(rounds):
    for w in workers:
        t, out = wall(["python3", f"{shared}/bench/numpy_baseline.py", net, "-n", str(iters), "--workers", str(w), "--json"])
        runs[f"numpy-{w}"].append((t, json.loads(out)))
        t, out = wall(slipcast(w, "--basic"))
        runs[f"basic-{w}"].append((t, json.loads(out)))
        t, out = wall(slipcast(w))
        runs[f"full-{w}"].append((t, json.loads(out)))
best = {k: min(v, key=lambda x: x[0]) for k, v in runs.items()}
tasks = best["numpy-1"][1]["tasks"]
print(f"network: {tasks} tasks, {iters} iterations, best of {rounds} alternating rounds (wall time, end to end)")
for k, (t, d) in best.items():
    p = (d["p50"], d["p80"]) if "p50" in d else (d["duration"]["p50"], d["duration"]["p80"])
    print(f"  {k:<10} {t:8.3f} s  {t / (tasks * iters) * 1e9:7.2f} ns/task-iteration   P50 {p[0]:.2f}  P80 {p[1]:.2f}")
for w in workers:
    n, b, f = (best[f"{k}-{w}"][0] for k in ("numpy", "basic", "full"))
    print(f"{w} worker(s)/thread(s) each: numpy/basic {n / b:.2f}x, numpy/full {n / f:.2f}x, full/basic {f / b:.2f}x")
print("basic: percentiles, criticality and every task's finish dates (which NumPy does not compute);")
print("full (the default): also cruciality, rank sensitivity and the risk-driver reruns.")
PY
