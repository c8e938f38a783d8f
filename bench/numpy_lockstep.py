#!/usr/bin/env python3
"""K networks trained on the same mini-batches in plain NumPy, for `make bench`.

The networks of the hyperparameter search: 784, six hidden layers of 100 ReLU units (He initial
weights), 10, softmax with cross-entropy, SGD at lr 0.01, mini-batches of 100 drawn with
replacement, every network learning from the same batch. Two ways, as the Swift side measures:

* alone: each network's whole step (forward, backward, update) one after the other;
* lockstep: the first layers' weights side by side in one 784 x 100K array, so that the first
  forward product and the first weight gradient are one product each for all K networks, the
  layers above per network.

Usage: numpy_lockstep.py K steps dtype. Prints one line:
`numpy_lockstep <K> <alone us per network-step> <lockstep us per network-step> <dtype>`.
"""
import sys, time
import numpy as np
from numpy_step import read_idx

WIDTHS = [784, 100, 100, 100, 100, 100, 100, 10]


def make_networks(k, rng, dtype):
    return [[((rng.standard_normal((a, b)) * np.sqrt(2.0 / a)).astype(dtype), np.zeros(b, dtype))
             for a, b in zip(WIDTHS, WIDTHS[1:])] for _ in range(k)]


def upper_step(layers, h, t, lr):
    """Forward from the first layer's output h (before its ReLU), loss, backward; updates layers[1:]
    and returns the gradient at h."""
    activations, pre = [], h
    for W, b in layers[1:]:
        a = np.maximum(pre, 0)
        activations.append((a, pre))
        pre = a @ W + b
    scores = pre - pre.max(axis=1, keepdims=True)
    y = np.exp(scores)
    y /= y.sum(axis=1, keepdims=True)
    n = len(t)
    d = y
    d[np.arange(n), t] -= 1
    d /= n
    for (W, b), (a, pre_in) in zip(reversed(layers[1:]), reversed(activations)):
        dW, db = a.T @ d, d.sum(axis=0)
        d = (d @ W.T) * (pre_in > 0)
        W -= lr * dW
        b -= lr * db
    return d


def alone(networks, x, t, lr):
    for layers in networks:
        W1, b1 = layers[0]
        d = upper_step(layers, x @ W1 + b1, t, lr)
        W1 -= lr * (x.T @ d)
        b1 -= lr * d.sum(axis=0)


def lockstep(networks, stacked_w, stacked_b, x, t, lr):
    wide = x @ stacked_w + stacked_b
    d_wide = np.empty_like(wide)
    for i, layers in enumerate(networks):
        block = slice(100 * i, 100 * (i + 1))
        d_wide[:, block] = upper_step(layers, wide[:, block], t, lr)
    stacked_w -= lr * (x.T @ d_wide)
    stacked_b -= lr * d_wide.sum(axis=0)


def main():
    k, steps = int(sys.argv[1]), int(sys.argv[2])
    dtype = np.dtype(sys.argv[3] if len(sys.argv) > 3 else "float32")
    x_all = (read_idx("mnist-5k-images-idx3-ubyte.gz").reshape(-1, 784)[:400] / 255.0).astype(dtype)
    t_all = read_idx("mnist-5k-labels-idx1-ubyte.gz")[:400].astype(np.int64)
    rng = np.random.default_rng(1)
    lr = dtype.type(0.01)
    networks = make_networks(k, rng, dtype)
    stacked_w = np.concatenate([layers[0][0] for layers in networks], axis=1)
    stacked_b = np.concatenate([layers[0][1] for layers in networks])
    results = []
    for run in (lambda x, t: alone(networks, x, t, lr), lambda x, t: lockstep(networks, stacked_w, stacked_b, x, t, lr)):
        for _ in range(3):  # warm-up
            batch = rng.choice(len(x_all), 100)
            run(x_all[batch], t_all[batch])
        best = float("inf")
        for _ in range(3):  # best of three: noise only ever adds time
            start = time.perf_counter()
            for _ in range(steps):
                batch = rng.choice(len(x_all), 100)
                run(x_all[batch], t_all[batch])
            best = min(best, time.perf_counter() - start)
        results.append(best / (steps * k) * 1e6)
    print(f"numpy_lockstep {k} {results[0]:.1f} {results[1]:.1f} {dtype}")


if __name__ == "__main__":
    main()
