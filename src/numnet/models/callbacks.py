"""Callbacks: the only way to extend `fit` (Keras' hooks, same names).

`fit` calls, in order: on_train_begin, then per epoch on_epoch_begin, per batch
on_train_batch_begin / on_train_batch_end(batch, logs), and on_epoch_end(epoch, logs)
with the epoch's metrics (validation ones prefixed `val_`), and finally on_train_end.
A callback stops training by setting ``self.model.stop_training = True``. One that
writes files says so (``writes_files = True``): when several processes train one model
(numnet.distributed), only rank 0 runs it.
"""

from __future__ import annotations

import csv
import math
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from numnet.progbar import Progbar

if TYPE_CHECKING:
    from numnet.models.model import Model

Logs = dict[str, float]


class Callback:
    """Base class: override the hooks you need; `self.model` is set by `fit`."""

    model: Model
    writes_files = False  # True: only rank 0 of a distributed training runs it

    def set_model(self, model: Model) -> None:
        """Attach the model being trained."""
        self.model = model

    def on_train_begin(self, logs: Logs | None = None) -> None:
        """Before the first epoch."""

    def on_train_end(self, logs: Logs | None = None) -> None:
        """After the last epoch."""

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        """Before epoch `epoch` (0-based)."""

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        """After epoch `epoch`, with its metrics."""

    def on_train_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """Before a training step."""

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """After a training step, with the running metrics of the epoch."""


class CallbackList:
    """Calls the same hook on every callback."""

    def __init__(self, callbacks: Iterable[Callback], model: Model) -> None:
        self.callbacks = list(callbacks)
        for callback in self.callbacks:
            callback.set_model(model)

    def __getattr__(self, hook: str) -> Callable[..., None]:
        def call_all(*args: Any) -> None:
            for callback in self.callbacks:
                getattr(callback, hook)(*args)

        return call_all


class History(Callback):
    """Records every epoch's metrics in `history` (a dict of lists); `fit` returns it."""

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)


class ProgbarLogger(Callback):
    """Prints ``Epoch 1/4`` and a progress bar (verbose=1) or one line per epoch (verbose=2)."""

    def __init__(self, verbose: int = 1) -> None:
        self.verbose = verbose

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.epochs = self.model.fit_state["epochs"]
        self.steps = self.model.fit_state["steps"]

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)
        self.bar = Progbar(self.steps)
        self.bar.interactive = self.bar.interactive and self.verbose == 1

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self.bar.update(batch + 1, logs)

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self.bar.update(self.steps, logs, final=True)


class TerminateOnNaN(Callback):
    """Stops training, with a warning naming the epoch and batch, when the loss is NaN or
    infinite (fit always installs it)."""

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self.current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            self.model.stop_training = True
            warnings.warn(
                f"fit stopped: the loss became {loss} at epoch {self.current_epoch + 1}, "
                f"batch {batch + 1}. Try a smaller learning rate, scale the inputs to [0, 1], "
                f"or check the data for NaN values.",
                RuntimeWarning,
                stacklevel=5,  # point at the user's fit() call
            )


class EarlyStopping(Callback):
    """Stops when `monitor` has not improved by `min_delta` for `patience` epochs;
    with restore_best_weights, puts back the weights of the best epoch."""

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        mode: str = "auto",
        restore_best_weights: bool = False,
        verbose: int = 0,
    ) -> None:
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
        self.monitor, self.min_delta, self.patience = monitor, abs(min_delta), patience
        self.restore_best_weights, self.verbose = restore_best_weights, verbose
        self.mode = mode if mode != "auto" else ("max" if "acc" in monitor else "min")

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.best = math.inf if self.mode == "min" else -math.inf
        self.wait, self.best_epoch, self.stopped_epoch = 0, 0, None
        self.best_weights: list[np.ndarray] | None = None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        value = (logs or {}).get(self.monitor)
        if value is None:
            available = ", ".join(logs or {})
            raise ValueError(f"EarlyStopping monitors {self.monitor!r}, not in logs ({available})")
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait > self.patience:
            self.model.stop_training = True
            self.stopped_epoch = epoch

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self.restore_best_weights and self.best_weights is not None:
            self.model.set_weights(self.best_weights)
        if self.stopped_epoch is not None and self.verbose:
            print(
                f"Epoch {self.stopped_epoch + 1}: early stopping (best epoch {self.best_epoch + 1})"
            )


class ModelCheckpoint(Callback):
    """Saves the model after each epoch to `filepath` (which may contain ``{epoch}`` and
    metric names, e.g. ``model-{epoch:02d}-{val_loss:.3f}.npz``); with save_best_only,
    only when `monitor` improves."""

    writes_files = True

    def __init__(
        self,
        filepath: str | Path,
        monitor: str = "val_loss",
        save_best_only: bool = False,
        mode: str = "auto",
        verbose: int = 0,
    ) -> None:
        self.filepath, self.monitor, self.save_best_only = str(filepath), monitor, save_best_only
        self.mode = mode if mode != "auto" else ("max" if "acc" in monitor else "min")
        self.verbose = verbose
        self.best = math.inf if self.mode == "min" else -math.inf

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self.save_best_only:
            value = logs.get(self.monitor)
            if value is None:
                raise ValueError(f"ModelCheckpoint monitors {self.monitor!r}, not in logs")
            better = value < self.best if self.mode == "min" else value > self.best
            if not better:
                return
            self.best = value
        path = self.filepath.format(epoch=epoch + 1, **logs)
        self.model.save(path)
        if self.verbose:
            print(f"Epoch {epoch + 1}: saved model to {path}")


class CSVLogger(Callback):
    """Writes one CSV row of metrics per epoch (header: epoch, then the metric names)."""

    writes_files = True

    def __init__(self, filename: str | Path, separator: str = ",", append: bool = False) -> None:
        self.filename, self.separator, self.append = Path(filename), separator, append

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.keys: list[str] | None = None
        if self.append and self.filename.exists():
            with self.filename.open() as f:
                header = f.readline().strip()
            self.keys = header.split(self.separator)[1:] if header else None
        elif self.filename.exists():
            self.filename.unlink()

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        new_file = self.keys is None
        if self.keys is None:
            self.keys = list(logs)
        with self.filename.open("a", newline="") as f:
            writer = csv.writer(f, delimiter=self.separator)
            if new_file:
                writer.writerow(["epoch", *self.keys])
            writer.writerow([epoch, *(logs.get(k, "") for k in self.keys)])


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at each epoch to ``schedule(epoch, lr)``."""

    def __init__(self, schedule: Callable[[int, float], float], verbose: int = 0) -> None:
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        optimizer = self.model.optimizer
        lr = float(self.schedule(epoch, optimizer.current_learning_rate))
        if not lr > 0:
            raise ValueError(f"LearningRateScheduler returned a non-positive learning rate {lr}")
        optimizer.learning_rate = lr
        if self.verbose:
            print(f"Epoch {epoch + 1}: learning rate {lr:.6g}")

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if logs is not None:
            logs["learning_rate"] = self.model.optimizer.current_learning_rate
