"""Metrics: running averages over an epoch, updated batch by batch."""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.naming import lookup


def accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """Per-sample correctness (1.0 or 0.0) for one-hot, integer or binary targets.

    More than one output column: the predicted class is the argmax, compared with the
    argmax of one-hot targets or with integer labels. One column: a probability,
    thresholded at 0.5 against 0/1 targets.
    """
    p = np.asarray(getattr(y_pred, "data", y_pred))
    t = np.asarray(getattr(y_true, "data", y_true))
    if p.ndim >= 2 and p.shape[-1] > 1:
        predicted = p.argmax(axis=-1)
        target = t.argmax(axis=-1) if t.shape == p.shape else t.reshape(predicted.shape)
        return (predicted == target).astype(np.float32)
    return ((p.reshape(-1) > 0.5) == (t.reshape(-1) > 0.5)).astype(np.float32)


class Metric:
    """A running mean of a per-sample score, reset at each epoch."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.reset()

    def reset(self) -> None:
        """Forget the samples seen so far."""
        self.total, self.count = 0.0, 0

    def reset_state(self) -> None:
        """Keras' name for `reset`."""
        self.reset()

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Keras' name for `update`."""
        self.update(*args, **kwargs)

    def update(self, y_true: Any, y_pred: Any) -> None:
        """Add a batch."""
        scores = self.score(y_true, y_pred)
        self.total += float(scores.sum())
        self.count += scores.size

    def score(self, y_true: Any, y_pred: Any) -> np.ndarray:
        """Per-sample scores of a batch."""
        raise NotImplementedError

    def result(self) -> float:
        """The mean score so far."""
        return self.total / self.count if self.count else 0.0


class Mean(Metric):
    """The running mean of the values it is given (Keras' `metrics.Mean`): what a custom
    `train_step` uses to report a loss averaged over the epoch."""

    def __init__(self, name: str = "mean") -> None:
        super().__init__(name)

    def update(self, values: Any, sample_weight: float | None = None) -> None:  # type: ignore[override]
        """Add `values` (a number, an array or a Tensor), each counted `sample_weight` times."""
        values = np.asarray(values, dtype=np.float64)
        weight = 1.0 if sample_weight is None else float(sample_weight)
        self.total += float(values.sum()) * weight
        self.count += values.size * weight


class Accuracy(Metric):
    """Fraction of correctly classified samples."""

    def __init__(self, name: str = "accuracy") -> None:
        super().__init__(name)

    def score(self, y_true: Any, y_pred: Any) -> np.ndarray:
        return accuracy(y_true, y_pred)


METRICS: dict[str, type[Metric]] = {"accuracy": Accuracy, "acc": Accuracy}


def get(identifier: str | Metric) -> Metric:
    """Resolve a metric name or pass a Metric through."""
    if isinstance(identifier, Metric):
        return identifier
    cls = lookup("metric", identifier, METRICS)
    return cls(identifier)  # logged under the name given, as Keras: "acc" shows as acc
