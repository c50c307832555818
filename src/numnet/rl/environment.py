"""Gymnasium environments, checked: one discrete choice of action, a flat observation.

Gymnasium is the optional extra `rl`. It is imported here when an environment is made,
never when `numnet` or `numnet.rl` is imported, so the core library does not need it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

INSTALL_HINT = 'numnet rl needs Gymnasium (the optional extra rl): pip install -e ".[rl]"'

# Each use of episodes draws its environment seeds from its own stream, so the episodes
# a policy is judged on (evaluation, play) are never among those it was trained on.
TRAINING, EVALUATION, PLAY = 0, 1, 2


def gymnasium() -> Any:
    """The gymnasium module, or an ImportError whose one line says how to install it."""
    try:
        import gymnasium
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    return gymnasium


def make_env(env_id: str) -> Any:
    """`gymnasium.make(env_id)`, after checking it is an environment numnet's agents can
    learn: a ValueError in one line names the problem (an unknown id, continuous actions,
    observations that are not a flat vector)."""
    gym = gymnasium()
    try:
        env = gym.make(env_id)
    except gym.error.UnregisteredEnv as error:
        raise ValueError(f"unknown environment {env_id!r}: {_first_line(error)}") from error
    except gym.error.Error as error:  # e.g. a dependency the environment needs is missing
        raise ValueError(f"cannot make environment {env_id!r}: {_first_line(error)}") from error
    try:
        check_spaces(env_id, env.action_space, env.observation_space)
    except ValueError:
        env.close()
        raise
    return env


def check_spaces(env_id: str, action_space: Any, observation_space: Any) -> None:
    """A ValueError unless actions are Discrete(n) from 0 and observations a 1-D Box."""
    spaces = gymnasium().spaces
    if not isinstance(action_space, spaces.Discrete) or int(action_space.start) != 0:
        kind = "continuous" if isinstance(action_space, spaces.Box) else "not one discrete choice"
        raise ValueError(
            f"{env_id}'s actions are {kind} ({action_space}): numnet rl needs a discrete action "
            "space Discrete(n), e.g. CartPole-v1 or Acrobot-v1"
        )
    if not isinstance(observation_space, spaces.Box) or len(observation_space.shape) != 1:
        raise ValueError(
            f"{env_id}'s observations ({observation_space}) are not a flat vector of numbers: "
            "numnet rl needs a 1-D Box observation space, e.g. CartPole-v1 or Acrobot-v1"
        )


def observation_size(env: Any) -> int:
    """How many numbers one observation holds."""
    return int(env.observation_space.shape[0])


def action_count(env: Any) -> int:
    """How many actions there are to choose from."""
    return int(env.action_space.n)


def episode_seeds(seed: int, purpose: int, count: int) -> list[int]:
    """`count` environment seeds for one purpose (TRAINING, EVALUATION or PLAY) of run
    `seed`: the same arguments give the same seeds; another purpose, other seeds."""
    if seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed}")
    rng = np.random.default_rng([purpose, seed])
    return [int(s) for s in rng.integers(0, 2**31 - 1, size=count)]


def play_episode(env: Any, choose: Callable[[np.ndarray], int], seed: int | None) -> float:
    """Play one episode from `env.reset(seed=seed)`, choosing each action with `choose`
    (observation -> action); return the sum of its rewards."""
    observation, _ = env.reset(seed=seed)
    total, done = 0.0, False
    while not done:
        observation, reward, terminated, truncated, _ = env.step(choose(observation))
        total += float(reward)
        done = terminated or truncated
    return total


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
