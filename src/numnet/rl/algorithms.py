"""The algorithms by name, and `learn`: make the environment and the agent, train it,
keep the best policy. The command line and the experiment both start here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from numnet import random
from numnet.models import Model
from numnet.naming import lookup
from numnet.rl.dqn import DQN, DQNConfig
from numnet.rl.environment import (
    EVALUATION,
    PLAY,
    action_count,
    episode_seeds,
    make_env,
    observation_size,
    play_episode,
)
from numnet.rl.keep_best import KeepBest
from numnet.rl.policy import check_fits, evaluate
from numnet.rl.reinforce import Reinforce, ReinforceConfig
from numnet.rl.training import Agent, Episode, TrainingRecord, train


@dataclass(frozen=True)
class Algorithm:
    """How to make an agent, and its defaults for CartPole-v1."""

    make: Callable[[int, int, np.random.Generator], Agent]
    episodes: int  # the training length the targets are stated for
    evaluate_every: int  # training episodes between evaluations of the greedy policy
    description: str


ALGORITHMS: dict[str, Algorithm] = {
    "dqn": Algorithm(
        lambda observations, actions, rng: DQN(observations, actions, DQNConfig(), rng),
        episodes=600,
        evaluate_every=5,
        description="deep Q-network: replay, target network, epsilon-greedy, Huber loss",
    ),
    "reinforce": Algorithm(
        lambda observations, actions, rng: Reinforce(observations, actions, ReinforceConfig(), rng),
        episodes=3000,
        evaluate_every=20,
        description="policy gradient with a learned value baseline",
    ),
}
EVALUATION_EPISODES = 10  # episodes each evaluation of the greedy policy plays
CONFIRMATION_EPISODES = 90  # more episodes a policy that beats the best must also play


@dataclass
class Learned:
    """A trained agent (its policy holds the best weights found) and its record."""

    agent: Agent
    record: TrainingRecord
    env_id: str
    evaluation_seeds: list[int]
    confirmation_seeds: list[int]
    threshold: float | None  # the return Gymnasium counts as solving the environment


def learn(
    env_id: str = "CartPole-v1",
    algorithm: str = "dqn",
    episodes: int | None = None,
    seed: int = 0,
    evaluate_every: int | None = None,
    evaluation_episodes: int = EVALUATION_EPISODES,
    confirmation_episodes: int = CONFIRMATION_EPISODES,
    on_episode: Callable[[Episode], None] | None = None,
) -> Learned:
    """Train `algorithm` on `env_id` for `episodes` (its default when None), keeping the
    best greedy policy: evaluated every `evaluate_every` episodes (the algorithm's
    default when None) on `evaluation_episodes`, confirmed on `confirmation_episodes`
    more when it beats the best (see `KeepBest`). `seed` fixes the initial weights, the
    agent's random choices and every episode."""
    recipe = lookup("algorithm", algorithm, ALGORITHMS)
    episodes = recipe.episodes if episodes is None else episodes
    if episodes < 1 or evaluation_episodes < 1 or confirmation_episodes < 0:
        raise ValueError("need episodes >= 1, evaluation episodes >= 1, confirmation >= 0")
    env, evaluation_env = make_env(env_id), make_env(env_id)
    try:
        random.seed(seed)  # the networks' initial weights
        agent = recipe.make(observation_size(env), action_count(env), np.random.default_rng(seed))
        seeds = episode_seeds(seed, EVALUATION, evaluation_episodes + confirmation_episodes)
        every = recipe.evaluate_every if evaluate_every is None else evaluate_every
        keep_best = KeepBest(agent.policy, evaluation_env, seeds[:evaluation_episodes], every,
                             seeds[evaluation_episodes:])  # fmt: skip
        record = train(agent, env, episodes, seed, keep_best, on_episode)
        threshold = env.spec.reward_threshold if env.spec is not None else None
    finally:
        env.close()
        evaluation_env.close()
    return Learned(
        agent, record, env_id, seeds[:evaluation_episodes], seeds[evaluation_episodes:], threshold
    )


def play(
    model: Model, env_id: str, episodes: int, seed: int = 0, path: str = "policy"
) -> np.ndarray:
    """The greedy returns of `model` on `episodes` fresh episodes of `env_id` (play
    seeds of `seed`, apart from every training and evaluation episode); a ValueError
    when the model does not fit the environment (`path` names it)."""
    env = make_env(env_id)
    try:
        check_fits(model, env, env_id, path)
        return evaluate(model, env, episode_seeds(seed, PLAY, episodes))
    finally:
        env.close()


def random_returns(env_id: str, episodes: int, seed: int = 0) -> np.ndarray:
    """The returns of the uniformly random policy on the episodes `play` would use: the
    floor a learned policy must beat."""
    env = make_env(env_id)
    rng, actions = np.random.default_rng(seed), action_count(env)
    try:
        return np.array(
            [
                play_episode(env, lambda _: int(rng.integers(actions)), s)
                for s in episode_seeds(seed, PLAY, episodes)
            ]
        )
    finally:
        env.close()
