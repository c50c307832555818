"""Inverted dropout (Srivastava et al. 2014): drop units while training, scale the rest."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from numnet import random
from numnet.autograd.function import Function
from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module
from numnet.functional.activation import identity


class Dropout(Function):
    """y = x * mask / (1 - rate): each unit is kept with probability 1 - rate, and the
    survivors are scaled up so the expected activation is the same in training and
    inference (no rescaling needed at test time). dx = grad_out * mask / (1 - rate)."""

    def __init__(self, rate: float, rng: np.random.Generator) -> None:
        self.rate, self.rng = rate, rng

    def forward(self, x: np.ndarray) -> np.ndarray:
        xp = get_array_module(x)
        # The generator is NumPy's, so the mask is made in NumPy and moved to x's module.
        keep = xp.asarray(self.keep_mask(x.shape))
        self.scaled_mask = xp.multiply(keep, 1 / (1 - self.rate), dtype=x.dtype)
        return x * self.scaled_mask

    def keep_mask(self, shape: tuple[int, ...]) -> np.ndarray:
        """A NumPy array, True with probability 1 - rate: a uniform 32-bit integer u is kept
        when u >= rate * 2**32, the test `uniform(0, 1) >= rate` without making floats."""
        size = math.prod(shape)
        raw = self.rng.bit_generator.random_raw((size + 1) // 2)  # 64 random bits each
        bits = raw.view(np.uint32)[:size].reshape(shape)
        return bits >= np.uint32(min(round(self.rate * 2**32), 2**32 - 1))

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
    return apply(Dropout(rate, random.resolve(rng)), x)
