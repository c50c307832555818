"""Elementwise arithmetic: + - * / ** and exp, log, sqrt, abs, clip, with broadcasting.

The ops (forward and backward) are in `numnet.autograd.ops.elementwise`, below Tensor,
whose operators use them too; these are their lowercase wrappers.
"""

from __future__ import annotations

from typing import Any

from numnet.autograd.ops.elementwise import (
    Abs,
    Add,
    Cast,
    Clip,
    Div,
    Exp,
    Log,
    Mul,
    Neg,
    Pow,
    Sqrt,
    Square,
    Sub,
)
from numnet.autograd.tensor import Tensor, apply

ArrayLike = Any  # a Tensor, an ndarray, a list or a Python number


def add(a: ArrayLike, b: ArrayLike) -> Tensor:
    """a + b with broadcasting."""
    return apply(Add(), a, b)


def sub(a: ArrayLike, b: ArrayLike) -> Tensor:
    """a - b with broadcasting."""
    return apply(Sub(), a, b)


def mul(a: ArrayLike, b: ArrayLike) -> Tensor:
    """a * b with broadcasting."""
    return apply(Mul(), a, b)


def div(a: ArrayLike, b: ArrayLike) -> Tensor:
    """a / b with broadcasting."""
    return apply(Div(), a, b)


def neg(x: ArrayLike) -> Tensor:
    """-x."""
    return apply(Neg(), x)


def pow(a: ArrayLike, b: ArrayLike) -> Tensor:
    """a ** b with broadcasting."""
    return apply(Pow(), a, b)


def square(x: ArrayLike) -> Tensor:
    """x ** 2."""
    return apply(Square(), x)


def exp(x: ArrayLike) -> Tensor:
    """e ** x."""
    return apply(Exp(), x)


def log(x: ArrayLike) -> Tensor:
    """Natural logarithm."""
    return apply(Log(), x)


def sqrt(x: ArrayLike) -> Tensor:
    """Square root."""
    return apply(Sqrt(), x)


def abs(x: ArrayLike) -> Tensor:
    """Absolute value."""
    return apply(Abs(), x)


def clip(x: ArrayLike, lo: float | None, hi: float | None) -> Tensor:
    """Limit x to [lo, hi]; None leaves that side open."""
    return apply(Clip(lo, hi), x)


def cast(x: ArrayLike, dtype: Any) -> Tensor:
    """Convert x to another dtype, keeping it differentiable."""
    return apply(Cast(dtype), x)
