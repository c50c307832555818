"""DQN: learn the action values Q(s, a) from replayed experience (Mnih et al. 2015).

The network predicts Q(s, a) for every action a at once. After each step the agent
stores the transition and fits Q(s, a) to the one-step target

    y = r + gamma * max_a' Q_target(s', a')      (y = r when the episode ended),

on a mini-batch drawn at random from the replay buffer, with the Huber loss. The target
network Q_target is a slowly following copy of Q: bootstrapping from the very network
being updated chases its own tail. Actions are epsilon-greedy; the saved policy is the
Q-network itself, whose argmax is the greedy action.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from numnet import optimizers
from numnet.autograd.mode import no_grad
from numnet.rl.exploration import LinearDecay
from numnet.rl.ops import huber_loss
from numnet.rl.policy import action_scores, mlp
from numnet.rl.replay import ReplayBuffer


@dataclass(frozen=True)
class DQNConfig:
    """DQN's hyperparameters (the defaults are tuned for CartPole-v1)."""

    hidden: tuple[int, ...] = (128, 128)
    learning_rate: float = 1e-3
    gamma: float = 0.99
    # About all of a 600-episode run (70,000 to 110,000 steps): the early failures stay
    # in the mix, so an agent that balances does not forget what falling looks like.
    replay_size: int = 100_000
    batch_size: int = 64
    learning_starts: int = 500  # random steps stored before the first update
    train_every: int = 1  # environment steps per gradient step
    # The target network follows every `target_update_every` gradient steps by
    # Q_target += tau (Q - Q_target): tau = 1 copies it (a hard update), a small tau
    # every step lets it trail smoothly (a soft update).
    target_update_every: int = 250
    tau: float = 1.0
    # Episodes start short (about 20 steps), so the schedule is over 3,000 steps: about
    # 100 episodes of exploring, not the first few hundred.
    epsilon: LinearDecay = field(default_factory=lambda: LinearDecay(1.0, 0.05, 3_000))
    # Double DQN (van Hasselt et al. 2016): the online network picks the next action and
    # the target network rates it, which curbs the max's upward bias.
    double: bool = True
    clipnorm: float = 10.0
    huber_delta: float = 1.0


class DQN:
    """A DQN agent for `observations`-number states and `actions` discrete actions.

    `act`, `observe` and `end_episode` are what `numnet.rl.training.train` calls;
    `policy` is the Q-network. Network weights come from numnet's default generator
    (`numnet.random.seed`); exploration and replay sampling from `rng`.
    """

    def __init__(
        self, observations: int, actions: int, config: DQNConfig, rng: np.random.Generator
    ) -> None:
        self.config, self.rng, self.actions = config, rng, actions
        self.policy = mlp(observations, actions, config.hidden)
        self.target = mlp(observations, actions, config.hidden)
        self.target.set_weights(self.policy.get_weights())
        self.optimizer = optimizers.Adam(config.learning_rate, clipnorm=config.clipnorm)
        self.replay = ReplayBuffer(config.replay_size, observations)
        self.steps = self.updates = 0
        self.losses: list[float] = []

    @property
    def epsilon(self) -> float:
        """The exploration rate at the current step."""
        return self.config.epsilon(self.steps)

    def act(self, observation: np.ndarray) -> int:
        """Epsilon-greedy: a random action with probability epsilon, else argmax Q(s, .)."""
        if self.rng.random() < self.epsilon:
            return int(self.rng.integers(self.actions))
        return int(np.argmax(action_scores(self.policy, observation)))

    def observe(
        self,
        observation: np.ndarray,
        action: int,
        reward: float,
        next_observation: np.ndarray,
        terminated: bool,
    ) -> None:
        """Store the transition and, when one is due, take a gradient step."""
        self.replay.add(observation, action, reward, next_observation, terminated)
        self.steps += 1
        config = self.config
        if self.steps >= config.learning_starts and self.steps % config.train_every == 0:
            self.losses.append(self.learn())

    def learn(self) -> float:
        """One gradient step on a replayed mini-batch; then, when due, the target network
        follows. Returns the batch's Huber loss."""
        config = self.config
        states, actions, rewards, next_states, terminated = self.replay.sample(
            config.batch_size, self.rng
        )
        targets = self.td_targets(rewards, next_states, terminated)
        q_taken = self.policy(states, training=True)[np.arange(len(actions)), actions]
        loss = huber_loss(q_taken, targets, config.huber_delta)
        params = self.policy.trainable_weights
        self.optimizer.zero_grad(params)
        loss.backward()
        self.optimizer.step(params)
        self.updates += 1
        if self.updates % config.target_update_every == 0:
            self.follow_target()
        return float(loss.data)

    def td_targets(
        self, rewards: np.ndarray, next_states: np.ndarray, terminated: np.ndarray
    ) -> np.ndarray:
        """y = r + gamma Q_target(s', a') (just r where the episode ended), with a' the
        target network's best action, or the online network's for Double DQN."""
        with no_grad():
            next_q = self.target(next_states, training=False).data
            if self.config.double:
                chosen = self.policy(next_states, training=False).data.argmax(axis=1)
            else:
                chosen = next_q.argmax(axis=1)
        next_values = next_q[np.arange(len(chosen)), chosen]
        return rewards + self.config.gamma * (1.0 - terminated) * next_values

    def follow_target(self) -> None:
        """Polyak averaging: theta_target <- tau theta + (1 - tau) theta_target."""
        tau = self.config.tau
        for online, target in zip(self.policy.weights, self.target.weights, strict=True):
            target.data += tau * (online.data - target.data)

    def end_episode(self) -> dict[str, float]:
        """The episode's logs: epsilon now and the mean loss of its updates."""
        logs = {"epsilon": self.epsilon}
        if self.losses:
            logs["loss"] = float(np.mean(self.losses))
        self.losses = []
        return logs
