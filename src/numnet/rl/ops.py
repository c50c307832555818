"""The two ops reinforcement learning adds: the log-probability of the chosen actions
(the policy gradient's "log-probability trick") and the Huber loss of DQN.

Each is a `Function` with its forward and backward side by side, and a lowercase
wrapper that accepts Tensors or arrays, as the ops in `numnet.functional`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.tensor import Tensor, apply, as_tensor
from numnet.backend import get_array_module


class ActionLogProbability(Function):
    """log pi(a_i | s_i) = log_softmax(z_i)[a_i] for every row i of the logits z (N, A).

    The gradient is what makes REINFORCE work ("the log-probability trick": grad pi / pi =
    grad log pi): d log pi(a | s) / d z = onehot(a) - softmax(z), so a positive advantage
    raises the chosen action's score and lowers the others' in proportion to their
    probability.
    """

    def __init__(self, actions: np.ndarray) -> None:
        self.actions = actions

    def forward(self, logits: np.ndarray) -> np.ndarray:
        xp = get_array_module(logits)
        # Subtract the row max so exp cannot overflow.
        shifted = logits - logits.max(axis=-1, keepdims=True)
        log_probs = shifted - xp.log(xp.exp(shifted).sum(axis=-1, keepdims=True))
        self.probs = xp.exp(log_probs)
        return xp.take_along_axis(log_probs, self.actions[:, None], axis=-1)[:, 0]

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        xp = get_array_module(grad_out)
        one_hot = xp.zeros_like(self.probs)
        xp.put_along_axis(one_hot, self.actions[:, None], 1, axis=-1)
        return (grad_out[:, None] * (one_hot - self.probs),)


def action_log_prob(logits: Any, actions: Any) -> Tensor:
    """log pi(a | s) of each row's action: logits (N, A) and integer actions (N,) -> (N,).

    A ValueError names the problem when the shapes disagree or an action is not one of
    0 .. A-1.
    """
    logits = as_tensor(logits)
    actions = np.asarray(getattr(actions, "data", actions))
    if logits.ndim != 2 or actions.shape != logits.shape[:1]:
        raise ValueError(
            f"action_log_prob: expected logits (N, A) and actions (N,), got {logits.shape} "
            f"and {actions.shape}"
        )
    if actions.dtype.kind not in "iu" or (
        actions.size and not 0 <= actions.min() <= actions.max() < logits.shape[1]
    ):
        raise ValueError(f"action_log_prob: actions must be integers in 0..{logits.shape[1] - 1}")
    actions = get_array_module(logits.data).asarray(actions, dtype=np.int64)
    return apply(ActionLogProbability(actions), logits)


class HuberLoss(Function):
    """L = mean(h(y - t)) with h(d) = d**2 / 2 for |d| <= delta, else delta (|d| - delta / 2).

    Quadratic near zero, linear beyond delta: the gradient, clip(d, -delta, delta) / n,
    never exceeds delta / n, so one surprising target cannot throw a Q-network far off
    (Mnih et al. 2015 clip the error term for this reason).
    """

    def __init__(self, delta: float) -> None:
        self.delta = delta

    def forward(self, y: np.ndarray, t: np.ndarray) -> np.ndarray:
        xp = get_array_module(y)
        self.diff = y - t
        size = xp.abs(self.diff)
        loss = xp.where(
            size <= self.delta, 0.5 * self.diff**2, self.delta * (size - 0.5 * self.delta)
        )
        return xp.asarray(loss.mean(), dtype=y.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xp = get_array_module(grad_out)
        grad_y = (grad_out / self.diff.size) * xp.clip(self.diff, -self.delta, self.delta)
        return grad_y, -grad_y


def huber_loss(y: Any, t: Any, delta: float = 1.0) -> Tensor:
    """The mean Huber loss between predictions y and targets t of the same shape."""
    y = as_tensor(y)
    if not isinstance(t, Tensor):  # constant targets take the predictions' dtype
        t = Tensor(np.asarray(t), dtype=y.dtype)
    if y.shape != t.shape:
        raise ValueError(f"huber_loss: predictions {y.shape} and targets {t.shape} differ")
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be > 0, got {delta!r}")
    return apply(HuberLoss(float(delta)), y, t)
