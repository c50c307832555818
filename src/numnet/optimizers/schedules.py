"""Learning-rate schedules: callables from the step count (0, 1, 2, ...) to a learning rate."""

from __future__ import annotations

import math
from typing import Any


class LearningRateSchedule:
    """Base class: ``schedule(step) -> learning rate``."""

    def __call__(self, step: int) -> float:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, for saving."""
        return dict(vars(self))


def _positive(value: float, name: str) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value}")


class ExponentialDecay(LearningRateSchedule):
    """lr = initial * decay_rate ** (step / decay_steps); staircase floors the exponent."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
    ) -> None:
        _positive(initial_learning_rate, "initial_learning_rate")
        _positive(decay_steps, "decay_steps")
        _positive(decay_rate, "decay_rate")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps, self.decay_rate, self.staircase = decay_steps, decay_rate, staircase

    def __call__(self, step: int) -> float:
        exponent = step / self.decay_steps
        if self.staircase:
            exponent = math.floor(exponent)
        return self.initial_learning_rate * self.decay_rate**exponent


class StepDecay(LearningRateSchedule):
    """lr = initial * factor ** floor(step / step_size): drop by `factor` every step_size steps."""

    def __init__(self, initial_learning_rate: float, step_size: int, factor: float = 0.5) -> None:
        _positive(initial_learning_rate, "initial_learning_rate")
        _positive(step_size, "step_size")
        if not 0 < factor <= 1:
            raise ValueError(f"factor must be in (0, 1], got {factor}")
        self.initial_learning_rate, self.step_size, self.factor = (
            initial_learning_rate,
            step_size,
            factor,
        )

    def __call__(self, step: int) -> float:
        return self.initial_learning_rate * self.factor ** (step // self.step_size)


class InverseTimeDecay(LearningRateSchedule):
    """lr = initial / (1 + decay_rate * step / decay_steps) (the course's 1/(1 + k t))."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
    ) -> None:
        _positive(initial_learning_rate, "initial_learning_rate")
        _positive(decay_steps, "decay_steps")
        if decay_rate < 0:
            raise ValueError(f"decay_rate must be >= 0, got {decay_rate}")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps, self.decay_rate, self.staircase = decay_steps, decay_rate, staircase

    def __call__(self, step: int) -> float:
        t = step / self.decay_steps
        if self.staircase:
            t = math.floor(t)
        return self.initial_learning_rate / (1 + self.decay_rate * t)


class CosineDecay(LearningRateSchedule):
    """lr = initial * ((1 - alpha) * (1 + cos(pi * min(step, decay_steps) / decay_steps)) / 2
    + alpha) (Loshchilov & Hutter 2017, without restarts)."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0) -> None:
        _positive(initial_learning_rate, "initial_learning_rate")
        _positive(decay_steps, "decay_steps")
        if not 0 <= alpha <= 1:
            raise ValueError(f"alpha must be in [0, 1], got {alpha}")
        self.initial_learning_rate, self.decay_steps, self.alpha = (
            initial_learning_rate,
            decay_steps,
            alpha,
        )

    def __call__(self, step: int) -> float:
        progress = min(step, self.decay_steps) / self.decay_steps
        cosine = 0.5 * (1 + math.cos(math.pi * progress))
        return self.initial_learning_rate * ((1 - self.alpha) * cosine + self.alpha)


SCHEDULES: dict[str, type[LearningRateSchedule]] = {
    cls.__name__: cls for cls in (ExponentialDecay, StepDecay, InverseTimeDecay, CosineDecay)
}
