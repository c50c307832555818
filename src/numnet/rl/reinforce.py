"""REINFORCE with a baseline: the Monte Carlo policy gradient (Williams 1992; Sutton &
Barto 2018, section 13.4).

The policy network gives logits; the agent samples its action from their softmax, so it
explores by itself. After whole episodes it raises the log-probability of each action
taken in proportion to its advantage,

    loss = -mean_t( log pi(a_t | s_t) * (G_t - b(s_t)) ),

where G_t is the return-to-go and the baseline b(s_t) is a value network fitted to it.
The baseline changes nothing in expectation (the gradient of log pi sums to zero over
actions) but removes most of the variance: an action is judged by how much better than
usual it did, not by how long the episode happened to last.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numnet import functional as F
from numnet import optimizers
from numnet.autograd.mode import no_grad
from numnet.autograd.tensor import Tensor
from numnet.initializers import RandomNormal
from numnet.models import Model
from numnet.rl.ops import action_log_prob
from numnet.rl.policy import action_scores, mlp
from numnet.rl.returns import returns_to_go


@dataclass(frozen=True)
class ReinforceConfig:
    """REINFORCE's hyperparameters (the defaults are tuned for CartPole-v1)."""

    hidden: tuple[int, ...] = (64, 64)
    learning_rate: float = 1e-3
    value_learning_rate: float = 1e-3
    gamma: float = 0.99
    episodes_per_update: int = 1
    normalise_advantages: bool = True
    entropy_bonus: float = 0.0  # weight of the policy's entropy, a push to keep exploring
    clipnorm: float = 1.0


class Reinforce:
    """A REINFORCE agent with a learned state-value baseline.

    `act`, `observe` and `end_episode` are what `numnet.rl.training.train` calls;
    `policy` is the logits network. Network weights come from numnet's default generator
    (`numnet.random.seed`); the sampled actions from `rng`.
    """

    def __init__(
        self, observations: int, actions: int, config: ReinforceConfig, rng: np.random.Generator
    ) -> None:
        self.config, self.rng = config, rng
        # Tiny output weights make the first policy close to uniform: before it knows
        # anything the agent should try both actions, not commit to one by chance.
        self.policy = mlp(
            observations, actions, config.hidden, output_initializer=RandomNormal(stddev=0.01)
        )
        self.value = mlp(observations, 1, config.hidden)
        self.policy_optimizer = optimizers.Adam(config.learning_rate, clipnorm=config.clipnorm)
        self.value_optimizer = optimizers.Adam(config.value_learning_rate)
        # The value network predicts (1 - gamma) G: a weighted average of rewards, on the
        # scale of one reward, where Adam's steps are sized right (G itself reaches 100).
        self.value_scale = 1.0 - config.gamma if config.gamma < 1 else 1.0
        self.episode: list[tuple[np.ndarray, int, float]] = []
        self.batch: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def act(self, observation: np.ndarray) -> int:
        """An action sampled from softmax(logits)."""
        logits = action_scores(self.policy, observation).astype(np.float64)
        probabilities = np.exp(logits - logits.max())
        cumulative = np.cumsum(probabilities)
        return int(np.searchsorted(cumulative, self.rng.random() * cumulative[-1], side="right"))

    def observe(
        self,
        observation: np.ndarray,
        action: int,
        reward: float,
        next_observation: np.ndarray,
        terminated: bool,
    ) -> None:
        """Remember the step: REINFORCE learns only once the episode is over."""
        self.episode.append((observation, action, reward))

    def end_episode(self) -> dict[str, float]:
        """File the episode with its returns-to-go; learn when a batch is complete."""
        states, actions, rewards = zip(*self.episode, strict=True)
        returns = returns_to_go(rewards, self.config.gamma)
        self.batch.append((np.array(states, np.float32), np.array(actions), returns))
        self.episode = []
        if len(self.batch) < self.config.episodes_per_update:
            return {}
        logs = self.learn(*(np.concatenate(parts) for parts in zip(*self.batch, strict=True)))
        self.batch = []
        return logs

    def learn(self, states: np.ndarray, actions: np.ndarray, returns: np.ndarray) -> dict:
        """One policy-gradient step and one baseline step on the batch's steps."""
        with no_grad():
            baseline = self.value(states, training=False).data[:, 0] / self.value_scale
        advantages = returns - baseline
        if self.config.normalise_advantages and len(advantages) > 1:
            advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
        logits = self.policy(states, training=True)
        loss = -(action_log_prob(logits, actions) * advantages.astype(np.float32)).mean()
        entropy = -(F.softmax(logits) * F.log_softmax(logits)).sum(axis=1).mean()
        if self.config.entropy_bonus:
            loss = loss - self.config.entropy_bonus * entropy
        _step(self.policy_optimizer, self.policy, loss)
        targets = (returns * self.value_scale).astype(np.float32)[:, None]
        value_loss = F.mean_squared_error(self.value(states, training=True), targets)
        _step(self.value_optimizer, self.value, value_loss)
        return {"loss": float(loss.data), "value_loss": float(value_loss.data),
                "entropy": float(entropy.data)}  # fmt: skip


def _step(optimizer: optimizers.Optimizer, model: Model, loss: Tensor) -> None:
    """Backpropagate `loss` into `model`'s weights and update them."""
    params = model.trainable_weights
    optimizer.zero_grad(params)
    loss.backward()
    optimizer.step(params)
