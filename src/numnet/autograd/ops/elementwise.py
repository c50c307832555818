"""Elementwise arithmetic: + - * / ** and exp, log, sqrt, abs, clip, cast, with broadcasting."""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.graph import unbroadcast
from numnet.backend import get_array_module


class Add(Function):
    """y = a + b; both inputs receive grad_out (summed over broadcast axes)."""

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.shapes = a.shape, b.shape
        return a + b

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        shape_a, shape_b = self.shapes
        return unbroadcast(grad_out, shape_a), unbroadcast(grad_out, shape_b)


class Sub(Function):
    """y = a - b."""

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.shapes = a.shape, b.shape
        return a - b

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        shape_a, shape_b = self.shapes
        return unbroadcast(grad_out, shape_a), unbroadcast(-grad_out, shape_b)


class Mul(Function):
    """y = a * b; da = grad_out * b, db = grad_out * a."""

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.a, self.b = a, b
        return a * b

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        need_a, need_b = self.needs_input_grad
        grad_a = unbroadcast(grad_out * self.b, self.a.shape) if need_a else None
        grad_b = unbroadcast(grad_out * self.a, self.b.shape) if need_b else None
        return grad_a, grad_b


class Div(Function):
    """y = a / b; da = grad_out / b, db = -grad_out * a / b**2."""

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.a, self.b = a, b
        return a / b

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        need_a, need_b = self.needs_input_grad
        grad_a = unbroadcast(grad_out / self.b, self.a.shape) if need_a else None
        grad_b = unbroadcast(-grad_out * self.a / self.b**2, self.b.shape) if need_b else None
        return grad_a, grad_b


class Neg(Function):
    """y = -x."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        return -x

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (-grad_out,)


class Pow(Function):
    """y = a ** b; da = b * a**(b-1) * grad_out, db = y * log(a) * grad_out."""

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.a, self.b = a, b
        self.y = a**b
        return self.y

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        need_a, need_b = self.needs_input_grad
        a, b = self.a, self.b
        xp = get_array_module(a)
        grad_a = unbroadcast(grad_out * b * a ** (b - 1), a.shape) if need_a else None
        grad_b = unbroadcast(grad_out * self.y * xp.log(a), b.shape) if need_b else None
        return grad_a, grad_b


class Square(Function):
    """y = x**2; dx = 2 x grad_out (cheaper than the general power rule)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return x * x

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out * (2 * self.x),)


class Exp(Function):
    """y = e**x; dx = grad_out * y."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.y = get_array_module(x).exp(x)
        return self.y

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out * self.y,)


class Log(Function):
    """y = ln x; dx = grad_out / x."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return get_array_module(x).log(x)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out / self.x,)


class Sqrt(Function):
    """y = sqrt(x); dx = grad_out / (2 y)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.y = get_array_module(x).sqrt(x)
        return self.y

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out / (2 * self.y),)


class Abs(Function):
    """y = |x|; dx = grad_out * sign(x) (0 at x = 0)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return get_array_module(x).abs(x)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out * get_array_module(self.x).sign(self.x),)


class Clip(Function):
    """y = min(max(x, lo), hi); the gradient passes only where x was inside [lo, hi]."""

    def __init__(self, lo: float | None, hi: float | None) -> None:
        self.lo, self.hi = lo, hi

    def forward(self, x: np.ndarray) -> np.ndarray:
        xp = get_array_module(x)
        self.inside = xp.ones(x.shape, dtype=bool)
        if self.lo is not None:
            self.inside &= x >= self.lo
        if self.hi is not None:
            self.inside &= x <= self.hi
        return xp.clip(x, self.lo, self.hi)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out * self.inside,)


class Cast(Function):
    """y = x converted to another float dtype; the gradient converts back."""

    def __init__(self, dtype: Any) -> None:
        self.dtype = np.dtype(dtype)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.source_dtype = x.dtype
        return x.astype(self.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out.astype(self.source_dtype),)
