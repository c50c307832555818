"""Activations with parameters, as layers: ReLU, LeakyReLU, Softmax (Keras 3 names).

`Activation('relu')` covers the plain functions; these layers carry a setting (a slope,
a ceiling, an axis) in their config so a saved model keeps it.
"""

from __future__ import annotations

from typing import Any

from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.layers.base import Layer


class ReLU(Layer):
    """Keras' ReLU: x for threshold <= x < max_value, max_value above it, and
    negative_slope * (x - threshold) below the threshold. Defaults give max(x, 0)."""

    def __init__(
        self,
        max_value: float | None = None,
        negative_slope: float = 0.0,
        threshold: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise ValueError(f"ReLU max_value must be >= 0, got {max_value}")
        if negative_slope < 0:
            raise ValueError(f"ReLU negative_slope must be >= 0, got {negative_slope}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, x: Tensor) -> Tensor:
        if self.threshold == 0:
            y = F.relu(x) if self.negative_slope == 0 else F.leaky_relu(x, self.negative_slope)
        else:
            below = (x - self.threshold) * self.negative_slope
            y = F.where(x.data >= self.threshold, x, below)
        return y if self.max_value is None else F.minimum(y, self.max_value)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }


class LeakyReLU(Layer):
    """x for x > 0, negative_slope * x otherwise (Keras 3's default slope 0.3; `alpha`,
    the Keras 2 name, is accepted too)."""

    def __init__(
        self, negative_slope: float = 0.3, alpha: float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if alpha is not None:
            negative_slope = alpha
        if negative_slope < 0:
            raise ValueError(f"LeakyReLU negative_slope must be >= 0, got {negative_slope}")
        self.negative_slope = negative_slope

    def call(self, x: Tensor) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class Softmax(Layer):
    """Normalised exponentials along `axis` (stable: the maximum is subtracted first)."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, x: Tensor) -> Tensor:
        return F.softmax(x, axis=self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
