"""Experience replay: the transitions DQN has seen, sampled uniformly at random.

Consecutive steps of an episode are strongly correlated; learning from random past
transitions instead makes the mini-batches closer to independent samples and lets each
transition be learnt from many times (Lin 1992; Mnih et al. 2015).
"""

from __future__ import annotations

import numpy as np


class ReplayBuffer:
    """The last `capacity` transitions (s, a, r, s', terminated) in preallocated arrays.

    Once full, each new transition overwrites the oldest (a ring buffer).
    """

    def __init__(self, capacity: int, observation_size: int) -> None:
        if capacity < 1:
            raise ValueError(f"replay capacity must be >= 1, got {capacity}")
        self.capacity = capacity
        self.observations = np.zeros((capacity, observation_size), dtype=np.float32)
        self.next_observations = np.zeros((capacity, observation_size), dtype=np.float32)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.float32)
        self.size = 0
        self._next = 0  # the slot the next transition goes into

    def __len__(self) -> int:
        return self.size

    def add(
        self,
        observation: np.ndarray,
        action: int,
        reward: float,
        next_observation: np.ndarray,
        terminated: bool,
    ) -> None:
        """Store one transition. `terminated` is True only when the episode really ended
        (the pole fell), not when a time limit cut it short: after a cut, the state still
        has a future worth bootstrapping from."""
        i = self._next
        self.observations[i] = observation
        self.actions[i] = action
        self.rewards[i] = reward
        self.next_observations[i] = next_observation
        self.terminated[i] = terminated
        self._next = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, batch_size: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
        """`batch_size` transitions drawn uniformly (with replacement): arrays of
        observations, actions, rewards, next observations and terminated flags."""
        if self.size == 0:
            raise ValueError("cannot sample from an empty replay buffer")
        i = rng.integers(0, self.size, size=batch_size)
        return (
            self.observations[i],
            self.actions[i],
            self.rewards[i],
            self.next_observations[i],
            self.terminated[i],
        )
