"""`Optimizer`: updates parameters in place from their `.grad`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from numnet.autograd.tensor import Tensor
from numnet.optimizers.schedules import SCHEDULES, LearningRateSchedule


class Optimizer:
    """Base class. Subclasses implement `update(param, grad, state, lr)` on arrays.

    `learning_rate` is a number or a schedule (called with the step count). `state` is a
    per-parameter dict (moment estimates, velocities) the optimizer keeps between steps.
    """

    def __init__(self, learning_rate: float | LearningRateSchedule = 0.01) -> None:
        if not isinstance(learning_rate, LearningRateSchedule):
            check_positive("learning_rate", learning_rate)
        self.learning_rate = learning_rate
        self.iterations = 0
        self._state: dict[int, dict[str, np.ndarray]] = {}

    @property
    def current_learning_rate(self) -> float:
        """The learning rate the next step will use."""
        if isinstance(self.learning_rate, LearningRateSchedule):
            return float(self.learning_rate(self.iterations))
        return float(self.learning_rate)

    def step(self, params: Iterable[Tensor]) -> None:
        """Apply one update to every parameter that has a gradient."""
        lr = self.current_learning_rate
        self.iterations += 1
        for param in params:
            if param.grad is None:
                continue
            state = self._state.setdefault(id(param), {})
            self.update(param.data, param.grad, state, lr)

    def zero_grad(self, params: Iterable[Tensor]) -> None:
        """Forget the gradients of `params` (call before the next backward)."""
        for param in params:
            param.grad = None

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], lr: float) -> None:
        """Change `param` in place."""
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, for saving."""
        config = {
            k: v for k, v in vars(self).items() if not k.startswith("_") and k != "iterations"
        }
        if isinstance(self.learning_rate, LearningRateSchedule):
            config["learning_rate"] = {
                "class_name": type(self.learning_rate).__name__,
                "config": self.learning_rate.get_config(),
            }
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Optimizer:
        """Rebuild an optimizer from `get_config()`."""
        config = dict(config)
        lr = config.get("learning_rate")
        if isinstance(lr, dict):
            config["learning_rate"] = SCHEDULES[lr["class_name"]](**lr["config"])
        return cls(**config)


def check_positive(name: str, value: float) -> None:
    """Raise a clear ValueError unless value > 0."""
    if not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")


def check_fraction(name: str, value: float) -> None:
    """Raise a clear ValueError unless 0 <= value < 1."""
    if not isinstance(value, int | float) or not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")


def slot(state: dict[str, Any], name: str, like: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """The state array `name`, created as `fill`s shaped like `like` on first use."""
    if name not in state:
        state[name] = np.full_like(like, fill)
    return state[name]
