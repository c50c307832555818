"""Shape ops: reshape, transpose, indexing, concatenate, stack, broadcast_to, where."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.graph import unbroadcast

if TYPE_CHECKING:
    from numnet.autograd.tensor import Tensor


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
        return (grad_out.transpose(np.argsort(self.axes)),)


def _raw_index(index: Any) -> Any:
    """Replace Tensors inside an index by their arrays."""
    if isinstance(index, tuple):
        return tuple(_raw_index(i) for i in index)
    data = getattr(index, "data", None)
    return data if isinstance(data, np.ndarray) else index


def _is_basic(index: Any) -> bool:
    """True for an index of ints, slices, None and Ellipsis only (no repeated elements)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, int | slice) or p is None or p is Ellipsis for p in parts)


class GetItem(Function):
    """y = x[index]; the gradient is scattered back, summed where an index repeats."""

    def __init__(self, index: Any) -> None:
        self.index = _raw_index(index)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input_shape, self.dtype = x.shape, x.dtype
        return np.asarray(x[self.index])

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros(self.input_shape, dtype=self.dtype)
        if _is_basic(self.index):
            grad[self.index] = grad_out
        else:
            np.add.at(grad, self.index, grad_out)
        return (grad,)


class Concatenate(Function):
    """y = the inputs joined along `axis`; each input gets its slice of the gradient."""

    def __init__(self, axis: int = 0) -> None:
        self.axis = axis

    def forward(self, *xs: np.ndarray) -> np.ndarray:
        self.splits = np.cumsum([x.shape[self.axis] for x in xs])[:-1]
        return np.concatenate(xs, axis=self.axis)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(np.split(grad_out, self.splits, axis=self.axis))


class Stack(Function):
    """y = the inputs stacked along a new `axis`; each input gets its slice of the gradient."""

    def __init__(self, axis: int = 0) -> None:
        self.axis = axis

    def forward(self, *xs: np.ndarray) -> np.ndarray:
        return np.stack(xs, axis=self.axis)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(np.moveaxis(grad_out, self.axis, 0))


class BroadcastTo(Function):
    """y = x broadcast to `shape`; the gradient is summed back over the broadcast axes."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = tuple(shape)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input_shape = x.shape
        return np.broadcast_to(x, self.shape)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (unbroadcast(grad_out, self.input_shape),)


class Where(Function):
    """y = x where condition else other; each side gets the gradient where it was chosen."""

    def __init__(self, condition: np.ndarray) -> None:
        self.condition = condition

    def forward(self, x: np.ndarray, other: np.ndarray) -> np.ndarray:
        self.shapes = x.shape, other.shape
        return np.where(self.condition, x, other)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        shape_x, shape_other = self.shapes
        zero = np.zeros((), dtype=grad_out.dtype)
        grad_x = np.where(self.condition, grad_out, zero)
        grad_other = np.where(self.condition, zero, grad_out)
        return unbroadcast(grad_x, shape_x), unbroadcast(grad_other, shape_other)


def reshape(x: Any, shape: tuple[int, ...]) -> Tensor:
    """x with a new shape (one axis may be -1)."""
    return Reshape(tuple(shape))(x)


def transpose(x: Any, axes: Sequence[int] | None = None) -> Tensor:
    """x with its axes permuted (reversed when `axes` is None)."""
    return Transpose(axes)(x)


def getitem(x: Any, index: Any) -> Tensor:
    """x[index], with basic or integer-array indexing."""
    return GetItem(index)(x)


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis."""
    return Concatenate(axis)(*tensors)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along a new axis."""
    return Stack(axis)(*tensors)


def broadcast_to(x: Any, shape: tuple[int, ...]) -> Tensor:
    """x repeated along broadcast axes to `shape`."""
    return BroadcastTo(shape)(x)


def where(condition: Any, x: Any, other: Any) -> Tensor:
    """Elementwise choice: x where condition is true, otherwise other."""
    condition = np.asarray(getattr(condition, "data", condition), dtype=bool)
    return Where(condition)(x, other)
