"""The ops of numnet.rl: the log-probability trick and the Huber loss (float64 gradient
checks and forward values by hand), and returns-to-go."""

from __future__ import annotations

import numpy as np
import pytest

import numnet
from numnet import functional as F
from numnet.rl import action_log_prob, huber_loss, returns_to_go


def test_action_log_prob_is_log_softmax_at_the_action(rng):
    logits = rng.standard_normal((5, 3))
    actions = np.array([0, 2, 1, 1, 0])
    expected = F.log_softmax(logits).data[np.arange(5), actions]
    np.testing.assert_allclose(action_log_prob(logits, actions).data, expected, atol=1e-12)


def test_action_log_prob_is_stable_for_large_logits():
    logits = np.array([[1010.0, 1000.0, 990.0]])
    value = action_log_prob(logits, np.array([1])).data[0]
    assert value == pytest.approx(-10.0 - np.log1p(np.exp(-10.0) + np.exp(-20.0)), abs=1e-9)


@pytest.mark.parametrize("shape", [(1, 2), (4, 2), (6, 5)])
def test_action_log_prob_gradient(rng, shape):
    logits = rng.standard_normal(shape) * 2
    actions = rng.integers(0, shape[1], size=shape[0])
    assert numnet.gradcheck(lambda z: action_log_prob(z, actions), logits)


def test_action_log_prob_gradient_is_onehot_minus_softmax(rng):
    logits = numnet.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    actions = np.array([3, 0, 2])
    action_log_prob(logits, actions).sum().backward()
    one_hot = np.eye(4)[actions]
    np.testing.assert_allclose(logits.grad, one_hot - F.softmax(logits).data, atol=1e-12)


@pytest.mark.parametrize(
    "logits, actions, message",
    [
        (np.zeros((3, 2)), np.array([0, 1]), "expected logits (N, A) and actions (N,)"),
        (np.zeros((2, 2)), np.array([0, 2]), "integers in 0..1"),
        (np.zeros((2, 2)), np.array([0.0, 1.0]), "integers in 0..1"),
        (np.zeros(2), np.array([0, 1]), "expected logits (N, A)"),
    ],
)
def test_action_log_prob_refuses_bad_actions(logits, actions, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        action_log_prob(logits, actions)


def test_huber_loss_values():
    y = np.array([0.0, 0.5, 2.0, -3.0])
    t = np.zeros(4)
    # quadratic inside delta = 1, linear beyond: 0, 0.125, 1.5, 2.5
    assert huber_loss(y, t).item() == pytest.approx((0 + 0.125 + 1.5 + 2.5) / 4)
    assert huber_loss(y, t, delta=2.0).item() == pytest.approx((0 + 0.125 + 2.0 + 4.0) / 4)


@pytest.mark.parametrize("delta", [0.5, 1.0, 3.0])
def test_huber_loss_gradient(rng, delta):
    # Keep every difference away from +-delta, where the second derivative jumps.
    y = rng.standard_normal(12) * 3
    t = rng.standard_normal(12)
    near = np.abs(np.abs(y - t) - delta) < 0.05
    y[near] += 0.2
    assert numnet.gradcheck(lambda a, b: huber_loss(a, b, delta), y, t)


def test_huber_gradient_is_bounded_by_delta(rng):
    y = numnet.tensor(np.array([100.0, -100.0, 0.3]), requires_grad=True)
    huber_loss(y, np.zeros(3)).backward()
    np.testing.assert_allclose(y.grad, np.array([1.0, -1.0, 0.3]) / 3)


def test_huber_loss_refuses_bad_shapes_and_delta():
    with pytest.raises(ValueError, match="differ"):
        huber_loss(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="delta must be > 0"):
        huber_loss(np.zeros(3), np.zeros(3), delta=0.0)


def test_huber_loss_keeps_the_predictions_dtype():
    y = numnet.tensor(np.zeros(3, np.float32), requires_grad=True)
    loss = huber_loss(y, np.ones(3, np.float64))
    loss.backward()
    assert loss.dtype == np.float32 and y.grad.dtype == np.float32


def test_returns_to_go_by_hand():
    np.testing.assert_allclose(returns_to_go([1.0, 1.0, 1.0], 0.5), [1.75, 1.5, 1.0])
    np.testing.assert_allclose(returns_to_go([0.0, 0.0, 2.0], 0.9), [1.62, 1.8, 2.0])
    np.testing.assert_allclose(returns_to_go([1.0, 2.0, 3.0], 1.0), [6.0, 5.0, 3.0])
    assert returns_to_go([], 0.99).shape == (0,)
    with pytest.raises(ValueError, match="gamma"):
        returns_to_go([1.0], 1.5)
