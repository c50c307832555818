"""`Layer`: configuration plus weights built lazily from the first input's shape.

A layer's `call` is one call into `numnet.functional`; `build` creates its weights once
the input shape is known (Keras' build/call split). Weights are Tensors; trainable ones
require grad. Train/eval mode is the `training` attribute, set by `Model.train()` and
`Model.eval()` or by passing ``training=`` to the call.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import initializers, random, regularizers
from numnet.autograd.tensor import Tensor, as_tensor


class Layer:
    """Base class of all layers."""

    def __init__(
        self,
        name: str | None = None,
        input_shape: tuple[int, ...] | None = None,
        dtype: Any = None,
        trainable: bool = True,
    ) -> None:
        self.name = name
        self.input_shape = None if input_shape is None else tuple(input_shape)
        self.dtype = None if dtype is None else np.dtype(dtype)
        self.trainable = trainable
        self.training = False
        self.built = False
        self.output_shape: tuple[int, ...] | None = None
        self._weights: list[Tensor] = []
        self._regularized: list[tuple[Tensor, regularizers.Regularizer]] = []

    # --- weights -------------------------------------------------------------------------
    def add_weight(
        self,
        name: str,
        shape: tuple[int, ...],
        initializer: Any = "zeros",
        regularizer: Any = None,
        trainable: bool = True,
        rng: np.random.Generator | None = None,
    ) -> Tensor:
        """Create, register and return a weight Tensor."""
        init = initializers.get(initializer)
        data = init(tuple(shape), self.dtype or np.float32, random.resolve(rng))
        weight = Tensor(
            data, requires_grad=trainable and self.trainable, name=f"{self.name}/{name}"
        )
        self._weights.append(weight)
        penalty = regularizers.get(regularizer)
        if penalty is not None:
            self._regularized.append((weight, penalty))
        return weight

    @property
    def weights(self) -> list[Tensor]:
        """All weights, trainable first-defined first (running statistics included)."""
        return list(self._weights)

    def parameters(self) -> list[Tensor]:
        """The trainable weights, in definition order."""
        return [w for w in self._weights if w.requires_grad]

    def count_params(self) -> int:
        """Number of scalars in all weights."""
        return int(sum(w.size for w in self._weights))

    def regularization_loss(self) -> Tensor | None:
        """Sum of the weight penalties of this layer (None without regularizers)."""
        total: Tensor | None = None
        for weight, penalty in self._regularized:
            term = penalty(weight)
            total = term if total is None else total + term
        return total

    # --- calling -------------------------------------------------------------------------
    def build(self, input_shape: tuple[int, ...]) -> None:
        """Create the weights for inputs of this shape (batch axis included)."""

    def call(self, x: Tensor) -> Tensor:
        """The forward computation."""
        raise NotImplementedError

    def __call__(self, x: Any, training: bool | None = None) -> Tensor:
        x = as_tensor(x)
        if self.input_shape is not None and tuple(x.shape[1:]) != self.input_shape:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} expects samples of shape "
                f"{self.input_shape} (input_shape), got a batch of shape {x.shape}"
            )
        if not self.built:
            if self.dtype is None:
                self.dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
            self.build(x.shape)
            self.built = True
        if training is None:
            y = self.call(x)
        else:
            previous, self.training = self.training, training
            try:
                y = self.call(x)
            finally:
                self.training = previous
        self.output_shape = y.shape  # shown by Model.summary()
        return y

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of the output for an input of `input_shape` (batch axis may be None)."""
        return input_shape

    # --- saving --------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """Constructor arguments as JSON-able values."""
        config: dict[str, Any] = {"name": self.name}
        if self.input_shape is not None:
            config["input_shape"] = list(self.input_shape)
        if self.dtype is not None and self.dtype != np.float32:
            config["dtype"] = self.dtype.name
        return config

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name or ''}>".replace(" >", ">")


def check_features(layer: Layer, x: Tensor, expected: int, what: str = "features") -> None:
    """Raise a clear error when the last axis of x is not `expected` long."""
    if x.ndim == 0 or x.shape[-1] != expected:
        raise ValueError(
            f"{type(layer).__name__} layer {layer.name!r} expects inputs with {expected} "
            f"{what} on the last axis, got shape {x.shape}"
        )
