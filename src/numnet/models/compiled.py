"""What `compile` sets up for the built-in steps: the loss of every output, its weight,
the metrics, and the running means that `fit` shows.

One output: ``loss='mse'``. Several outputs: one loss for all, a list (in output order)
or a dict keyed by output name, with `loss_weights` alike; the total is the weighted sum
plus the layers' weight penalties, and each output's loss is also shown as
``<output>_loss``, as Keras does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import losses as losses_module
from numnet import metrics as metrics_module
from numnet import nest
from numnet.autograd.tensor import Tensor


def _per_output(value: Any, names: list[str], what: str) -> list[Any]:
    """`value` given once, as a list in output order, or as a dict by output name."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(f"{what} names unknown outputs {unknown}; the outputs are {names}")
        return [value.get(name) for name in names]
    if isinstance(value, list | tuple):
        if len(value) != len(names):
            raise ValueError(f"{what} has {len(value)} entries for {len(names)} outputs {names}")
        return list(value)
    return [value] * len(names)


class CompiledLoss:
    """The losses, weights and metrics of every output, and the trackers fit reports."""

    def __init__(self, loss: Any, metrics: Any, loss_weights: Any, output_names: list[str]):
        self.output_names = output_names
        self.losses = [
            None if spec is None else losses_module.get(spec)
            for spec in _per_output(loss, output_names, "loss")
        ]
        weights = _per_output(loss_weights, output_names, "loss_weights")
        self.weights = [1.0 if w is None else float(w) for w in weights]
        self.loss_tracker = metrics_module.Mean("loss")
        several = len(output_names) > 1
        self.output_trackers = (
            [metrics_module.Mean(f"{name}_loss") for name in output_names] if several else []
        )
        if isinstance(metrics, dict) or (
            several and metrics and all(isinstance(m, list | tuple) for m in metrics)
        ):
            per_output = _per_output(metrics, output_names, "metrics")
        else:  # one list of metrics, applied to every output
            per_output = [metrics or []] * len(output_names)
        self.metrics: list[list[metrics_module.Metric]] = []
        for name, specs in zip(output_names, per_output, strict=True):
            specs = specs if isinstance(specs, list | tuple) else [] if specs is None else [specs]
            found = [metrics_module.get(spec) for spec in specs]
            if several:  # one object per output, named after it
                found = [type(m)(f"{name}_{m.name}") for m in found]
            self.metrics.append(found)

    @property
    def trackers(self) -> list[metrics_module.Metric]:
        """Every running mean and metric, in the order the logs show them."""
        return [self.loss_tracker, *self.output_trackers, *(m for ms in self.metrics for m in ms)]

    def _pairs(self, y: Any, y_pred: Any) -> list[tuple[Any, Tensor]]:
        predictions = nest.flatten(y_pred)
        if len(predictions) != len(self.output_names):
            raise ValueError(
                f"the model gave {len(predictions)} outputs but was compiled for "
                f"{len(self.output_names)} ({self.output_names})"
            )
        if len(predictions) == 1:
            return [(y, predictions[0])]
        targets = _per_output(y, self.output_names, "y")
        return list(zip(targets, predictions, strict=True))

    def loss(self, y: Any, y_pred: Any, penalty: Tensor | None) -> Tensor:
        """The weighted sum of the outputs' losses plus `penalty`; updates the trackers."""
        if y is None:
            raise ValueError(
                "the built-in train_step needs targets: call fit(x, y), or override "
                "train_step for training without targets"
            )
        total: Tensor | None = None
        pairs = self._pairs(y, y_pred)
        batch = len(pairs[0][1])
        for i, ((target, prediction), loss_fn) in enumerate(zip(pairs, self.losses, strict=True)):
            if loss_fn is None:
                continue
            value = loss_fn(target, prediction)
            if self.output_trackers:
                self.output_trackers[i].update(value.data, batch)
            term = value if self.weights[i] == 1.0 else value * self.weights[i]
            total = term if total is None else total + term
        if total is None:
            raise ValueError("compile() was given no loss for any output")
        if penalty is not None:
            total = total + penalty
        self.loss_tracker.update(total.data, batch)
        return total

    def update_metrics(self, y: Any, y_pred: Any) -> None:
        """Add the batch to every compiled metric."""
        for (target, prediction), metrics in zip(self._pairs(y, y_pred), self.metrics, strict=True):
            for metric in metrics:
                metric.update(np.asarray(target), prediction.data)
