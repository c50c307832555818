"""Optimizers with per-parameter adaptive step sizes: AdaGrad, RMSProp, Adam, AdamW."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from numnet.optimizers.base import Optimizer, check_fraction, check_positive, slot
from numnet.optimizers.schedules import LearningRateSchedule

LR = float | LearningRateSchedule


def flush_subnormals(*arrays: np.ndarray) -> None:
    """Set values too small for a normal float to zero.

    A moment whose gradient stays zero (a dead unit) decays geometrically into subnormal
    numbers, which CPUs handle many times slower than normal ones; zero is as good a value.
    """
    for array in arrays:
        tiny = np.finfo(array.dtype).tiny
        array[np.abs(array) < tiny] = 0


class Adagrad(Optimizer):
    """AdaGrad (Duchi, Hazan & Singer 2011): h <- h + dW**2, W <- W - lr * dW / (sqrt(h) + eps).

    Parameters that have moved a lot get smaller steps. Keras' defaults: lr 0.001, h
    starting at 0.1. "Deep Learning from Scratch" (common/optimizer.py) starts h at 0 and
    divides by sqrt(h) + 1e-7: `Adagrad(lr, initial_accumulator_value=0.0)` is the book's
    form.
    """

    elementwise = True

    def __init__(
        self,
        learning_rate: LR = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        **clipping: float | None,
    ) -> None:
        super().__init__(learning_rate, **clipping)
        if initial_accumulator_value < 0:
            raise ValueError(
                f"initial_accumulator_value must be >= 0, got {initial_accumulator_value}"
            )
        check_positive("epsilon", epsilon)
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], lr: float) -> None:
        h = slot(state, "accumulator", param, self.initial_accumulator_value)
        h += grad * grad
        param -= lr * grad / (np.sqrt(h) + self.epsilon)


class RMSprop(Optimizer):
    """RMSProp (Tieleman & Hinton 2012): h <- rho * h + (1 - rho) * dW**2,
    W <- W - lr * dW / (sqrt(h) + eps): AdaGrad that forgets old gradients."""

    elementwise = True

    def __init__(
        self,
        learning_rate: LR = 0.001,
        rho: float = 0.9,
        epsilon: float = 1e-7,
        **clipping: float | None,
    ) -> None:
        super().__init__(learning_rate, **clipping)
        check_fraction("rho", rho)
        check_positive("epsilon", epsilon)
        self.rho, self.epsilon = rho, epsilon

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], lr: float) -> None:
        h = slot(state, "mean_square", param)
        h *= self.rho
        h += (1 - self.rho) * grad * grad
        param -= lr * grad / (np.sqrt(h) + self.epsilon)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), in the form Keras uses:

    m <- beta_1 * m + (1 - beta_1) * dW          (momentum: mean of gradients)
    v <- beta_2 * v + (1 - beta_2) * dW**2       (RMSProp: mean of squared gradients)
    lr_t = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)   (bias correction)
    W <- W - lr_t * m / (sqrt(v) + epsilon)

    The slots hold m and v without their constant factors, m_sum = m / (1 - beta_1) and
    v_sum = v / (1 - beta_2), so that adding the gradient needs no multiply; the factors
    move into the scalar step size (the same update, two passes over the weights fewer).
    """

    elementwise = True

    def __init__(
        self,
        learning_rate: LR = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        **clipping: float | None,
    ) -> None:
        super().__init__(learning_rate, **clipping)
        check_fraction("beta_1", beta_1)
        check_fraction("beta_2", beta_2)
        check_positive("epsilon", epsilon)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], lr: float) -> None:
        m_sum = slot(state, "m_sum", param)
        v_sum = slot(state, "v_sum", param)
        work = self.scratch(param)  # the update allocates nothing
        t, b1, b2 = self.iterations, self.beta_1, self.beta_2
        lr_t = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        # m_sum <- beta_1 m_sum + g          (m = (1 - beta_1) m_sum)
        m_sum *= b1
        m_sum += grad
        # v_sum <- beta_2 v_sum + g**2       (v = (1 - beta_2) v_sum)
        v_sum *= b2
        np.square(grad, out=work)  # NumPy's square runs faster than multiply(g, g)
        v_sum += work
        # W <- W - lr_t m / (sqrt(v) + epsilon), written with the sums:
        #   lr_t (1 - beta_1) / sqrt(1 - beta_2) * m_sum / (sqrt(v_sum) + epsilon / sqrt(1 - b2))
        np.sqrt(v_sum, out=work)
        work += self.epsilon / math.sqrt(1 - b2)
        np.divide(m_sum, work, out=work)
        work *= lr_t * (1 - b1) / math.sqrt(1 - b2)
        param -= work
        if t % 100 == 0:
            flush_subnormals(m_sum, v_sum)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019):
    W <- W - lr * weight_decay * W, then the Adam step (the decay never enters m or v)."""

    def __init__(
        self,
        learning_rate: LR = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        **clipping: float | None,
    ) -> None:
        super().__init__(learning_rate, beta_1, beta_2, epsilon, **clipping)
        if weight_decay < 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
        self.weight_decay = weight_decay

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], lr: float) -> None:
        param -= (lr * self.weight_decay) * param
        super().update(param, grad, state, lr)
