"""W1 written by hand in NumPy: no framework, no graph, no layers.

    NUMNET_DATA=../shared/datasets python benchmarks/numpy_w1.py

The notes' MLP (784-512 ReLU dropout 0.2, 512-512 batch norm ReLU dropout 0.2, 512-10
softmax; L2 1e-3 on the middle kernel; Adam 1e-3; batch 128) as one loop of NumPy
calls: the same matrix products as numnet and PyTorch, each element-wise formula in as
few NumPy passes as we could write it, each weight's Adam update in cache-sized blocks,
and the running loss and accuracy that `fit` keeps. `compare.py` reports its seconds
per epoch as "W1 by hand in NumPy": what this epoch costs in NumPy on this machine with
no framework around it, the reference for how much numnet's layers, graph and `fit`
add, and for how far below PyTorch a NumPy program can go.
"""

from __future__ import annotations

import math
import time

import numpy as np

RATE, L2, LR, B1, B2, EPS, BN_EPS = 0.2, 1e-3, 1e-3, 0.9, 0.999, 1e-7, 1e-3
F32 = np.float32
BLOCK = 1 << 16  # elements of one Adam block: its five arrays stay in cache


def glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    limit = math.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(F32)


class HandWrittenMLP:
    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.params = [
            glorot(self.rng, 784, 512), np.zeros(512, F32),
            glorot(self.rng, 512, 512), np.zeros(512, F32),
            np.ones(512, F32), np.zeros(512, F32),  # batch norm's gamma and beta
            glorot(self.rng, 512, 10), np.zeros(10, F32),
        ]  # fmt: skip
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.work = np.empty(BLOCK, F32)  # one block of work space for every update
        self.t = 0
        self.mean, self.var = np.zeros(512, F32), np.ones(512, F32)  # batch norm's moving ones

    def dropout_scale(self, n: int) -> np.ndarray:
        """Kept units 1 / (1 - rate), dropped ones 0 (32-bit uniform integers, as numnet)."""
        bits = self.rng.bit_generator.random_raw(n * 256).view(np.uint32).reshape(n, 512)
        return np.multiply(bits >= np.uint32(round(RATE * 2**32)), 1 / (1 - RATE), dtype=F32)

    def train_step(self, xb: np.ndarray, yb: np.ndarray) -> tuple[float, int]:
        """One batch: forward, backward, Adam. Returns the loss and the correct count."""
        W1, b1, W2, b2, gamma, beta, W3, b3 = self.params
        n = len(yb)
        rows = np.arange(n)
        # forward
        h1 = xb @ W1
        h1 += b1
        np.maximum(h1, 0, out=h1)
        d1 = self.dropout_scale(n)
        h1 *= d1
        x_hat = h1 @ W2
        x_hat += b2
        mean = x_hat.mean(axis=0)
        x_hat -= mean
        var = np.einsum("ij,ij->j", x_hat, x_hat) / n
        self.mean += 0.01 * (mean - self.mean)
        self.var += 0.01 * (var - self.var)
        inv = 1 / np.sqrt(var + BN_EPS)
        x_hat *= inv
        h2 = x_hat * gamma
        h2 += beta
        np.maximum(h2, 0, out=h2)
        d2 = self.dropout_scale(n)
        h2 *= d2
        probs = h2 @ W3
        probs += b3
        probs -= probs.max(axis=1, keepdims=True)
        np.exp(probs, out=probs)
        probs /= probs.sum(axis=1, keepdims=True)
        flat = W2.ravel()
        loss = -np.log(probs[rows, yb]).mean() + L2 * float(flat @ flat)
        correct = int((probs.argmax(axis=1) == yb).sum())
        # backward
        probs[rows, yb] -= 1
        probs /= n  # d logits
        g3, gb3 = h2.T @ probs, probs.sum(axis=0)
        dh2 = probs @ W3.T
        dh2 *= d2
        dh2 *= h2 > 0
        ggamma, gbeta = np.einsum("ij,ij->j", dh2, x_hat), dh2.sum(axis=0)
        dh2 *= gamma  # d x_hat
        dz2 = dh2 - gbeta * gamma / n
        dz2 -= x_hat * (ggamma * gamma / n)
        dz2 *= inv
        g2 = h1.T @ dz2
        g2 += (2 * L2) * W2
        gb2 = dz2.sum(axis=0)
        dh1 = dz2 @ W2.T
        dh1 *= d1
        dh1 *= h1 > 0
        g1, gb1 = xb.T @ dh1, dh1.sum(axis=0)
        self.adam([g1, gb1, g2, gb2, ggamma, gbeta, g3, gb3])
        return float(loss), correct

    def adam(self, grads: list[np.ndarray]) -> None:
        """Keras' Adam with the sums m / (1 - b1) and v / (1 - b2), as numnet keeps them."""
        self.t += 1
        step = LR * math.sqrt(1 - B2**self.t) / (1 - B1**self.t) * (1 - B1) / math.sqrt(1 - B2)
        eps = EPS / math.sqrt(1 - B2)
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            rows = max(1, BLOCK // (p.size // len(p)))
            for r in range(0, len(p), rows):
                pb, gb, mb, vb = (a[r : r + rows] for a in (p, g, m, v))
                wb = self.work[: pb.size].reshape(pb.shape)
                mb *= B1
                mb += gb
                vb *= B2
                np.square(gb, out=wb)
                vb += wb
                np.sqrt(vb, out=wb)
                wb += eps
                np.divide(mb, wb, out=wb)
                wb *= step
                pb -= wb
            if self.t % 100 == 0:  # as numnet: moments of dead units would go subnormal
                for slot in (m, v):
                    slot[np.abs(slot) < np.finfo(F32).tiny] = 0

    def probabilities(self, x: np.ndarray, batch: int = 1000) -> np.ndarray:
        """W3 by hand: the class probabilities of x in batches, in the fewest passes we
        could write: batch norm's inference map folded into the middle layer's weights,
        each ReLU and the softmax written over the product they follow."""
        W1, b1, W2, b2, gamma, beta, W3, b3 = self.params
        scale = gamma / np.sqrt(self.var + BN_EPS)
        W2s, b2s = W2 * scale, (b2 - self.mean) * scale + beta
        parts = []
        for start in range(0, len(x), batch):
            h = x[start : start + batch] @ W1
            h += b1
            np.maximum(h, 0, out=h)
            h = h @ W2s
            h += b2s
            np.maximum(h, 0, out=h)
            p = h @ W3
            p += b3
            p -= np.ascontiguousarray(p.T).max(axis=0)[:, None]  # short rows: see row_max
            np.exp(p, out=p)
            p /= p.sum(axis=1, keepdims=True)
            parts.append(p)
        return np.concatenate(parts)

    def predict(self, x: np.ndarray) -> np.ndarray:
        W1, b1, W2, b2, gamma, beta, W3, b3 = self.params
        h = np.maximum(x @ W1 + b1, 0) @ W2 + b2
        h = np.maximum((h - self.mean) / np.sqrt(self.var + BN_EPS) * gamma + beta, 0)
        return (h @ W3 + b3).argmax(axis=1)


def train(x, y, orders: list[list[np.ndarray]]) -> tuple[list[float], HandWrittenMLP, float]:
    """One epoch per batch order, keeping `fit`'s running loss and accuracy; returns the
    seconds of each epoch, the network and the last epoch's training accuracy."""
    net, times = HandWrittenMLP(), []
    for order in orders:
        start = time.perf_counter()
        seen = correct = 0
        total_loss = 0.0
        for index in order:
            loss, right = net.train_step(x[index], y[index])
            seen, correct, total_loss = seen + len(index), correct + right, total_loss + loss
        times.append(time.perf_counter() - start)
    return times, net, correct / seen


if __name__ == "__main__":
    from compare import batch_orders, load_mnist

    x, y, xt, yt = load_mnist()
    times, net, train_accuracy = train(x, y, batch_orders(len(x), 128, 4))
    print("s/epoch", [round(s, 2) for s in times], "train accuracy", round(train_accuracy, 4))
    print("test accuracy", float((net.predict(xt) == yt).mean()))
