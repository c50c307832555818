"""Core layers: Dense, Activation, Flatten."""

from __future__ import annotations

from typing import Any

from numnet import activations, initializers, regularizers
from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.layers.base import Layer, check_features


class Dense(Layer):
    """Fully connected layer: activation(x @ kernel + bias), kernel of shape (in, units)."""

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Dense units must be a positive integer, got {units!r}")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape: tuple[int, ...]) -> None:
        features = input_shape[-1]
        self.kernel = self.add_weight(
            "kernel", (features, self.units), self.kernel_initializer, self.kernel_regularizer
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias", (self.units,), self.bias_initializer, self.bias_regularizer
            )

    def weight_shapes(self, input_shape: tuple[int, ...]) -> list[tuple[int, ...]]:
        kernel = (input_shape[-1], self.units)
        return [kernel, (self.units,)] if self.use_bias else [kernel]

    def call(self, x: Tensor) -> Tensor:
        check_features(self, x, self.kernel.shape[0])
        y = F.linear(x, self.kernel, self.bias)
        return y if self.activation is None else self.activation(y)

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (*input_shape[:-1], self.units)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.name_of(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
        }


class Activation(Layer):
    """Applies an activation function by name: 'relu', 'sigmoid', 'softmax', ..."""

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, x: Tensor) -> Tensor:
        return x if self.activation is None else self.activation(x)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "activation": activations.name_of(self.activation)}


class Flatten(Layer):
    """Reshapes (N, d1, d2, ...) to (N, d1 * d2 * ...)."""

    def call(self, x: Tensor) -> Tensor:
        return F.reshape(x, (x.shape[0], -1))

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        size = 1
        for n in input_shape[1:]:
            size *= n
        return (input_shape[0], size)
