"""The loop every agent trains in: play episodes, let the agent learn, keep the best.

An agent is anything with

* ``act(observation) -> action`` (exploring as it sees fit),
* ``observe(observation, action, reward, next_observation, terminated)`` after each step,
* ``end_episode() -> dict`` of logs (an agent that learns from whole episodes learns here),
* ``policy``: the network mapping observations to one score per action,
* ``config``: its hyperparameters (a dataclass, recorded in metrics.json).

`DQN` and `Reinforce` are two such agents; the loop knows nothing else about them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from numnet.models import Model
from numnet.rl.environment import TRAINING, episode_seeds
from numnet.rl.keep_best import Evaluation, KeepBest


class Agent(Protocol):
    """What `train` needs of an agent (see the module's docstring)."""

    policy: Model
    config: Any  # its hyperparameters, a dataclass

    def act(self, observation: np.ndarray) -> int: ...

    def observe(
        self,
        observation: np.ndarray,
        action: int,
        reward: float,
        next_observation: np.ndarray,
        terminated: bool,
    ) -> None: ...

    def end_episode(self) -> dict[str, float]: ...


@dataclass
class Episode:
    """What `train` reports after each training episode."""

    number: int
    total_return: float
    steps: int
    logs: dict[str, float]
    evaluation: Evaluation | None


@dataclass
class TrainingRecord:
    """Every training episode's return and length, and what `KeepBest` found."""

    returns: list[float] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    best: Evaluation | None = None


def run_episode(agent: Agent, env: Any, seed: int) -> tuple[float, int]:
    """One training episode from `env.reset(seed=seed)`: (return, steps)."""
    observation, _ = env.reset(seed=seed)
    total, steps, done = 0.0, 0, False
    while not done:
        action = agent.act(observation)
        next_observation, reward, terminated, truncated, _ = env.step(action)
        agent.observe(observation, action, float(reward), next_observation, bool(terminated))
        observation, total, steps = next_observation, total + float(reward), steps + 1
        done = terminated or truncated
    return total, steps


def train(
    agent: Agent,
    env: Any,
    episodes: int,
    seed: int,
    keep_best: KeepBest,
    on_episode: Callable[[Episode], None] | None = None,
) -> TrainingRecord:
    """Train `agent` for `episodes` episodes of `env` (seeded from `seed`), evaluating
    as `keep_best` says; the agent's policy ends holding the best weights found."""
    record = TrainingRecord()
    for number, episode_seed in enumerate(episode_seeds(seed, TRAINING, episodes), 1):
        total, steps = run_episode(agent, env, episode_seed)
        logs = agent.end_episode()
        evaluation = keep_best.after_episode(number, last=number == episodes)
        record.returns.append(total)
        record.lengths.append(steps)
        if on_episode is not None:
            on_episode(Episode(number, total, steps, logs, evaluation))
    keep_best.restore()
    record.evaluations, record.best = keep_best.evaluations, keep_best.best
    return record
