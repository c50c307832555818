"""Reductions: sum, mean, max, min and logsumexp over any axes, and the sum of squares.

The ops are in `numnet.autograd.ops.reduction`, below Tensor, whose methods use them
too; these are their lowercase wrappers.
"""

from __future__ import annotations

from typing import Any

from numnet.autograd.ops.reduction import Axis, Extremum, LogSumExp, Mean, Sum, SumOfSquares
from numnet.autograd.tensor import Tensor, apply


def sum(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Sum over `axis` (all axes when None)."""
    return apply(Sum(axis, keepdims), x)


def mean(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Mean over `axis` (all axes when None)."""
    return apply(Mean(axis, keepdims), x)


def max(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Maximum over `axis`."""
    return apply(Extremum("max", axis, keepdims), x)


def min(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Minimum over `axis`."""
    return apply(Extremum("min", axis, keepdims), x)


def sum_of_squares(x: Any) -> Tensor:
    """sum(x**2) over every element (a scalar)."""
    return apply(SumOfSquares(), x)


def logsumexp(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """log(sum(exp(x))) over `axis`, stable for large x."""
    return apply(LogSumExp(axis, keepdims), x)
