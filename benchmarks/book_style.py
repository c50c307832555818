"""W2 the way "Deep Learning from Scratch" writes it: the yardstick for "5x faster than the
book code's approach".

Written for this benchmark after the book's chapter 7 design (not copied from its
repository): layer objects with forward/backward, im2col through a 6-axis buffer filled
one kernel offset at a time, pooling as im2col + max/argmax over each row, weights drawn
with `np.random.randn` (so the arithmetic runs in float64, as the book's does), and the
book's Adam. SimpleConvNet: conv 30 5x5, ReLU, 2x2 max pool, affine 100, ReLU, affine 10.
"""

from __future__ import annotations

import numpy as np


def im2col(x: np.ndarray, kh: int, kw: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    n, c, h, w = x.shape
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    img = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    col = np.zeros((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for y in range(kh):
        for x_ in range(kw):
            col[:, :, y, x_, :, :] = img[
                :, :, y : y + stride * oh : stride, x_ : x_ + stride * ow : stride
            ]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, -1)


def col2im(col, shape, kh: int, kw: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    n, c, h, w = shape
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    col = col.reshape(n, oh, ow, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((n, c, h + 2 * pad + stride - 1, w + 2 * pad + stride - 1), dtype=col.dtype)
    for y in range(kh):
        for x_ in range(kw):
            img[:, :, y : y + stride * oh : stride, x_ : x_ + stride * ow : stride] += col[
                :, :, y, x_, :, :
            ]
    return img[:, :, pad : h + pad, pad : w + pad]


class Convolution:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        fn, _, fh, fw = self.W.shape
        n, _, h, w = x.shape
        oh, ow = h - fh + 1, w - fw + 1
        self.x, self.col = x, im2col(x, fh, fw)
        self.col_W = self.W.reshape(fn, -1).T
        out = self.col @ self.col_W + self.b
        return out.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)

    def backward(self, dout):
        fn, c, fh, fw = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, fn)
        self.db = dout.sum(axis=0)
        self.dW = (self.col.T @ dout).transpose(1, 0).reshape(fn, c, fh, fw)
        return col2im(dout @ self.col_W.T, self.x.shape, fh, fw)


class Pooling:
    def __init__(self, size: int = 2):
        self.size = size

    def forward(self, x):
        n, c, h, w = x.shape
        oh, ow = h // self.size, w // self.size
        col = im2col(x, self.size, self.size, self.size).reshape(-1, self.size**2)
        self.x, self.arg_max = x, col.argmax(axis=1)
        return col.max(axis=1).reshape(n, oh, ow, c).transpose(0, 3, 1, 2)

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        dmax = np.zeros((dout.size, self.size**2), dtype=dout.dtype)
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dcol = dmax.reshape(dout.shape[0] * dout.shape[1] * dout.shape[2], -1)
        return col2im(dcol, self.x.shape, self.size, self.size, self.size)


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.shape)


class SoftmaxWithLoss:
    def forward(self, x, t):
        x = x - x.max(axis=1, keepdims=True)
        self.y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
        self.t = t
        return -np.log(self.y[np.arange(len(t)), t] + 1e-7).mean()

    def backward(self):
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx / len(self.t)


class Adam:
    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, None, None

    def update(self, params: dict, grads: dict) -> None:
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class SimpleConvNet:
    def __init__(self, weight_init_std: float = 0.01, seed: int = 0):
        np.random.seed(seed)
        self.params = {
            "W1": weight_init_std * np.random.randn(30, 1, 5, 5),
            "b1": np.zeros(30),
            "W2": weight_init_std * np.random.randn(30 * 12 * 12, 100),
            "b2": np.zeros(100),
            "W3": weight_init_std * np.random.randn(100, 10),
            "b3": np.zeros(10),
        }
        p = self.params
        self.conv, self.affine1, self.affine2 = (
            Convolution(p["W1"], p["b1"]),
            Affine(p["W2"], p["b2"]),
            Affine(p["W3"], p["b3"]),
        )
        self.layers = [self.conv, Relu(), Pooling(2), self.affine1, Relu(), self.affine2]
        self.last = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def gradient(self, x, t) -> dict:
        self.last.forward(self.predict(x), t)
        dout = self.last.backward()
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        c, a1, a2 = self.conv, self.affine1, self.affine2
        return {"W1": c.dW, "b1": c.db, "W2": a1.dW, "b2": a1.db, "W3": a2.dW, "b3": a2.db}
