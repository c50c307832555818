"""OptunaPruning reports every epoch and prunes what the pruner calls hopeless."""

from __future__ import annotations

import numpy as np
import optuna
import pytest

from numnet.tuning import Objective, OptunaPruning, default_space, holdout_split, train_config

# Everything fixed but the learning rate and the optimizer, which the tests enqueue.
FIXED = [
    "learning_rate=1e-7:1e-1", "optimizer=sgd,adam", "layers=1", "units=32",
    "activation=relu", "dropout=0", "weight_decay=1e-6", "batch_size=32",
]  # fmt: skip
GOOD = {"learning_rate": 1e-2, "optimizer": "adam"}
HOPELESS = {"learning_rate": 1e-7, "optimizer": "sgd"}  # barely moves from chance


@pytest.fixture
def objective(mnist_small) -> Objective:
    train, validation = holdout_split(*mnist_small, 0.25)
    return Objective(default_space().with_overrides(FIXED), "mlp", train, validation, epochs=3)


def quiet_study(pruner: optuna.pruners.BasePruner) -> optuna.Study:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna.create_study(direction="maximize", pruner=pruner)


def test_a_hopeless_trial_is_pruned_after_its_first_epoch(objective):
    study = quiet_study(optuna.pruners.MedianPruner(n_startup_trials=1))
    study.enqueue_trial(GOOD)
    study.enqueue_trial(HOPELESS)
    study.optimize(objective, n_trials=2)
    good, hopeless = study.trials
    assert good.state == optuna.trial.TrialState.COMPLETE
    assert sorted(good.intermediate_values) == [0, 1, 2]  # one report per epoch
    assert good.value == good.intermediate_values[2] > 0.5
    assert hopeless.state == optuna.trial.TrialState.PRUNED
    assert list(hopeless.intermediate_values) == [0]  # stopped after epoch 1 of 3
    assert hopeless.intermediate_values[0] < good.intermediate_values[0]


def test_without_a_pruner_the_hopeless_trial_runs_all_its_epochs(objective):
    study = quiet_study(optuna.pruners.NopPruner())
    study.enqueue_trial(GOOD)
    study.enqueue_trial(HOPELESS)
    study.optimize(objective, n_trials=2)
    assert [t.state.name for t in study.trials] == ["COMPLETE", "COMPLETE"]
    assert len(study.trials[1].intermediate_values) == 3


def test_a_diverging_trial_is_pruned_with_its_reason(mnist_small):
    train, validation = holdout_split(*mnist_small, 0.25)
    space = default_space().with_overrides([*FIXED, "learning_rate=1e6", "optimizer=sgd"])
    study = quiet_study(optuna.pruners.NopPruner())
    warned = pytest.warns(RuntimeWarning, match=r"fit stopped: the loss became (nan|inf)")
    with warned, np.errstate(over="ignore", invalid="ignore"):  # the divergence itself
        study.optimize(Objective(space, "mlp", train, validation, epochs=2), n_trials=1)
    trial = study.trials[0]
    assert trial.state == optuna.trial.TrialState.PRUNED
    assert trial.user_attrs["diverged"] in ("the loss became nan", "the loss became inf")


def test_the_callback_needs_the_metric_it_monitors(mnist_small):
    trial = quiet_study(optuna.pruners.MedianPruner()).ask()
    config = {**GOOD, "layers": 1, "units": 8, "activation": "relu", "dropout": 0.0,
              "weight_decay": 1e-6, "batch_size": 64}  # fmt: skip
    with pytest.raises(ValueError, match="monitors 'val_accuracy', which the logs lack"):
        train_config("mlp", config, mnist_small, 1, seed=0, callbacks=[OptunaPruning(trial)])
