"""Batch normalisation as a layer."""

from __future__ import annotations

from typing import Any

from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.layers.base import Layer, check_features


class BatchNormalization(Layer):
    """Normalises each feature with the batch statistics in training and with running
    averages in inference, then scales by gamma and shifts by beta (Keras semantics:
    running = momentum * running + (1 - momentum) * batch)."""

    def __init__(
        self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if not 0 <= momentum < 1:
            raise ValueError(f"BatchNormalization momentum must be in [0, 1), got {momentum}")
        if epsilon <= 0:
            raise ValueError(f"BatchNormalization epsilon must be positive, got {epsilon}")
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon

    def build(self, input_shape: tuple[int, ...]) -> None:
        features = (input_shape[self.axis],)
        self.gamma = self.add_weight("gamma", features, "ones")
        self.beta = self.add_weight("beta", features, "zeros")
        self.moving_mean = self.add_weight("moving_mean", features, "zeros", trainable=False)
        self.moving_variance = self.add_weight("moving_variance", features, "ones", trainable=False)

    def weight_shapes(self, input_shape: tuple[int, ...]) -> list[tuple[int, ...]]:
        return [(input_shape[self.axis],)] * 4  # gamma, beta, moving mean and variance

    def call(self, x: Tensor) -> Tensor:
        if self.axis == -1:
            check_features(self, x, self.gamma.shape[0])
        return F.batch_norm(
            x,
            self.gamma,
            self.beta,
            self.moving_mean.data,
            self.moving_variance.data,
            training=self.training and self.trainable,  # Keras: frozen means inference
            momentum=self.momentum,
            eps=self.epsilon,
            axis=self.axis,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
        }
