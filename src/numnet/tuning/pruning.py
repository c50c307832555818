"""`OptunaPruning`: the `fit` callback that lets Optuna stop a hopeless trial early.

Pruning is why a search can afford many trials: after each epoch the trial reports its
score, Optuna's pruner compares it with what other trials had reached by the same epoch
(the median, with the default MedianPruner), and a trial that falls behind stops there
instead of finishing its epochs. Use it in your own objective as in Optuna's examples::

    def objective(trial):
        model = ...  # built and compiled from trial.suggest_* values
        history = model.fit(x, y, epochs=10, validation_split=0.1,
                            callbacks=[OptunaPruning(trial)])
        return history.history["val_accuracy"][-1]
"""

from __future__ import annotations

from typing import Any

from numnet.models.callbacks import Callback, Logs
from numnet.tuning.optional import require_optuna


class OptunaPruning(Callback):
    """Reports `monitor` to `trial` after every epoch (the epoch number is the step) and
    raises ``optuna.TrialPruned`` when the study's pruner says the trial should stop.

    The exception leaves `fit` at once, as Optuna's own Keras callback does; Optuna's
    `study.optimize` records the trial as pruned. A `monitor` missing from the epoch's
    logs is a ValueError naming what the logs hold (validation metrics need
    `validation_data` or `validation_split`); an epoch cut short because training
    stopped (a diverged loss) reports nothing."""

    def __init__(self, trial: Any, monitor: str = "val_accuracy") -> None:
        self.optuna = require_optuna()
        self.trial, self.monitor = trial, monitor

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            if self.model.stop_training:
                return  # the epoch was cut short: `fit` skipped its validation
            held = ", ".join(logs) or "nothing"
            raise ValueError(
                f"OptunaPruning monitors {self.monitor!r}, which the logs lack (they hold "
                f"{held}); pass validation_data or validation_split to fit"
            )
        self.trial.report(float(value), step=epoch)
        if self.trial.should_prune():
            raise self.optuna.TrialPruned(
                f"trial {self.trial.number} pruned after epoch {epoch + 1}: "
                f"{self.monitor} {value:.4f}"
            )
