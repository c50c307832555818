"""Matrix products: matmul and the fully connected layer's affine map."""

from __future__ import annotations

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.graph import unbroadcast
from numnet.backend import get_array_module

CHUNK_WORK = 1 << 18  # multiply-adds in one chunk of a long reduction (see long_product)


def long_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b for an (m, K) a and a (K, n) b whose shared axis K is far longer than the
    product's m x n entries: a convolution's kernel gradient, summed over every pixel of
    a batch. The plain form is `a @ b`; a test checks that the two agree.

    OpenBLAS runs such a product several times below its usual speed: the
    (26, 57600) @ (57600, 30) of a 5x5 one-channel convolution over 100 MNIST images
    takes 1.7 ms on 2 cores and 1.0 ms cut into chunks of 336 along K. So when the output
    is small (m * n <= 1024), K is cut into chunks of about CHUNK_WORK multiply-adds each,
    their products are made by one batched matmul and summed.
    """
    m, k = a.shape
    n = b.shape[1]
    chunk = CHUNK_WORK // max(m * n, 1)
    chunks = k // max(chunk, 1)
    if m * n > 1024 or chunks < 4:
        return a @ b
    split = chunks * chunk
    a_chunks = a[:, :split].reshape(m, chunks, chunk).transpose(1, 0, 2)
    out = get_array_module(a).matmul(a_chunks, b[:split].reshape(chunks, chunk, n)).sum(axis=0)
    if split < k:
        out += a[:, split:] @ b[split:]
    return out


class MatMul(Function):
    """y = a @ b (NumPy's matmul rules); da = grad_out @ b.T, db = a.T @ grad_out."""

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.a, self.b = a, b
        return a @ b

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        need_a, need_b = self.needs_input_grad
        # Treat vectors as matrices so one rule covers every case, then drop the extra axis.
        a = self.a[None, :] if self.a.ndim == 1 else self.a
        b = self.b[:, None] if self.b.ndim == 1 else self.b
        g = grad_out
        if self.b.ndim == 1:
            g = g[..., None]
        if self.a.ndim == 1:
            g = g[..., None, :]
        grad_a = grad_b = None
        if need_a:
            grad_a = unbroadcast(g @ b.swapaxes(-1, -2), a.shape).reshape(self.a.shape)
        if need_b:
            grad_b = unbroadcast(a.swapaxes(-1, -2) @ g, b.shape).reshape(self.b.shape)
        return grad_a, grad_b


class Linear(Function):
    """y = x @ W + b, the affine layer of "Deep Learning from Scratch" (W is (in, out)).

    Backward, as in the book's Affine layer: dx = grad_out @ W.T, dW = x.T @ grad_out,
    db = grad_out summed over the batch. Inputs with more than two axes are treated as a
    batch of rows.
    """

    def forward(self, x: np.ndarray, W: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
        self.x, self.W = x, W
        y = x @ W
        if b is not None:
            y += b
        return y

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        need_x, need_W = self.needs_input_grad[:2]
        rows = grad_out.reshape(-1, grad_out.shape[-1])
        grad_x = grad_out @ self.W.T if need_x else None
        grad_W = self.x.reshape(-1, self.x.shape[-1]).T @ rows if need_W else None
        if len(self.needs_input_grad) == 2:
            return grad_x, grad_W
        grad_b = rows.sum(axis=0) if self.needs_input_grad[2] else None
        return grad_x, grad_W, grad_b
