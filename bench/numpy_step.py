#!/usr/bin/env python3
"""The reference's training step in plain NumPy, for `make bench`.

A 784-100-100-100-100-10 ReLU network with He initial weights, softmax with cross-entropy, and
Adam at lr 0.001, trained on mini-batches of 128 drawn with replacement: the layers written the
way the course writes them (an Affine, a ReLU and a SoftmaxWithLoss class each keeping what its
backward pass needs), in float64 as the course runs them. Prints one line:
`numpy_us_per_iteration <float> <dtype> <iterations>`.
"""
import gzip, os, struct, sys, time
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Datasets", "Resources")


def read_idx(name):
    with gzip.open(os.path.join(ROOT, name)) as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class SoftmaxWithLoss:
    def forward(self, x, t):
        x = x - x.max(axis=1, keepdims=True)
        self.y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
        self.t = t
        n = x.shape[0]
        return -np.log(self.y[np.arange(n), t] + 1e-7).sum() / n

    def backward(self):
        n = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1
        return dx / n


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m += (1 - self.beta1) * (g - m)
            v += (1 - self.beta2) * (g ** 2 - v)
            p -= lr_t * m / (np.sqrt(v) + 1e-7)


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    dtype = np.dtype(sys.argv[2] if len(sys.argv) > 2 else "float64")
    x_all = (read_idx("mnist-5k-images-idx3-ubyte.gz").reshape(-1, 784) / 255.0).astype(dtype)
    t_all = read_idx("mnist-5k-labels-idx1-ubyte.gz").astype(np.int64)
    rng = np.random.default_rng(1)
    sizes = [784, 100, 100, 100, 100, 10]
    affines = [Affine((rng.standard_normal((a, b)) * np.sqrt(2.0 / a)).astype(dtype), np.zeros(b, dtype))
               for a, b in zip(sizes, sizes[1:])]
    layers = []
    for affine in affines[:-1]:
        layers += [affine, Relu()]
    layers.append(affines[-1])
    loss_layer, optimizer = SoftmaxWithLoss(), Adam()
    params = [p for a in affines for p in (a.W, a.b)]

    def step():
        batch = rng.choice(len(x_all), 128)
        x, t = x_all[batch], t_all[batch]
        for layer in layers:
            x = layer.forward(x)
        loss = loss_layer.forward(x, t)
        dout = loss_layer.backward()
        for layer in reversed(layers):
            dout = layer.backward(dout)
        optimizer.update(params, [g for a in affines for g in (a.dW, a.db)])
        return loss

    for _ in range(20):  # warm-up: first-touch allocations and BLAS buffers
        step()
    best = float("inf")
    for _ in range(3):  # best of three, as for the Swift side: noise only ever adds time
        start = time.perf_counter()
        for _ in range(iterations):
            loss = step()
        best = min(best, time.perf_counter() - start)
    if not np.isfinite(loss):
        sys.exit("numpy_step: loss diverged")
    print(f"numpy_us_per_iteration {best / iterations * 1e6:.1f} {dtype} {iterations}")


if __name__ == "__main__":
    main()
