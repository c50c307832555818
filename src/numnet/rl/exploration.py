"""The schedule of epsilon-greedy exploration.

A value-based agent must sometimes try actions it does not (yet) rate highest, or it
never learns they were better. Epsilon-greedy takes a uniformly random action with
probability epsilon; epsilon starts at 1 (pure exploration, the Q-values are still
noise) and falls linearly as the values become worth trusting (Mnih et al. 2015).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinearDecay:
    """start at step 0, falling linearly to `end` at step `steps`, then `end` for ever."""

    start: float = 1.0
    end: float = 0.05
    steps: int = 10_000

    def __post_init__(self) -> None:
        if not 0 <= self.end <= self.start <= 1:
            raise ValueError(f"need 0 <= end <= start <= 1, got {self.start} -> {self.end}")
        if self.steps < 1:
            raise ValueError(f"steps must be >= 1, got {self.steps}")

    def __call__(self, step: int) -> float:
        fraction = min(step / self.steps, 1.0)
        return self.start + fraction * (self.end - self.start)
