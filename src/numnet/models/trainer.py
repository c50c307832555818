"""`Trainer`: compile, fit, evaluate and predict, the part of a Model that trains it.

`fit` is a loop over epochs and mini-batches that calls `train_step(data)` and hands the
logs it returns to the callbacks (History, the progress bar, early stopping, ...). The
built-in `train_step` is the textbook step: forward, loss, backward, update. Override it
(and `compile`, to take the optimizers you need) for any other kind of training, a GAN's
two phases or an agent's update, and keep the loop, the callbacks and the progress bar.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from numnet import metrics as metrics_module
from numnet import nest, optimizers, random
from numnet.autograd.mode import no_grad
from numnet.autograd.tensor import Tensor
from numnet.losses import LOSSES
from numnet.models import callbacks as callbacks_module
from numnet.models import data as data_module
from numnet.models.compiled import CompiledLoss
from numnet.progbar import Progbar


def _as_logs(logs: Any) -> dict[str, float]:
    """A step's logs as plain floats (a step may return Tensors, arrays or numbers)."""
    if not isinstance(logs, dict):
        raise TypeError(f"train_step/test_step must return a dict of logs, got {type(logs)}")
    return {name: float(np.asarray(value)) for name, value in logs.items()}


class Trainer:
    """Training methods shared by every Model (mixed into `Model`)."""

    optimizer: optimizers.Optimizer | None = None
    compiled: CompiledLoss | None = None
    loss: Any = None
    stop_training = False

    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        metrics: Any = None,
        loss_weights: Any = None,
    ) -> None:
        """Choose the optimizer, the loss(es) and the metrics of the built-in steps.

        A model that overrides `train_step` needs no loss, and its own `compile` may take
        other arguments (e.g. a GAN's two optimizers) before calling this one.
        """
        if loss is None and type(self).train_step is Trainer.train_step:
            raise ValueError(
                f"model {self.name!r}: compile() needs a loss (valid names: "
                f"{', '.join(sorted(LOSSES))}), unless the model overrides train_step"
            )
        self.optimizer = None if optimizer is None else optimizers.get(optimizer)
        self.loss = loss
        self.compile_args = {"loss": loss, "metrics": metrics, "loss_weights": loss_weights}
        self.compiled = None
        if loss is not None or metrics:
            self.compiled = CompiledLoss(loss, metrics, loss_weights, self.output_names)

    @property
    def metrics(self) -> list[metrics_module.Metric]:
        """Everything `fit` resets at each epoch: compiled trackers and the Metric objects
        assigned as attributes (as custom steps do)."""
        found = list(self.compiled.trackers) if self.compiled else []
        found += [m for m in vars(self).values() if isinstance(m, metrics_module.Metric)]
        return found

    def reset_metrics(self) -> None:
        """Forget what every metric has seen."""
        for metric in self.metrics:
            metric.reset()

    def get_metrics_result(self) -> dict[str, float]:
        """Each metric's current value by name."""
        return {metric.name: metric.result() for metric in self.metrics}

    # --- the steps ------------------------------------------------------------------------
    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None) -> Tensor:
        """The compiled loss of the batch plus the weight penalties (Keras' `loss`)."""
        if self.compiled is None:
            raise RuntimeError(f"model {self.name!r}: call compile(optimizer, loss) first")
        return self.compiled.loss(y, y_pred, self.regularization_loss())

    def compute_metrics(self, x: Any, y: Any, y_pred: Any) -> dict[str, float]:
        """Update the compiled metrics with the batch; return every metric's value."""
        if self.compiled is not None:
            self.compiled.update_metrics(y, y_pred)
        return self.get_metrics_result()

    def train_step(self, data: Any) -> dict[str, float]:
        """One mini-batch: forward, loss, backward, update. Returns the running logs."""
        x, y = data_module.unpack(data)
        y_pred = self(x, training=True)
        loss = self.compute_loss(x, y, y_pred)
        params = self.trainable_weights
        self.optimizer.zero_grad(params)
        loss.backward()
        self.optimizer.step(params)
        return self.compute_metrics(x, y, y_pred)

    def test_step(self, data: Any) -> dict[str, float]:
        """One mini-batch of evaluation: forward and loss, no update."""
        x, y = data_module.unpack(data)
        y_pred = self(x, training=False)
        self.compute_loss(x, y, y_pred)
        return self.compute_metrics(x, y, y_pred)

    def predict_step(self, data: Any) -> Any:
        """The outputs for one batch of inputs."""
        x, _ = data_module.unpack(data)
        return self(x, training=False)

    # --- the loops ------------------------------------------------------------------------
    def _batches(
        self,
        x: Any,
        y: Any,
        batch_size: int,
        shuffle: bool = False,
        rng: Any = None,
        check: bool = False,
    ) -> Any:
        """Mini-batches of arrays (with `check`, refused when empty or not finite), or `x`
        itself when it already yields batches."""
        if data_module.is_batch_source(x):
            if y is not None:
                raise ValueError("y must be None when x already yields (x, y) batches")
            return x
        x, y = self.prepare_inputs(x), data_module.to_arrays(y, "y")
        if check:
            data_module.check_samples(x, y)
        return data_module.Batches(x, y, batch_size, shuffle, rng)

    def _validation_pair(self, validation_data: Any) -> tuple[Any, Any]:
        """validation_data as (x_val, y_val), checked once before the first epoch."""
        x_val, y_val = _pair(validation_data)
        if not data_module.is_batch_source(x_val):
            x_val, y_val = self.prepare_inputs(x_val), data_module.to_arrays(y_val, "y")
            data_module.check_samples(x_val, y_val, "validation_data")
        return x_val, y_val

    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int = 32,
        epochs: int = 1,
        verbose: int = 1,
        callbacks: Iterable[callbacks_module.Callback] | None = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        initial_epoch: int = 0,
        seed: int | None = None,
    ) -> callbacks_module.History:
        """Train for `epochs` passes over the data; returns a History of the epochs' logs.

        Under a `numnet.distributed.DistributedOptimizer` each process trains on its share
        of every batch (`batch_size` is then the batch of all processes together)."""
        if self.optimizer is None and type(self).train_step is Trainer.train_step:
            raise RuntimeError(f"model {self.name!r}: call compile(optimizer, loss) before fit")
        data_module.check_epochs(epochs, initial_epoch)
        if validation_split and validation_data is None and not data_module.is_batch_source(x):
            x, y, validation_data = data_module.split_validation(
                data_module.to_arrays(x, "x"), data_module.to_arrays(y, "y"), validation_split
            )
        if validation_data is not None:
            validation_data = self._validation_pair(validation_data)
        rng = np.random.default_rng(seed) if seed is not None else random.default_rng()
        batches = self._batches(x, y, batch_size, shuffle, rng, check=True)
        steps = len(batches) if hasattr(batches, "__len__") else None
        if hasattr(self.optimizer, "distribute"):  # numnet.distributed's: shares batches out
            batches, callbacks, verbose = self.optimizer.distribute(batches, callbacks, verbose)
        history = callbacks_module.History()
        progress = [callbacks_module.ProgbarLogger(verbose)] if verbose else []
        hooks = callbacks_module.CallbackList(
            [callbacks_module.TerminateOnNaN(), *(callbacks or []), *progress, history], self
        )
        self.fit_state = {"epochs": epochs, "steps": steps, "batch_size": batch_size}
        self.stop_training = False
        hooks.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            logs = self._train_epoch(batches, epoch, hooks)
            if validation_data is not None and not self.stop_training:
                scores = self.evaluate(
                    *_pair(validation_data), batch_size=batch_size, verbose=0, return_dict=True
                )
                logs.update({f"val_{name}": value for name, value in scores.items()})
            hooks.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        self.eval()
        hooks.on_train_end()
        return history

    def _train_epoch(self, batches: Iterable[Any], epoch: int, hooks: Any) -> dict[str, float]:
        self.train()
        self.reset_metrics()
        hooks.on_epoch_begin(epoch)
        logs: dict[str, float] = {}
        for step, data in enumerate(batches):
            hooks.on_train_batch_begin(step)
            logs = _as_logs(self.train_step(data))
            hooks.on_train_batch_end(step, logs)
            if self.stop_training:
                break
        return dict(logs)

    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int = 32,
        verbose: int = 0,
        return_dict: bool = False,
    ) -> float | list[float] | dict[str, float]:
        """The logs of `test_step` over the data in inference mode: a float when there is
        one (the loss), else a list in log order (`[loss, *metrics]`), or the dict."""
        batches = self._batches(x, y, batch_size, check=True)
        bar = Progbar(len(batches)) if verbose and hasattr(batches, "__len__") else None
        logs: dict[str, float] = {}
        self.reset_metrics()
        with self.mode(False), no_grad():
            for step, data in enumerate(batches, 1):
                logs = _as_logs(self.test_step(data))
                if bar:
                    bar.update(step)
        if bar:
            bar.update(len(batches), logs, final=True)
        return _result(logs, return_dict)

    def predict(self, x: Any, batch_size: int = 32, verbose: int = 0) -> Any:
        """Outputs for x in inference mode, batch by batch without a graph (arrays, or a
        list of arrays for a model with several outputs)."""
        outputs: list[Any] = []
        with self.mode(False), no_grad():
            for data in self._batches(x, None, batch_size):
                outputs.append(nest.map_structure(np.asarray, self.predict_step(data)))
        if not outputs:
            return np.empty((0,))
        columns = [np.concatenate(parts) for parts in zip(*map(nest.flatten, outputs), strict=True)]
        return nest.pack_like(outputs[0], columns)

    def train_on_batch(self, x: Any, y: Any = None, return_dict: bool = False) -> Any:
        """One `train_step` on one batch; returns that batch's logs (metrics start afresh,
        so the loss is this batch's): a float when the logs hold only the loss."""
        self.reset_metrics()
        data = self.prepare_inputs(x) if y is None else (self.prepare_inputs(x), y)
        return _result(_as_logs(self.train_step(data)), return_dict)

    def test_on_batch(self, x: Any, y: Any = None, return_dict: bool = False) -> Any:
        """One `test_step` on one batch in inference mode, without a graph."""
        self.reset_metrics()
        data = self.prepare_inputs(x) if y is None else (self.prepare_inputs(x), y)
        with self.mode(False), no_grad():
            return _result(_as_logs(self.test_step(data)), return_dict)


def _result(logs: dict[str, float], return_dict: bool) -> Any:
    """Logs as Keras returns them: the dict, one float, or a list in log order."""
    if return_dict:
        return logs
    return next(iter(logs.values())) if len(logs) == 1 else list(logs.values())


def _pair(validation_data: Any) -> tuple[Any, Any]:
    """validation_data as (x, y): Keras takes (x_val, y_val)."""
    if isinstance(validation_data, tuple | list) and len(validation_data) == 2:
        return validation_data[0], validation_data[1]
    raise ValueError("validation_data must be a pair (x_val, y_val)")
