"""Inverted dropout (Srivastava et al. 2014): drop units while training, scale the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from numnet import random
from numnet.autograd.function import Function
from numnet.functional.activation import identity

if TYPE_CHECKING:
    from numnet.autograd.tensor import Tensor


class Dropout(Function):
    """y = x * mask / (1 - rate): each unit is kept with probability 1 - rate, and the
    survivors are scaled up so the expected activation is the same in training and
    inference (no rescaling needed at test time). dx = grad_out * mask / (1 - rate)."""

    def __init__(self, rate: float, rng: np.random.Generator) -> None:
        self.rate, self.rng = rate, rng

    def forward(self, x: np.ndarray) -> np.ndarray:
        dtype = x.dtype if x.dtype in (np.float32, np.float64) else np.float32
        keep = self.rng.random(x.shape, dtype=dtype) >= self.rate
        self.scaled_mask = np.multiply(keep, 1 / (1 - self.rate), dtype=x.dtype)
        return x * self.scaled_mask

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out * self.scaled_mask,)


def dropout(
    x: Any, rate: float, training: bool = True, rng: np.random.Generator | None = None
) -> Tensor:
    """Zero each element with probability `rate` when training; identity otherwise."""
    if not 0 <= rate < 1:
        raise ValueError(f"dropout rate must be in [0, 1), got {rate}")
    if not training or rate == 0:
        return identity(x)
    return Dropout(rate, random.resolve(rng))(x)
