#!/usr/bin/env python3
"""Generates the small tabular sets in Data/tabular/ (committed; nothing at
test time needs Python): NAME-train.csv and NAME-test.csv, a header row, the
class label in the first column, then the features. Deterministic (NumPy's
PCG64 with fixed seeds), so re-running rewrites the same files.

  blobs2       2 classes, 12 features (8 informative, 4 noise), 800 rows
  teacher10   10 classes, 16 features, labels from a random tanh network, 1500 rows
  magnitudes   3 classes, 8 features spanning 1e-3 ... 1e4 with offsets, 900 rows

usage: Scripts/make-tabular.py [OUTDIR]   (default Data/tabular)
"""
import os
import sys

import numpy as np


def blobs2(rng):
    n = 800
    y = rng.integers(0, 2, n)
    centers = rng.normal(0, 1.0, (2, 8))
    x = centers[y] + rng.normal(0, 1.3, (n, 8))
    x = np.hstack([x, rng.normal(0, 1, (n, 4))])
    return x, y


def teacher10(rng):
    n = 1500
    x = rng.normal(0, 1, (n, 16))
    w1, w2 = rng.normal(0, 1, (16, 24)), rng.normal(0, 1, (24, 10))
    logits = np.tanh(x @ w1 / 4) @ w2 + rng.normal(0, 0.3, (n, 10))
    return x, logits.argmax(axis=1)


def magnitudes(rng):
    n = 900
    z = rng.normal(0, 1, (n, 8))
    r = np.sqrt((z[:, :4] ** 2).sum(axis=1)) + 0.6 * z[:, 4] * z[:, 5]
    y = np.digitize(r, np.quantile(r, [1 / 3, 2 / 3]))
    scales = 10.0 ** np.array([-3, -2, -1, 0, 1, 2, 3, 4])
    offsets = np.array([0, 5, -50, 0, 1000, -200, 3e4, 1e5])
    return z * scales + offsets, y


def write(path, x, y):
    with open(path, "w") as f:
        f.write("label," + ",".join(f"x{j + 1}" for j in range(x.shape[1])) + "\n")
        for xi, yi in zip(x, y):
            f.write(f"{yi}," + ",".join(f"{v:.6g}" for v in xi) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Data", "tabular")
    os.makedirs(out, exist_ok=True)
    for seed, make in enumerate([blobs2, teacher10, magnitudes]):
        rng = np.random.Generator(np.random.PCG64(1000 + seed))
        x, y = make(rng)
        cut = int(len(y) * 0.75)  # rows are already in random order
        write(os.path.join(out, f"{make.__name__}-train.csv"), x[:cut], y[:cut])
        write(os.path.join(out, f"{make.__name__}-test.csv"), x[cut:], y[cut:])
        print(f"{make.__name__}: {cut} train, {len(y) - cut} test, {x.shape[1]} features, {y.max() + 1} classes")


if __name__ == "__main__":
    main()
