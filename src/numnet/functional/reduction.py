"""Reductions: sum, mean, max, min and logsumexp over any axes, and the sum of squares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from numnet.autograd.function import Function

if TYPE_CHECKING:
    from numnet.autograd.tensor import Tensor

Axis = int | tuple[int, ...] | None


def _expand(grad_out: np.ndarray, shape: tuple[int, ...], axis: Axis, keepdims: bool) -> np.ndarray:
    """Re-insert the reduced axes of grad_out so it broadcasts against the input."""
    if keepdims or axis is None:
        return grad_out.reshape([1] * len(shape)) if axis is None else grad_out
    axes = (axis,) if isinstance(axis, int) else axis
    return np.expand_dims(grad_out, tuple(a % len(shape) for a in axes))


class Sum(Function):
    """y = sum of x over `axis`; every summed element gets grad_out."""

    def __init__(self, axis: Axis = None, keepdims: bool = False) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.shape = x.shape
        return np.asarray(x.sum(axis=self.axis, keepdims=self.keepdims))

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        grad = _expand(grad_out, self.shape, self.axis, self.keepdims)
        return (np.broadcast_to(grad, self.shape),)


class Mean(Function):
    """y = mean of x over `axis`; every element gets grad_out / n."""

    def __init__(self, axis: Axis = None, keepdims: bool = False) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.shape = x.shape
        y = np.asarray(x.mean(axis=self.axis, keepdims=self.keepdims))
        self.count = x.size // y.size if y.size else 1
        return y

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        grad = _expand(grad_out, self.shape, self.axis, self.keepdims) / self.count
        return (np.broadcast_to(grad, self.shape),)


class Extremum(Function):
    """y = max (or min) of x over `axis`; ties share the gradient equally."""

    def __init__(self, reduce: Any, axis: Axis = None, keepdims: bool = False) -> None:
        self.reduce, self.axis, self.keepdims = reduce, axis, keepdims

    def forward(self, x: np.ndarray) -> np.ndarray:
        y = np.asarray(self.reduce(x, axis=self.axis, keepdims=True))
        is_extreme = x == y
        self.share = is_extreme / is_extreme.sum(axis=self.axis, keepdims=True)
        self.share = self.share.astype(x.dtype, copy=False)
        return y if self.keepdims else np.asarray(np.squeeze(y, axis=self.axis))

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        shape = self.share.shape
        return (_expand(grad_out, shape, self.axis, self.keepdims) * self.share,)


class SumOfSquares(Function):
    """y = sum(x**2) over all elements, the L2 penalty's core; dx = 2 x grad_out.

    One fused op: a single dot product forward and one pass backward, where
    square-then-sum would make and keep a full-size temporary.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        flat = x.ravel()
        return np.asarray(np.dot(flat, flat), dtype=x.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (self.x * (2 * grad_out),)


class LogSumExp(Function):
    """y = log(sum(exp(x))) over `axis`, computed with the max subtracted so exp cannot
    overflow; dx = grad_out * softmax(x)."""

    def __init__(self, axis: Axis = None, keepdims: bool = False) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x: np.ndarray) -> np.ndarray:
        m = x.max(axis=self.axis, keepdims=True)
        e = np.exp(x - m)
        s = e.sum(axis=self.axis, keepdims=True)
        self.softmax = e / s
        y = np.log(s) + m
        return y if self.keepdims else np.asarray(np.squeeze(y, axis=self.axis))

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        shape = self.softmax.shape
        return (_expand(grad_out, shape, self.axis, self.keepdims) * self.softmax,)


def sum(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Sum over `axis` (all axes when None)."""
    return Sum(axis, keepdims)(x)


def mean(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Mean over `axis` (all axes when None)."""
    return Mean(axis, keepdims)(x)


def max(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Maximum over `axis`."""
    return Extremum(np.max, axis, keepdims)(x)


def min(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Minimum over `axis`."""
    return Extremum(np.min, axis, keepdims)(x)


def sum_of_squares(x: Any) -> Tensor:
    """sum(x**2) over every element (a scalar)."""
    return SumOfSquares()(x)


def logsumexp(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """log(sum(exp(x))) over `axis`, stable for large x."""
    return LogSumExp(axis, keepdims)(x)
