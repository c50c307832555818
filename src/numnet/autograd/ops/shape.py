"""Shape ops: reshape, transpose, indexing, concatenate, stack, broadcast_to, where."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.graph import unbroadcast
from numnet.backend import get_array_module


class Reshape(Function):
    """y = x with a new shape; the gradient is reshaped back."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input_shape = x.shape
        return x.reshape(self.shape)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out.reshape(self.input_shape),)


class Transpose(Function):
    """y = x with its axes permuted; the gradient takes the inverse permutation."""

    def __init__(self, axes: Sequence[int] | None = None) -> None:
        self.axes = None if axes is None else tuple(axes)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x.transpose(self.axes)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        if self.axes is None:
            return (grad_out.transpose(),)
        return (grad_out.transpose(tuple(np.argsort(self.axes))),)


def _is_basic(index: Any) -> bool:
    """True for an index of ints, slices, None and Ellipsis only (no repeated elements)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, int | slice) or p is None or p is Ellipsis for p in parts)


class GetItem(Function):
    """y = x[index]; the gradient is scattered back, summed where an index repeats.

    `index` is anything an array accepts (ints, slices, integer or boolean arrays),
    with no Tensors inside.
    """

    def __init__(self, index: Any) -> None:
        self.index = index

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input_shape, self.dtype = x.shape, x.dtype
        return get_array_module(x).asarray(x[self.index])

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        xp = get_array_module(grad_out)
        grad = xp.zeros(self.input_shape, dtype=self.dtype)
        if _is_basic(self.index):
            grad[self.index] = grad_out
        else:
            xp.add.at(grad, self.index, grad_out)
        return (grad,)


class Concatenate(Function):
    """y = the inputs joined along `axis`; each input gets its slice of the gradient."""

    def __init__(self, axis: int = 0) -> None:
        self.axis = axis

    def forward(self, *xs: np.ndarray) -> np.ndarray:
        self.splits = list(accumulate(x.shape[self.axis] for x in xs))[:-1]
        return get_array_module(*xs).concatenate(xs, axis=self.axis)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(get_array_module(grad_out).split(grad_out, self.splits, axis=self.axis))


class Stack(Function):
    """y = the inputs stacked along a new `axis`; each input gets its slice of the gradient."""

    def __init__(self, axis: int = 0) -> None:
        self.axis = axis

    def forward(self, *xs: np.ndarray) -> np.ndarray:
        return get_array_module(*xs).stack(xs, axis=self.axis)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(get_array_module(grad_out).moveaxis(grad_out, self.axis, 0))


class BroadcastTo(Function):
    """y = x broadcast to `shape`; the gradient is summed back over the broadcast axes."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = tuple(shape)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input_shape = x.shape
        return get_array_module(x).broadcast_to(x, self.shape)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (unbroadcast(grad_out, self.input_shape),)


class Where(Function):
    """y = x where condition else other; each side gets the gradient where it was chosen.

    `condition` is a boolean array (a constant).
    """

    def __init__(self, condition: np.ndarray) -> None:
        self.condition = condition

    def forward(self, x: np.ndarray, other: np.ndarray) -> np.ndarray:
        self.shapes = x.shape, other.shape
        return get_array_module(x, other).where(self.condition, x, other)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xp = get_array_module(grad_out)
        shape_x, shape_other = self.shapes
        zero = xp.zeros((), dtype=grad_out.dtype)
        grad_x = xp.where(self.condition, grad_out, zero)
        grad_other = xp.where(self.condition, zero, grad_out)
        return unbroadcast(grad_x, shape_x), unbroadcast(grad_other, shape_other)
