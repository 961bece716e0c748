#!/usr/bin/env python3
"""Training throughput of a straightforward NumPy network, for comparison with TinyNN.

The algorithm is that of Michael Nielsen's network.py (the seeds' network):
[784, 30, 10], sigmoid everywhere, quadratic cost, mini-batches of 10,
eta = 3, per-sample backpropagation with column vectors, gradients summed
over the batch, then w -= (eta/m) * nabla_w. It trains on the bundled MNIST
test set (Data/mnist, 10,000 images) in file order, like tinynn-bench.

BLAS is limited to one thread (TinyNN trains on one core); --threads changes it.
"""
import argparse
import gzip
import json
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="Data/mnist", help="directory with the MNIST t10k IDX .gz files")
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"],
                   help="float32 is TinyNN's precision; network.py itself uses float64")
    p.add_argument("--batches", type=int, default=1000, help="mini-batches per repetition (1000 = one pass)")
    p.add_argument("--repetitions", type=int, default=3, help="timed repetitions; the fastest is reported")
    p.add_argument("--threads", default="1", help="BLAS threads (OPENBLAS/OMP/MKL_NUM_THREADS)")
    p.add_argument("--json", help="also write the result to this file")
    return p.parse_args()


args = parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = args.threads
import numpy as np  # noqa: E402  (after the thread settings)


def load_mnist(directory, dtype):
    with gzip.open(os.path.join(directory, "t10k-images-idx3-ubyte.gz")) as f:
        raw = f.read()
    images = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784).astype(dtype) / dtype(255)
    with gzip.open(os.path.join(directory, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
    xs = [x.reshape(784, 1) for x in images]
    ys = []
    for label in labels:
        y = np.zeros((10, 1), dtype=dtype)
        y[label] = 1
        ys.append(y)
    return list(zip(xs, ys))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


class Network:
    """network.py's Network, restricted to what training needs."""

    def __init__(self, sizes, dtype, seed=1):
        rng = np.random.default_rng(seed)
        self.num_layers = len(sizes)
        self.biases = [rng.standard_normal((y, 1)).astype(dtype) for y in sizes[1:]]
        self.weights = [rng.standard_normal((y, x)).astype(dtype) for x, y in zip(sizes[:-1], sizes[1:])]

    def update_mini_batch(self, mini_batch, eta):
        nabla_b = [np.zeros(b.shape, dtype=b.dtype) for b in self.biases]
        nabla_w = [np.zeros(w.shape, dtype=w.dtype) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        scale = self.weights[0].dtype.type(eta / len(mini_batch))
        self.weights = [w - scale * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - scale * nb for b, nb in zip(self.biases, nabla_b)]

    def backprop(self, x, y):
        nabla_b = [None] * len(self.biases)
        nabla_w = [None] * len(self.weights)
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for l in range(2, self.num_layers):
            z = zs[-l]
            sp = sigmoid_prime(z)
            delta = np.dot(self.weights[-l + 1].transpose(), delta) * sp
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return nabla_b, nabla_w


def main():
    dtype = np.float32 if args.dtype == "float32" else np.float64
    data = load_mnist(args.data, dtype)
    net = Network([784, 30, 10], dtype)
    m = 10
    batches = [data[k:k + m] for k in range(0, len(data), m)]
    net.update_mini_batch(batches[0], 3.0)  # warm-up
    rates = []
    for _ in range(args.repetitions):
        start = time.perf_counter()
        for k in range(args.batches):
            net.update_mini_batch(batches[k % len(batches)], 3.0)
        seconds = time.perf_counter() - start
        rates.append(args.batches * m / seconds)
    best = max(rates)
    command = f"python3 Scripts/bench-numpy.py --dtype {args.dtype} --threads {args.threads}"
    print(f"NumPy {np.__version__} ({args.dtype}, BLAS threads {args.threads}): [784,30,10] sigmoid/quadratic,"
          f" mini-batch 10, eta 3: {best:.0f} samples/s (fastest of {args.repetitions} x {args.batches * m} samples;"
          f" all: {', '.join(f'{r:.0f}' for r in rates)})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"samplesPerSecond": best, "samples": args.batches * m, "seconds": args.batches * m / best,
                       "numpyVersion": np.__version__, "dtype": args.dtype, "threads": args.threads,
                       "command": command, "allRates": rates}, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
