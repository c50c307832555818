"""The network every agent learns and saves: observation (N, D) -> one score per action.

For DQN the scores are the action values Q(s, a); for REINFORCE they are the logits of
the policy's softmax. Either way the greedy action is the argmax, so `--play` and the
evaluations treat every saved policy alike. It is a plain Sequential of Dense layers,
saved as a normal numnet model file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from numnet import layers
from numnet.autograd.mode import no_grad
from numnet.models import Model, Sequential
from numnet.rl.environment import action_count, observation_size, play_episode


def mlp(
    inputs: int,
    outputs: int,
    hidden: Sequence[int],
    activation: str = "relu",
    output_initializer: Any = "glorot_uniform",
) -> Sequential:
    """Dense layers inputs -> hidden... -> outputs (linear scores); the hidden layers
    He-initialised (for ReLU), the output layer with `output_initializer`."""
    stack: list[Any] = [layers.Input((inputs,))]
    for units in hidden:
        stack.append(layers.Dense(units, activation=activation, kernel_initializer="he_uniform"))
    stack.append(layers.Dense(outputs, kernel_initializer=output_initializer))
    return Sequential(stack)


def action_scores(model: Model, observation: np.ndarray) -> np.ndarray:
    """The model's scores (A,) for one observation, with no graph recorded: this runs at
    every step of every episode, where building a graph would be wasted."""
    with no_grad():
        return model(observation[None], training=False).data[0]


def greedy(model: Model) -> Callable[[np.ndarray], int]:
    """The policy that always takes the highest-scoring action."""
    return lambda observation: int(np.argmax(action_scores(model, observation)))


def evaluate(model: Model, env: Any, seeds: Sequence[int]) -> np.ndarray:
    """The returns of the greedy policy on one episode per seed."""
    policy = greedy(model)
    return np.array([play_episode(env, policy, seed) for seed in seeds])


def check_fits(model: Model, env: Any, env_id: str, path: str) -> None:
    """A ValueError in one line unless `model` maps env's observations to one score per
    action (say, a policy trained on another environment)."""
    sample = model.sample_shape
    outputs = tuple(model.outputs[0].shape[1:]) if model.outputs else None
    size, actions = observation_size(env), action_count(env)
    if sample != (size,):
        raise ValueError(
            f"{path} takes observations of shape {sample}, but {env_id} gives ({size},): "
            "was it trained on another environment? (choose it with --env)"
        )
    if outputs != (actions,):
        raise ValueError(
            f"{path} gives scores of shape {outputs}, but {env_id} has {actions} actions: "
            "was it trained on another environment? (choose it with --env)"
        )
