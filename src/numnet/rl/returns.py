"""Returns-to-go: what each step of an episode earned from then on."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def returns_to_go(rewards: Sequence[float], gamma: float) -> np.ndarray:
    """G_t = r_t + gamma r_{t+1} + gamma**2 r_{t+2} + ... for every step t of one episode.

    Computed backwards with G_t = r_t + gamma G_{t+1}, so it takes one pass (Sutton &
    Barto, eq. 3.9). The action at step t only influences rewards from t on, which is why
    REINFORCE weighs log pi(a_t | s_t) by G_t rather than by the whole episode's return.
    """
    if not 0 <= gamma <= 1:
        raise ValueError(f"gamma must be in [0, 1], got {gamma!r}")
    returns = np.zeros(len(rewards), dtype=np.float64)
    future = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        future = rewards[t] + gamma * future
        returns[t] = future
    return returns
