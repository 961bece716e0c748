#!/usr/bin/env python3
"""TinyNN against its peers, each ratio measured side by side in one run.

For each peer, `tinynn train` and the peer (Scripts/bench-peer.py) run as whole
processes, alternating (A B, then B A, ...) for --pairs pairs, on the same task
(the seeds' network [784,30,10], 8,000 MNIST images, 30 epochs, 2,000 held out
and tested after every epoch). Each pair gives a ratio peer / TinyNN of
  - whole-process CPU time (user + system, from wait4): what load changes least,
  - whole-process wall time,
  - the training loop alone (wall; TinyNN's from its per-epoch samples/s, the
    peer's from its own timer around the epochs).
The table shows the median ratio and the spread (lowest…highest) over the pairs,
and the ratio of each side's fastest whole-process CPU time over all pairs
(load only adds time, so each side's least disturbed run is what a loaded
machine moves least).
Writes the figures as JSON with --json.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--tinynn", default=".build/bench/release/tinynn")
p.add_argument("--pairs", type=int, default=5)
p.add_argument("--peers", default="numpy,sklearn,torch,network")
p.add_argument("--json")
args = p.parse_args()

images, labels = "Data/mnist/t10k-images-idx3-ubyte.gz", "Data/mnist/t10k-labels-idx1-ubyte.gz"
# network.py's per-sample loop is ~10x slower than the rest: 3 epochs, loop ratio only.
epochs = {"network": 3}


def tinynn_command(n):
    return [args.tinynn, "train", "--images", images, "--labels", labels, "--limit", "10000",
            "--validation-split", "0.2", "--layers", "784,30,10", "--activations", "sigmoid,sigmoid",
            "--loss", "quadratic", "--init", "gaussian", "--optimizer", "sgd", "--patience", "0", "--eta", "3", "--batch", "10", "--epochs", str(n),
            "--output", "/tmp/tinynn-bench-compare.tnn"]


def run(cmd):
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    # communicate() reaped the child; its rusage is in RUSAGE_CHILDREN, so take the difference.
    return proc.returncode, out.decode(), err.decode(), wall


def cpu_children():
    r = os.times()
    return r.children_user + r.children_system


def measure(cmd):
    before = cpu_children()
    rc, out, err, wall = run(cmd)
    return rc, out, err, wall, cpu_children() - before


def tinynn(n):
    rc, out, err, wall, cpu = measure(tinynn_command(n))
    if rc != 0:
        sys.exit(f"bench-compare: tinynn train failed: {err.strip()[-300:]}")
    rates = [float(r) for r in re.findall(r"(\d+) samples/s", err.replace("\r", "\n"))]
    rates = rates[-n:]
    acc = re.findall(r"accuracy ([\d.]+)% on", out + err)
    return {"cpu": cpu, "wall": wall, "loop": sum(8000 / r for r in rates), "accuracy": float(acc[-1]) / 100 if acc else None}


def peer(name, n):
    rc, out, err, wall, cpu = measure([sys.executable, "Scripts/bench-peer.py", "--peer", name, "--epochs", str(n)])
    if rc == 3:
        return None
    if rc != 0:
        sys.exit(f"bench-compare: peer {name} failed: {err.strip()[-300:]}")
    r = json.loads(out.strip().splitlines()[-1])
    return {"cpu": cpu, "wall": wall, "loop": r["loopWall"], "loopCPU": r["loopCPU"], "accuracy": r["accuracy"],
            "version": r["version"]}


def spread(xs):
    return {"median": statistics.median(xs), "low": min(xs), "high": max(xs)}


results = {"pairs": args.pairs, "peers": {}}
print(f"{'peer':<34} {'whole CPU':>18} {'fastest CPU':>11} {'whole wall':>18} {'loop alone':>18}  accuracy (peer, TinyNN)")
for name in args.peers.split(","):
    n = epochs.get(name, 30)
    pairs = []
    missing = False
    for k in range(args.pairs):
        if k % 2 == 0:
            a = tinynn(n); b = peer(name, n)
        else:
            b = peer(name, n); a = tinynn(n)
        if b is None:
            missing = True
            break
        pairs.append((a, b))
    if missing:
        print(f"{name:<34} not installed (pip); skipped")
        results["peers"][name] = None
        continue
    row = {key: spread([b[key] / a[key] for a, b in pairs]) for key in ("cpu", "wall", "loop")}
    row.update(version=pairs[0][1]["version"], epochs=n, accuracy=pairs[-1][1]["accuracy"],
               tinynnAccuracy=pairs[-1][0]["accuracy"],
               tinynnCPU=statistics.median(a["cpu"] for a, _ in pairs), peerCPU=statistics.median(b["cpu"] for _, b in pairs),
               fastestCPU=min(b["cpu"] for _, b in pairs) / min(a["cpu"] for a, _ in pairs),
               pairCPU=[[a["cpu"], b["cpu"]] for a, b in pairs])
    results["peers"][name] = row
    label = {"numpy": "NumPy vectorized float32", "sklearn": "scikit-learn MLPClassifier",
             "torch": "PyTorch CPU", "network": "network.py (seeds' reference)"}[name] + f" {row['version']}"
    cell = lambda s: f"{s['median']:.2f}x ({s['low']:.2f}…{s['high']:.2f})"
    whole_cpu = cell(row["cpu"]) if n == 30 else "-"
    whole_wall = cell(row["wall"]) if n == 30 else "-"
    fastest = f"{row['fastestCPU']:.2f}x" if n == 30 else "-"
    print(f"{label:<34} {whole_cpu:>18} {fastest:>11} {whole_wall:>18} {cell(row['loop']):>18}  "
          f"{row['accuracy']:.3f}, {row['tinynnAccuracy']:.3f}", flush=True)
print(f"(median of {args.pairs} alternating pairs; ratio = peer's time / TinyNN's; "
      f"TinyNN: {' '.join(tinynn_command(30))})")
if args.json:
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2)
