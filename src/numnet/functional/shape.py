"""Shape ops: reshape, transpose, indexing, concatenate, stack, broadcast_to, where.

The ops are in `numnet.autograd.ops.shape`, below Tensor, whose methods use some of
them; these are their lowercase wrappers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from numnet.autograd.ops.shape import (
    BroadcastTo,
    Concatenate,
    Reshape,
    Stack,
    Transpose,
    Where,
)
from numnet.autograd.tensor import Tensor, apply, as_tensor
from numnet.backend import get_array_module


def reshape(x: Any, shape: tuple[int, ...]) -> Tensor:
    """x with a new shape (one axis may be -1)."""
    return apply(Reshape(tuple(shape)), x)


def transpose(x: Any, axes: Sequence[int] | None = None) -> Tensor:
    """x with its axes permuted (reversed when `axes` is None)."""
    return apply(Transpose(axes), x)


def getitem(x: Any, index: Any) -> Tensor:
    """x[index], with basic or integer-array indexing."""
    return as_tensor(x)[index]  # one road for x[i] and getitem(x, i)


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis."""
    return apply(Concatenate(axis), *tensors)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along a new axis."""
    return apply(Stack(axis), *tensors)


def broadcast_to(x: Any, shape: tuple[int, ...]) -> Tensor:
    """x repeated along broadcast axes to `shape`."""
    return apply(BroadcastTo(shape), x)


def where(condition: Any, x: Any, other: Any) -> Tensor:
    """Elementwise choice: x where condition is true, otherwise other."""
    condition = condition.data if isinstance(condition, Tensor) else condition
    condition = get_array_module(condition).asarray(condition, dtype=bool)
    return apply(Where(condition), x, other)
