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

    `dampening` (PyTorch's argument) scales each gradient before it enters the velocity:
    v <- momentum * v - lr * (1 - dampening) * dW, W <- W + v. With a constant rate this
    is PyTorch's v <- momentum * v + (1 - dampening) * dW, W <- W - lr * v, up to the sign
    and the factor lr kept in v. The course's form, v <- beta v + (1 - beta) dW and
    W <- W - alpha v (an average of the gradients), is `SGD(alpha, momentum=beta,
    dampening=beta)`. The velocity starts at zero and the first step is dampened too, as in
    the course; PyTorch instead starts its velocity at the first, undampened, gradient.

    Under a learning-rate schedule the velocity keeps the rate of each step it summed
    (Keras); PyTorch multiplies the whole velocity by the current rate. dampening=0 is
    Keras' SGD exactly. Without momentum dampening has no effect, and Nesterov momentum
    needs dampening=0 (both as in PyTorch).
    """

    elementwise = True

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        dampening: float = 0.0,
        **clipping: float | None,
    ) -> None:
        super().__init__(learning_rate, **clipping)
        check_fraction("momentum", momentum)
        if not isinstance(dampening, int | float) or not 0 <= dampening <= 1:
            raise ValueError(f"dampening must be in [0, 1], got {dampening!r}")
        if nesterov and dampening != 0:
            raise ValueError(
                f"nesterov momentum needs dampening=0, got dampening={dampening!r} "
                "(PyTorch's SGD refuses this too)"
            )
        self.momentum, self.nesterov, self.dampening = momentum, nesterov, dampening

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], lr: float) -> None:
        if self.momentum == 0:
            param -= lr * grad
            return
        v = slot(state, "velocity", param)
        v *= self.momentum
        v -= lr * (1 - self.dampening) * grad  # times 1.0 is exact: dampening=0 is Keras' SGD
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
        dampening: float = 0.0,
        **clipping: float | None,
    ) -> None:
        super().__init__(learning_rate, momentum, nesterov, dampening, **clipping)
