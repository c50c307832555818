"""Keras-style losses: callables ``loss(y_true, y_pred)`` returning the batch mean.

When `y_pred` came straight out of a softmax (or sigmoid) and the graph is being
recorded, the cross-entropies reach back to the logits and use the fused, stable form:
no log of an underflowed probability, and the gradient (p - t) / N in one step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import functional as F
from numnet.autograd.tensor import Tensor, as_tensor
from numnet.functional.activation import Sigmoid, Softmax
from numnet.naming import lookup

_EPSILON = 1e-7  # Keras clips probabilities to [1e-7, 1 - 1e-7] before taking logs.


def _logits_of(y_pred: Tensor, op: type) -> Tensor | None:
    """The input of the op that produced y_pred, if y_pred is that op's recorded output."""
    creator = y_pred.creator
    if isinstance(creator, op) and getattr(creator, "axis", -1) in (-1, y_pred.ndim - 1):
        return creator.inputs[0]
    return None


class Loss:
    """Base class: ``loss(y_true, y_pred)`` -> scalar Tensor."""

    name = "loss"

    def __call__(self, y_true: Any, y_pred: Any) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, for saving."""
        return dict(vars(self))


class MeanSquaredError(Loss):
    """mean((y_true - y_pred)**2)."""

    name = "mean_squared_error"

    def __call__(self, y_true: Any, y_pred: Any) -> Tensor:
        return F.mean_squared_error(y_pred, y_true)


class MeanAbsoluteError(Loss):
    """mean(|y_true - y_pred|)."""

    name = "mean_absolute_error"

    def __call__(self, y_true: Any, y_pred: Any) -> Tensor:
        y_pred = as_tensor(y_pred)
        y_true = np.asarray(getattr(y_true, "data", y_true)).reshape(y_pred.shape)
        return F.abs(y_pred - y_true).mean()


class BinaryCrossentropy(Loss):
    """-mean(t log p + (1 - t) log(1 - p)) for probabilities (or logits, from_logits=True)."""

    name = "binary_crossentropy"

    def __init__(self, from_logits: bool = False) -> None:
        self.from_logits = from_logits

    def __call__(self, y_true: Any, y_pred: Any) -> Tensor:
        y_pred = as_tensor(y_pred)
        logits = y_pred if self.from_logits else _logits_of(y_pred, Sigmoid)
        if logits is not None:
            return F.binary_cross_entropy_with_logits(logits, y_true)
        return F.binary_cross_entropy(y_pred, y_true)


class CategoricalCrossentropy(Loss):
    """-mean over samples of sum(t log p), t one-hot (or integer labels: see Sparse...)."""

    name = "categorical_crossentropy"

    def __init__(self, from_logits: bool = False) -> None:
        self.from_logits = from_logits

    def __call__(self, y_true: Any, y_pred: Any) -> Tensor:
        y_pred = as_tensor(y_pred)
        logits = y_pred if self.from_logits else _logits_of(y_pred, Softmax)
        if logits is not None:
            return F.softmax_cross_entropy(logits, y_true)
        t = np.asarray(getattr(y_true, "data", y_true))
        if t.shape != y_pred.shape:  # integer labels: pick each sample's probability
            return F.cross_entropy_error(F.clip(y_pred, _EPSILON, 1 - _EPSILON), t)
        log_p = F.log(F.clip(y_pred, _EPSILON, 1 - _EPSILON))
        return -(log_p * t.astype(y_pred.dtype)).sum(axis=-1).mean()


class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Categorical cross-entropy with integer class labels as targets."""

    name = "sparse_categorical_crossentropy"


LOSSES: dict[str, type[Loss]] = {
    "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError,
    "mae": MeanAbsoluteError,
    "binary_crossentropy": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}


def get(identifier: str | Loss | dict[str, Any]) -> Loss:
    """Resolve a loss name, a saved config or a Loss object."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, dict):
        cls = lookup("loss", identifier["class_name"], LOSSES)
        return cls(**identifier.get("config", {}))
    if callable(identifier):
        raise TypeError("custom losses must subclass numnet.losses.Loss")
    return lookup("loss", identifier, LOSSES)()


def serialize(loss: Loss) -> dict[str, Any]:
    """A JSON-able description that `get` turns back into the same loss."""
    return {"class_name": loss.name, "config": loss.get_config()}
