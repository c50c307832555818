"""Dropout as a layer."""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import functional as F
from numnet import random
from numnet.autograd.tensor import Tensor
from numnet.layers.base import Layer


class Dropout(Layer):
    """Drops each input with probability `rate` in training (inverted dropout);
    the identity in inference."""

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout rate must be in [0, 1), got {rate}")
        self.rate = rate
        self.seed = seed
        self.rng: np.random.Generator | None = None if seed is None else random.resolve(seed)

    def call(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.rate, training=self.training, rng=self.rng or random.default_rng())

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
