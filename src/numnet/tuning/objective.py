"""What a trial maximises: validation accuracy on images held out of the training set.

The test set plays no part in the search. Choosing among many configurations by their
test score would fit the choice to the test set and make that score an optimistic
estimate; the notes' train/dev/test split exists to prevent exactly this. So a fixed part
of the training set, the same for every trial and every worker, is held out as the dev
set, and the test set is touched once, by the retrained winner (`numnet tune --retrain`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

import numnet
from numnet.models import Model
from numnet.models.callbacks import Callback, History
from numnet.tuning.models import build_model
from numnet.tuning.optional import require_optuna
from numnet.tuning.pruning import OptunaPruning
from numnet.tuning.space import SearchSpace

Arrays = tuple[np.ndarray, np.ndarray]


def holdout_split(
    x: np.ndarray, y: np.ndarray, fraction: float, seed: int = 0
) -> tuple[Arrays, Arrays]:
    """((x_fit, y_fit), (x_val, y_val)): a shuffled `fraction` of the samples held out.

    The shuffle comes from its own generator seeded with `seed`, so every worker of a
    study, on any machine, holds out the same images and scores trials alike."""
    if not 0 < fraction < 1:
        raise ValueError(f"the held-out fraction must lie in (0, 1), got {fraction}")
    held = round(len(x) * fraction)
    if held < 1 or held >= len(x):
        raise ValueError(
            f"holding out {fraction:g} of {len(x)} samples leaves an empty part: "
            f"use more samples or another fraction"
        )
    order = np.random.default_rng(seed).permutation(len(x))
    fit, val = order[held:], order[:held]
    return (x[fit], y[fit]), (x[val], y[val])


def train_config(
    model: str,
    config: dict[str, Any],
    train: Arrays,
    epochs: int,
    seed: int,
    validation: Arrays | None = None,
    callbacks: Sequence[Callback] = (),
) -> tuple[Model, History]:
    """Build the network `config` describes for zoo model `model` and fit it on `train`;
    weights and shuffles come from `seed`. Returns (model, history)."""
    numnet.random.seed(seed)  # the weights' initial values
    network = build_model(model, config, len(train[0]))
    history = network.fit(
        *train, batch_size=config["batch_size"], epochs=epochs, verbose=0,
        validation_data=validation, callbacks=list(callbacks), seed=seed,
    )  # fmt: skip
    return network, history


class Objective:
    """The function Optuna maximises: a trial's configuration trained for `epochs` on
    `train`, scored by its accuracy on `validation` after the last epoch.

    Each epoch's validation accuracy is reported to the trial, whose pruner may stop it
    (`OptunaPruning`). A trial whose loss diverges (NaN or infinite) is pruned too, with
    the reason in its user attribute ``diverged``: it says something about its region of
    the space, which a failed trial would not tell the sampler. Trial n trains with seed
    ``seed + n``, so any trial can be rerun alike."""

    def __init__(
        self,
        space: SearchSpace,
        model: str,
        train: Arrays,
        validation: Arrays,
        epochs: int,
        seed: int = 0,
    ) -> None:
        self.space, self.model, self.epochs, self.seed = space, model, epochs, seed
        self.train, self.validation = train, validation

    def __call__(self, trial: Any) -> float:
        config = self.space.suggest(trial)
        _, history = train_config(
            self.model, config, self.train, self.epochs, self.seed + trial.number,
            validation=self.validation, callbacks=[OptunaPruning(trial, "val_accuracy")],
        )  # fmt: skip
        losses = history.history.get("loss", [])
        if not losses or not math.isfinite(losses[-1]):
            reason = f"the loss became {losses[-1] if losses else 'undefined'}"
            trial.set_user_attr("diverged", reason)
            raise require_optuna().TrialPruned(f"trial {trial.number} diverged: {reason}")
        return float(history.history["val_accuracy"][-1])
