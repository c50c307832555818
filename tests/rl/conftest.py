"""Shared pieces of the reinforcement-learning tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from numnet import layers
from numnet.models import Sequential

pytest.importorskip("gymnasium")  # the dev extra brings it; without it, `rl` is unusable

# Push toward the side the pole leans to (and falls to): this balances CartPole for the
# full 500 steps, found by hand, so tests of playing and keeping need no training.
BALANCING = (0.1, 0.5, 1.0, 1.0)
TOPPLING = (0.0, 0.0, -1.0, -1.0)  # the opposite: the pole falls within a dozen steps


def make_linear_policy(weights: Sequence[float]) -> Sequential:
    """A Dense(2) CartPole policy scoring action 0 at 0 and action 1 at observation . w,
    so it pushes right exactly when observation . w > 0."""
    kernel = np.zeros((len(weights), 2), np.float32)
    kernel[:, 1] = weights
    model = Sequential([layers.Input((len(weights),)), layers.Dense(2)])
    model.set_weights([kernel, np.zeros(2, np.float32)])
    return model


@pytest.fixture
def balancing() -> Sequential:
    """A hand-made policy that balances CartPole-v1 for the full 500 steps."""
    return make_linear_policy(BALANCING)


@pytest.fixture
def toppling() -> Sequential:
    """A hand-made policy that topples the pole within a dozen steps."""
    return make_linear_policy(TOPPLING)


@pytest.fixture
def linear_policy() -> Callable[[Sequence[float]], Sequential]:
    """The factory of hand-made linear policies (see `make_linear_policy`)."""
    return make_linear_policy
