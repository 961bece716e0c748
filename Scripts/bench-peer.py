#!/usr/bin/env python3
"""One peer of TinyNN trains the seeds' network, for Scripts/bench-compare.py.

The run that `tinynn train` does in the comparison: the first 8,000 images of the
bundled MNIST set (Data/mnist) train, the last 2,000 are held out and tested after
every epoch; [784,30,10], sigmoid, mini-batches of 10, 30 epochs, reshuffled
every epoch. Prints one JSON line: the training loop's CPU and wall seconds
(epochs only, without loading or testing) and the final held-out accuracy.

Peers:
  numpy    vectorized mini-batch NumPy in float32 (TinyNN's precision): one
           matrix product per layer and batch; quadratic cost, eta 3 (the seeds')
  sklearn  scikit-learn's MLPClassifier: solver sgd, batch 10, no momentum,
           logistic hidden layer (its output is softmax with log loss, it has no
           quadratic cost), learning rate 0.5, one partial_fit per epoch
  torch    PyTorch on the CPU, float32, the seeds' network and cost with torch.optim.SGD
  network  Nielsen's network.py algorithm (per-sample backpropagation), the seeds'
           own reference, in float32

BLAS and the frameworks are held to one thread (TinyNN trains on one core).
Exit 3 when the peer's package is not installed.
"""
import argparse
import gzip
import json
import os
import sys
import time

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--peer", required=True, choices=["numpy", "sklearn", "torch", "network"])
p.add_argument("--data", default="Data/mnist")
p.add_argument("--epochs", type=int, default=30)
args = p.parse_args()

try:
    import numpy as np
    if args.peer == "sklearn":
        import warnings
        from sklearn.neural_network import MLPClassifier
        from sklearn.exceptions import ConvergenceWarning
        warnings.simplefilter("ignore", ConvergenceWarning)
    if args.peer == "torch":
        import torch
        torch.set_num_threads(1)
except ImportError as e:
    print(f"bench-peer: {args.peer}: {e}", file=sys.stderr)
    sys.exit(3)


def load(directory):
    with gzip.open(os.path.join(directory, "t10k-images-idx3-ubyte.gz")) as f:
        x = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / np.float32(255)
    with gzip.open(os.path.join(directory, "t10k-labels-idx1-ubyte.gz")) as f:
        y = np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)
    return x[:8000], y[:8000], x[8000:10000], y[8000:10000]


x, y, tx, ty = load(args.data)
rng = np.random.default_rng(1)
m, eta, epochs = 10, 3.0, args.epochs
cpu = wall = 0.0


class Timer:
    def __enter__(self):
        self.c, self.w = time.process_time(), time.perf_counter()

    def __exit__(self, *a):
        global cpu, wall
        cpu += time.process_time() - self.c
        wall += time.perf_counter() - self.w


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


if args.peer in ("numpy", "network"):
    f32 = np.float32
    w1, b1 = rng.standard_normal((30, 784)).astype(f32), rng.standard_normal(30).astype(f32)
    w2, b2 = rng.standard_normal((10, 30)).astype(f32), rng.standard_normal(10).astype(f32)
    onehot = np.eye(10, dtype=f32)[y]
    step = f32(eta / m)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        with Timer():
            for k in range(0, len(x), m):
                idx = order[k:k + m]
                if args.peer == "numpy":
                    # z = X Wᵀ + b, a = σ(z); δ² = (a² − Y) ⊙ σ'(z²); δ¹ = δ² W² ⊙ σ'(z¹) (BP1–BP4)
                    xb, yb = x[idx], onehot[idx]
                    a1 = sigmoid(xb @ w1.T + b1)
                    a2 = sigmoid(a1 @ w2.T + b2)
                    d2 = (a2 - yb) * a2 * (1 - a2)
                    d1 = (d2 @ w2) * a1 * (1 - a1)
                    w2 -= step * (d2.T @ a1); b2 -= step * d2.sum(0)
                    w1 -= step * (d1.T @ xb); b1 -= step * d1.sum(0)
                else:
                    gw1, gb1, gw2, gb2 = np.zeros_like(w1), np.zeros_like(b1), np.zeros_like(w2), np.zeros_like(b2)
                    for i in idx:
                        xs = x[i].reshape(784, 1)
                        a1 = sigmoid(w1 @ xs + b1.reshape(30, 1))
                        a2 = sigmoid(w2 @ a1 + b2.reshape(10, 1))
                        d2 = (a2 - onehot[i].reshape(10, 1)) * a2 * (1 - a2)
                        d1 = (w2.T @ d2) * a1 * (1 - a1)
                        gw2 += d2 @ a1.T; gb2 += d2[:, 0]; gw1 += d1 @ xs.T; gb1 += d1[:, 0]
                    w1 -= step * gw1; b1 -= step * gb1; w2 -= step * gw2; b2 -= step * gb2
        accuracy = float((sigmoid(sigmoid(tx @ w1.T + b1) @ w2.T + b2).argmax(1) == ty).mean())
    version = np.__version__
elif args.peer == "sklearn":
    import sklearn
    net = MLPClassifier(hidden_layer_sizes=(30,), activation="logistic", solver="sgd", batch_size=m,
                        learning_rate_init=0.5, momentum=0, alpha=0, shuffle=True, random_state=1)
    for _ in range(epochs):
        with Timer():
            net.partial_fit(x, y, classes=np.arange(10))
        accuracy = float(net.score(tx, ty))
    version = sklearn.__version__
else:
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(784, 30), torch.nn.Sigmoid(), torch.nn.Linear(30, 10), torch.nn.Sigmoid())
    for prm in net.parameters():
        torch.nn.init.normal_(prm)
    opt = torch.optim.SGD(net.parameters(), lr=eta / 2)  # mse_loss(sum)/m has gradient 2(a−y)/m: eta/2 is the seeds' step
    xt, yt, txt = torch.from_numpy(x), torch.from_numpy(np.eye(10, dtype=np.float32)[y]), torch.from_numpy(tx)
    for _ in range(epochs):
        order = torch.from_numpy(rng.permutation(len(x)))
        with Timer():
            for k in range(0, len(x), m):
                idx = order[k:k + m]
                opt.zero_grad()
                loss = torch.nn.functional.mse_loss(net(xt[idx]), yt[idx], reduction="sum") / m
                loss.backward()
                opt.step()
        with torch.no_grad():
            accuracy = float((net(txt).argmax(1).numpy() == ty).mean())
    version = torch.__version__

print(json.dumps({"peer": args.peer, "version": version, "loopCPU": cpu, "loopWall": wall, "accuracy": accuracy}))
