"""The two agents' updates, checked against PyTorch (DQN) and by hand (REINFORCE), and
their exploration."""

from __future__ import annotations

import numpy as np
import pytest

import numnet
from numnet.rl import DQN, DQNConfig, LinearDecay, Reinforce, ReinforceConfig

SMALL_DQN = DQNConfig(
    hidden=(8, 8),
    batch_size=16,
    learning_starts=10**9,
    clipnorm=1e9,
    target_update_every=1,
    tau=0.1,
)


def filled_dqn(config: DQNConfig, transitions: int = 40, seed: int = 0) -> DQN:
    """A DQN whose replay holds random transitions of 4-number states, 2 actions."""
    numnet.random.seed(seed)
    agent = DQN(4, 2, config, np.random.default_rng(seed))
    data = np.random.default_rng(seed + 1)
    for _ in range(transitions):
        state, next_state = data.standard_normal(4), data.standard_normal(4)
        agent.replay.add(state, int(data.integers(2)), 1.0, next_state, bool(data.random() < 0.3))
    # Make the target differ from the online network, so the test tells them apart.
    agent.target.set_weights([w * 1.5 for w in agent.target.get_weights()])
    return agent


def torch_dqn_gradients(agent: DQN, batch: tuple, double: bool) -> tuple[float, list]:
    """The Huber loss of the DQN target and its gradients, computed by PyTorch on copies
    of the agent's networks (numnet kernels are (in, out), torch weights (out, in))."""
    torch = pytest.importorskip("torch")

    def torch_net(model):
        weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True)
                   for w in model.get_weights()]  # fmt: skip

        def forward(x):
            h = torch.as_tensor(x, dtype=torch.float64)
            for i in range(0, len(weights), 2):
                h = h @ weights[i] + weights[i + 1]
                if i + 2 < len(weights):
                    h = torch.relu(h)
            return h

        return forward, weights

    online, weights = torch_net(agent.policy)
    target, _ = torch_net(agent.target)
    states, actions, rewards, next_states, terminated = batch
    with torch.no_grad():
        next_q = target(next_states)
        if double:
            next_value = next_q.gather(1, online(next_states).argmax(1, keepdim=True))[:, 0]
        else:
            next_value = next_q.max(1).values
        y = (
            torch.as_tensor(rewards, dtype=torch.float64)
            + agent.config.gamma
            * (1 - torch.as_tensor(terminated, dtype=torch.float64))
            * next_value
        )
    q = online(states).gather(1, torch.as_tensor(actions)[:, None])[:, 0]
    loss = torch.nn.functional.smooth_l1_loss(q, y, beta=agent.config.huber_delta)
    loss.backward()
    return float(loss), [w.grad.numpy() for w in weights]


@pytest.mark.parametrize("double", [False, True])
def test_dqn_update_matches_pytorch(double):
    config = DQNConfig(**{**vars(SMALL_DQN), "double": double})
    agent = filled_dqn(config)
    batch = agent.replay.sample(config.batch_size, np.random.default_rng(0))
    agent.rng = np.random.default_rng(0)  # so learn() draws the same batch
    expected_loss, expected_grads = torch_dqn_gradients(agent, batch, double)
    loss = agent.learn()
    assert loss == pytest.approx(expected_loss, rel=1e-5)
    for weight, expected in zip(agent.policy.trainable_weights, expected_grads, strict=True):
        np.testing.assert_allclose(weight.grad, expected, rtol=1e-4, atol=1e-6)


def test_target_network_follows_by_tau():
    agent = filled_dqn(SMALL_DQN)
    online, before = agent.policy.get_weights(), agent.target.get_weights()
    agent.follow_target()
    for w, t0, t1 in zip(online, before, agent.target.get_weights(), strict=True):
        np.testing.assert_allclose(t1, t0 + SMALL_DQN.tau * (w - t0), rtol=1e-6, atol=1e-7)
    hard = filled_dqn(DQNConfig(**{**vars(SMALL_DQN), "tau": 1.0}))
    hard.follow_target()
    for w, t in zip(hard.policy.get_weights(), hard.target.get_weights(), strict=True):
        np.testing.assert_array_equal(w, t)


def test_dqn_learns_on_schedule():
    config = DQNConfig(hidden=(8,), batch_size=4, learning_starts=10, train_every=3,
                       target_update_every=2, tau=1.0)  # fmt: skip
    numnet.random.seed(0)
    agent = DQN(4, 2, config, np.random.default_rng(0))
    state = np.zeros(4, np.float32)
    for _ in range(9):
        agent.observe(state, 0, 1.0, state, False)
    assert agent.updates == 0 and len(agent.replay) == 9  # before learning_starts
    for _ in range(9):  # steps 10..18: updates at 12, 15 and 18
        agent.observe(state, 0, 1.0, state, False)
    assert agent.updates == 3 and len(agent.end_episode()) == 2  # epsilon and loss
    # The target copied the network at update 2; update 3 has moved the network since.
    pairs = zip(agent.policy.get_weights(), agent.target.get_weights(), strict=True)
    assert not all(np.array_equal(w, t) for w, t in pairs)


def test_epsilon_schedule_and_greedy_choice():
    schedule = LinearDecay(1.0, 0.1, 100)
    assert [schedule(s) for s in (0, 50, 100, 1000)] == pytest.approx([1.0, 0.55, 0.1, 0.1])
    with pytest.raises(ValueError):
        LinearDecay(0.1, 0.5, 10)
    numnet.random.seed(0)
    agent = DQN(4, 2, DQNConfig(hidden=(8,), epsilon=LinearDecay(0.0, 0.0, 1)),
                np.random.default_rng(0))  # fmt: skip
    observation = np.array([0.1, -0.2, 0.3, 0.0], np.float32)
    best = int(np.argmax(agent.policy.predict(observation[None])[0]))
    assert {agent.act(observation) for _ in range(20)} == {best}
    agent.config = DQNConfig(hidden=(8,), epsilon=LinearDecay(1.0, 1.0, 1))
    actions = [agent.act(observation) for _ in range(400)]
    assert 0.4 < np.mean(actions) < 0.6  # uniformly random


def test_replay_buffer_is_a_ring():
    from numnet.rl import ReplayBuffer

    buffer = ReplayBuffer(3, 2)
    for i in range(5):
        buffer.add(np.full(2, i), i % 2, float(i), np.full(2, i + 1), i == 4)
    assert len(buffer) == 3
    assert sorted(buffer.rewards.tolist()) == [2.0, 3.0, 4.0]  # the oldest two are gone
    states, actions, rewards, next_states, terminated = buffer.sample(50, np.random.default_rng(0))
    assert states.shape == (50, 2) and set(rewards.tolist()) == {2.0, 3.0, 4.0}
    np.testing.assert_array_equal(next_states[:, 0], states[:, 0] + 1)
    np.testing.assert_array_equal(terminated, rewards == 4.0)
    np.testing.assert_array_equal(actions, rewards.astype(int) % 2)
    with pytest.raises(ValueError, match="empty"):
        ReplayBuffer(3, 2).sample(1, np.random.default_rng(0))


def test_reinforce_gradient_by_hand():
    """A linear policy: d loss / d kernel = -states.T @ ((onehot - softmax) * A) / T,
    with A the normalised advantages G - b (the baseline from the value network)."""
    numnet.random.seed(0)
    config = ReinforceConfig(hidden=(), gamma=0.9, clipnorm=1e9)
    agent = Reinforce(3, 2, config, np.random.default_rng(0))
    data = np.random.default_rng(1)
    states = data.standard_normal((5, 3)).astype(np.float32)
    actions = np.array([0, 1, 1, 0, 1])
    returns = np.array([4.0, 3.0, 2.5, 1.0, 0.5])
    kernel, bias = agent.policy.get_weights()
    value_kernel, value_bias = agent.value.get_weights()
    baseline = (states @ value_kernel + value_bias)[:, 0] / agent.value_scale
    advantages = returns - baseline
    advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
    logits = states @ kernel + bias
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    grad_logits = -(np.eye(2)[actions] - softmax) * advantages[:, None] / 5
    agent.learn(states, actions, returns)
    np.testing.assert_allclose(agent.policy.weights[0].grad, states.T @ grad_logits, atol=1e-5)
    np.testing.assert_allclose(agent.policy.weights[1].grad, grad_logits.sum(0), atol=1e-5)


def test_reinforce_samples_from_the_softmax_and_learns_per_batch():
    numnet.random.seed(0)
    agent = Reinforce(2, 2, ReinforceConfig(hidden=(), episodes_per_update=2),
                      np.random.default_rng(0))  # fmt: skip
    agent.policy.set_weights([np.zeros((2, 2), np.float32), np.array([0.0, np.log(3.0)])])
    actions = [agent.act(np.zeros(2, np.float32)) for _ in range(4000)]
    assert np.mean(actions) == pytest.approx(0.75, abs=0.03)  # p(1) = 3 / (1 + 3)
    before = agent.policy.get_weights()
    for _ in range(3):
        agent.observe(np.ones(2, np.float32), 1, 1.0, np.ones(2, np.float32), False)
    assert agent.end_episode() == {}  # one episode of two: nothing learnt yet
    np.testing.assert_array_equal(agent.policy.get_weights()[1], before[1])
    agent.observe(np.zeros(2, np.float32), 0, 1.0, np.zeros(2, np.float32), True)
    logs = agent.end_episode()
    assert set(logs) == {"loss", "value_loss", "entropy"}
    assert not np.array_equal(agent.policy.get_weights()[1], before[1])


def test_the_entropy_bonus_pushes_toward_uniform():
    """With nothing to learn from the returns (equal advantages), the loss is -beta H and
    its gradient beta p (log p + H) lowers the favoured action's logit."""
    numnet.random.seed(0)
    beta = 0.5
    agent = Reinforce(2, 2, ReinforceConfig(hidden=(), entropy_bonus=beta),
                      np.random.default_rng(0))  # fmt: skip
    agent.policy.set_weights([np.zeros((2, 2), np.float32), np.array([0.0, 2.0], np.float32)])
    states = np.ones((4, 2), np.float32)
    logs = agent.learn(states, np.array([0, 1, 0, 1]), np.full(4, 3.0))
    p = np.exp([0.0, 2.0]) / np.exp([0.0, 2.0]).sum()
    entropy = -(p * np.log(p)).sum()
    assert logs["entropy"] == pytest.approx(entropy, rel=1e-5)
    grad_bias = agent.policy.weights[1].grad
    np.testing.assert_allclose(grad_bias, beta * p * (np.log(p) + entropy), atol=1e-6)
    assert grad_bias[1] > 0 > grad_bias[0]
