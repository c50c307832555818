"""Keras-style losses: callables ``loss(y_true, y_pred)`` returning the batch mean.

The cross-entropies take ``from_logits=True`` for raw scores, computed in the fused,
stable form (`softmax_cross_entropy`, `binary_cross_entropy_with_logits`). With
``from_logits=False`` (the default) they take probabilities; when `y_pred` came
straight out of a softmax (or sigmoid) and the graph is being recorded, they reach back
to the logits and use the fused form all the same: no log of an underflowed probability,
and the gradient (p - t) / N in one step.

Names resolve through `LOSSES` (``'binary_crossentropy'``, ``'mse'``, ...) or by Keras'
class names (``'BinaryCrossentropy'``); `serialize` and `get` round-trip a loss with its
settings, which is how a model file stores the compiled loss.
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


def _targets(y_true: Any) -> np.ndarray:
    return np.asarray(getattr(y_true, "data", y_true))


def _check_smoothing(label_smoothing: float) -> float:
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    return float(label_smoothing)


class Loss:
    """Base class: ``loss(y_true, y_pred)`` -> scalar Tensor (the batch mean)."""

    name = "loss"  # the registered name, also the `class_name` in saved files

    def __call__(self, y_true: Any, y_pred: Any) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, for saving."""
        return dict(vars(self))

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({settings})"


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
        y_true = _targets(y_true).reshape(y_pred.shape).astype(y_pred.dtype, copy=False)
        return F.abs(y_pred - y_true).mean()


class BinaryCrossentropy(Loss):
    """-mean(t log p + (1 - t) log(1 - p)) for probabilities p, or for p = sigmoid(z)
    from logits z with from_logits=True. label_smoothing pulls the 0/1 targets towards
    1/2: t -> t (1 - s) + s / 2."""

    name = "binary_crossentropy"

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0) -> None:
        self.from_logits = bool(from_logits)
        self.label_smoothing = _check_smoothing(label_smoothing)

    def __call__(self, y_true: Any, y_pred: Any) -> Tensor:
        y_pred = as_tensor(y_pred)
        t = _targets(y_true)
        if self.label_smoothing:
            s = self.label_smoothing
            t = t.astype(y_pred.dtype) * (1 - s) + 0.5 * s
        logits = y_pred if self.from_logits else _logits_of(y_pred, Sigmoid)
        if logits is not None:
            return F.binary_cross_entropy_with_logits(logits, t)
        return F.binary_cross_entropy(y_pred, t)


class CategoricalCrossentropy(Loss):
    """-mean over samples of sum(t log p) for one-hot targets t (integer labels are
    accepted too) and probabilities p, or p = softmax(z) from logits z with
    from_logits=True. label_smoothing: t -> t (1 - s) + s / classes."""

    name = "categorical_crossentropy"

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0) -> None:
        self.from_logits = bool(from_logits)
        self.label_smoothing = _check_smoothing(label_smoothing)

    def __call__(self, y_true: Any, y_pred: Any) -> Tensor:
        y_pred = as_tensor(y_pred)
        t = _targets(y_true)
        if self.label_smoothing:
            t = self._smoothed(t, y_pred.shape, y_pred.dtype)
        logits = y_pred if self.from_logits else _logits_of(y_pred, Softmax)
        if logits is not None:
            return F.softmax_cross_entropy(logits, t)
        if t.shape != y_pred.shape:  # integer labels: pick each sample's probability
            return F.cross_entropy_error(F.clip(y_pred, _EPSILON, 1 - _EPSILON), t)
        log_p = F.log(F.clip(y_pred, _EPSILON, 1 - _EPSILON))
        return -(log_p * t.astype(y_pred.dtype)).sum(axis=-1).mean()

    def _smoothed(self, t: np.ndarray, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        if t.shape != shape:  # integer labels become one-hot rows first
            t = np.eye(shape[-1], dtype=dtype)[t.reshape(shape[:-1]).astype(np.int64)]
        s = self.label_smoothing
        return t.astype(dtype) * (1 - s) + s / shape[-1]


class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Categorical cross-entropy with integer class labels (N,) or (N, 1) as targets."""

    name = "sparse_categorical_crossentropy"
    label_smoothing = 0.0  # Keras' sparse loss has no smoothing (nor a saved setting)

    def __init__(self, from_logits: bool = False) -> None:
        self.from_logits = bool(from_logits)


LOSSES: dict[str, type[Loss]] = {
    "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError,
    "mae": MeanAbsoluteError,
    "binary_crossentropy": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}

# Keras' class names resolve too: 'BinaryCrossentropy' (lookup ignores case).
_BY_CLASS_NAME: dict[str, type[Loss]] = {cls.__name__.lower(): cls for cls in LOSSES.values()}


def _loss_class(name: str) -> type[Loss]:
    key = name.lower() if isinstance(name, str) else name
    return _BY_CLASS_NAME[key] if key in _BY_CLASS_NAME else lookup("loss", name, LOSSES)


def get(identifier: str | Loss | type[Loss] | dict[str, Any]) -> Loss:
    """Resolve a loss name, a saved config, a Loss class or a Loss object (returned as is)."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if isinstance(identifier, dict):
        cls = _loss_class(identifier["class_name"])
        return cls(**identifier.get("config", {}))
    if callable(identifier):
        raise TypeError("custom losses must subclass numnet.losses.Loss")
    return _loss_class(identifier)()


def serialize(loss: Loss) -> dict[str, Any]:
    """A JSON-able description that `get` turns back into the same loss."""
    return {"class_name": loss.name, "config": loss.get_config()}
