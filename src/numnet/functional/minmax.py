"""Elementwise maximum and minimum of two tensors, with broadcasting.

The gradient goes to whichever input was chosen; where the two are equal it is split
evenly (a valid subgradient, and the rule `max`/`min` over an axis follow too).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.graph import unbroadcast
from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module


class Maximum(Function):
    """y = max(a, b) elementwise; da = grad_out * [a > b], db = grad_out * [b > a]
    (half each on ties), summed back over broadcast axes."""

    larger = True  # Minimum flips this

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        xp = get_array_module(a, b)
        self.shapes = a.shape, b.shape
        chosen = (a > b) if self.larger else (a < b)
        # share of the gradient that a gets: 1 where chosen, 1/2 on ties, else 0
        self.share_a = (chosen + 0.5 * (a == b)).astype(xp.result_type(a, b), copy=False)
        return xp.maximum(a, b) if self.larger else xp.minimum(a, b)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        shape_a, shape_b = self.shapes
        need_a, need_b = self.needs_input_grad
        grad_a = unbroadcast(grad_out * self.share_a, shape_a) if need_a else None
        grad_b = unbroadcast(grad_out * (1 - self.share_a), shape_b) if need_b else None
        return grad_a, grad_b


class Minimum(Maximum):
    """y = min(a, b) elementwise; the gradient goes to the smaller input."""

    larger = False


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum of a and b (broadcasting)."""
    return apply(Maximum(), a, b)


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum of a and b (broadcasting)."""
    return apply(Minimum(), a, b)
