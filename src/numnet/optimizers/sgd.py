"""Stochastic gradient descent and its momentum variants."""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.optimizers.base import Optimizer, check_fraction, slot
from numnet.optimizers.schedules import LearningRateSchedule


class SGD(Optimizer):
    """Gradient descent: W <- W - lr * dW.

    With momentum (Polyak 1964; Keras' form): v <- momentum * v - lr * dW, W <- W + v.
    With nesterov=True (Nesterov 1983, Sutskever et al. 2013):
    W <- W + momentum * v - lr * dW, with v updated as above.
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        **clipping: float | None,
    ) -> None:
        super().__init__(learning_rate, **clipping)
        check_fraction("momentum", momentum)
        self.momentum, self.nesterov = momentum, nesterov

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], lr: float) -> None:
        if self.momentum == 0:
            param -= lr * grad
            return
        v = slot(state, "velocity", param)
        v *= self.momentum
        v -= lr * grad
        if self.nesterov:
            param += self.momentum * v - lr * grad
        else:
            param += v


class Momentum(SGD):
    """SGD with momentum 0.9 by default, as "Deep Learning from Scratch" 6.1.4 writes it:
    v <- momentum * v - lr * dW, W <- W + v."""

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.01,
        momentum: float = 0.9,
        nesterov: bool = False,
        **clipping: float | None,
    ) -> None:
        super().__init__(learning_rate, momentum, nesterov, **clipping)
