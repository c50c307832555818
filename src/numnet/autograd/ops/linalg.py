"""Matrix products: matmul and the fully connected layer's affine map."""

from __future__ import annotations

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.graph import unbroadcast


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
