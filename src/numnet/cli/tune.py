"""`numnet tune`: search hyperparameters with Optuna, alone or as one of many workers.

Every process started with the same --storage and --study-name works on the same study,
on one machine (the default SQLite file in --out) or on many (a PostgreSQL or MySQL
URL). Each runs its own --trials, then prints the best trial so far and writes
best.json and search.png; --retrain trains the best configuration on the whole training
set and measures it, once, on the test set.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

import numpy as np

from numnet import zoo
from numnet.cli.common import (
    DATASETS,
    CommandError,
    check_writable,
    load_split,
    positive_float,
    positive_int,
    shaped,
)
from numnet.naming import lookup
from numnet.tuning import (
    Objective,
    agree_settings,
    best_trial,
    default_space,
    default_storage_url,
    holdout_split,
    open_storage,
    open_study,
    require_optuna,
    train_config,
)
from numnet.tuning.report import plot_search, summary, write_json
from numnet.tuning.storage import masked
from numnet.tuning.study import SETTINGS_KEY, trial_score

DEFAULT_TRIALS = 20
PRUNER_HELP = "median (default): stop a trial below the median of earlier ones at its epoch"
SPACE_EXAMPLES = "learning_rate=1e-4:1e-2, layers=2, activation=relu,tanh (repeatable)"


def whole_number(text: str) -> int:
    """An argparse type: a whole number >= 0."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `tune` and its flags to `subparsers`; return its parser."""
    tune = subparsers.add_parser("tune", help="search hyperparameters with Optuna")
    _add_search_flags(tune.add_argument_group("search"))
    _add_study_flags(tune.add_argument_group("study (the same two flags on every worker)"))
    _add_data_flags(tune.add_argument_group("data and output"))
    return tune


def _add_search_flags(group: Any) -> None:
    """What this worker searches, and for how long."""
    add = group.add_argument
    add(
        "--trials", type=whole_number, help=f"trials this worker runs ({DEFAULT_TRIALS}; 0: report)"
    )
    add("--timeout", type=positive_float, help="seconds after which no new trial starts")
    add("--model", help=f"network: {', '.join(zoo.MODELS)} (mlp)")
    add("--epochs", type=positive_int, help="epochs per trial (the model's default)")
    add("--space", action="append", metavar="NAME=RANGE", help="move a range: " + SPACE_EXAMPLES)
    add("--pruner", choices=("median", "none"), default="median", help=PRUNER_HELP)
    add("--startup-trials", type=whole_number, default=5, help="trials before pruning (5)")
    add("--seed", type=int, help="seed of this worker's sampler (random)")


def _add_study_flags(group: Any) -> None:
    """Where the study lives: what makes workers share it."""
    add = group.add_argument
    add("--storage", help="SQLAlchemy URL of the study (a SQLite file in --out)")
    add("--study-name", help="study to create or join (MODEL-DATASET)")
    add("--load", action="store_true", help="join an existing study; never create one")


def _add_data_flags(group: Any) -> None:
    """The images, the held-out part, the retraining and the output folder."""
    add = group.add_argument
    add("--dataset", help="mnist or fashion_mnist (mnist)")
    add("--validation-split", type=float, help="part of the training set held out (0.1)")
    add("--train-limit", type=positive_int, help="use only the first N training images")
    add("--retrain", action="store_true", help="retrain the best on all training images")
    add("--test-limit", type=positive_int, help="--retrain: use only the first N test images")
    add("--out", default="runs/tune", help="folder of study.db, best.json, search.png")


def run(args: argparse.Namespace) -> int:
    """Join or create the study, run this worker's trials, report, and retrain if asked."""
    optuna = require_optuna()
    optuna.logging.set_verbosity(optuna.logging.WARNING)  # one line per trial is ours
    given = _given_settings(args)
    out = Path(args.out)
    check_writable(out)
    url = args.storage or default_storage_url(out)
    name = args.study_name or f"{given['model'] or 'mlp'}-{given['dataset'] or 'mnist'}"
    sampler = optuna.samplers.TPESampler(seed=args.seed)
    storage = open_storage(url)
    study = open_study(storage, name, load=args.load, sampler=sampler, pruner=_pruner(optuna, args))
    settings, entry = _agreed_settings(study, given)
    trials = args.trials if args.trials is not None or args.timeout else DEFAULT_TRIALS
    if trials != 0 or args.retrain:
        x, y = load_split(settings["dataset"], "train", settings["train_limit"])
        data = shaped(x, entry.sample_shape), y
    if trials != 0:
        _search(study, settings, data, trials, args.timeout)
    report = summary(study, masked(url), settings)
    _print_best(study, report)
    if args.retrain:
        report["retrained"] = _retrain(study, settings, data, args.test_limit, out)
    _write(study, report, out, url)
    return 0


def _given_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings the flags give (None where not given), checked before any study is
    touched, so that a typo never becomes a study's recorded settings."""
    if args.model is not None:
        lookup("model", args.model, zoo.MODELS)
    if args.dataset is not None:
        lookup("dataset", args.dataset, DATASETS)
    if args.validation_split is not None and not 0 < args.validation_split < 1:
        raise CommandError(f"--validation-split must lie in (0, 1), got {args.validation_split}")
    if args.space is not None:
        default_space(args.model or "mlp").with_overrides(args.space)
    return {
        "model": args.model and args.model.lower(),
        "dataset": args.dataset and args.dataset.lower(),
        "epochs": args.epochs,
        "validation_split": args.validation_split,
        "train_limit": args.train_limit,
        "space": args.space,
    }


def _agreed_settings(study: Any, given: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The settings every worker of `study` shares (see numnet.tuning.study), and the zoo
    entry of their model."""
    recorded_model = study.user_attrs.get(SETTINGS_KEY, {}).get("model")
    entry = lookup("model", given["model"] or recorded_model or "mlp", zoo.MODELS)
    defaults = {
        "model": "mlp",
        "dataset": "mnist",
        "epochs": entry.epochs,
        "validation_split": 0.1,
        "train_limit": None,
        "space": [],
    }
    return agree_settings(study, given, defaults), entry


def _search(
    study: Any,
    settings: dict[str, Any],
    data: tuple[np.ndarray, np.ndarray],
    trials: int | None,
    timeout: float | None,
) -> None:
    """Run this worker's trials: fit on one part of `data`, score on the held-out rest."""
    space = default_space(settings["model"]).with_overrides(settings["space"])
    train, validation = holdout_split(*data, settings["validation_split"])
    print(
        f"Study {study.study_name!r}: {settings['model']} on {settings['dataset']}, "
        f"{settings['epochs']} epochs per trial, {len(train[0])} images to fit, "
        f"{len(validation[0])} held out to score them"
    )
    objective = Objective(space, settings["model"], train, validation, settings["epochs"])
    study.optimize(objective, n_trials=trials, timeout=timeout, callbacks=[_print_trial])


def _pruner(optuna: Any, args: argparse.Namespace) -> Any:
    """Optuna's MedianPruner, or with --pruner none a pruner that never prunes."""
    if args.pruner == "none":
        return optuna.pruners.NopPruner()
    return optuna.pruners.MedianPruner(n_startup_trials=args.startup_trials)


def _params(params: dict[str, Any]) -> str:
    """A configuration in one line: ``learning_rate=0.00312 units=256 ...``."""
    return " ".join(
        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items()
    )


def _print_trial(study: Any, trial: Any) -> None:
    """One line per finished trial: its score or why it stopped, and its configuration."""
    state, score = trial.state.name, trial_score(trial)
    if state == "COMPLETE":
        outcome = f"val_accuracy {score:.4f}"
    elif "diverged" in trial.user_attrs:
        outcome = f"diverged ({trial.user_attrs['diverged']})"
    elif state == "PRUNED" and score is not None:
        outcome = f"pruned after epoch {trial.last_step + 1} (val_accuracy {score:.4f})"
    else:
        outcome = state.lower()
    print(f"Trial {trial.number}: {outcome}  {_params(trial.params)}", flush=True)


def _print_best(study: Any, report: dict[str, Any]) -> None:
    counts = ", ".join(f"{n} {state}" for state, n in report["trials"].items())
    print(
        f"Study {study.study_name!r}: {sum(report['trials'].values())} trials ({counts or 'none'})"
    )
    if report["best_trial"] is None:
        print("No trial has completed yet.")
        return
    best, score = report["best_trial"], report["best_val_accuracy"]
    print(f"Best trial {best}: val_accuracy {score:.4f}  {_params(report['best_params'])}")


def _retrain(
    study: Any,
    settings: dict[str, Any],
    data: tuple[np.ndarray, np.ndarray],
    test_limit: Any,
    out: Path,
) -> dict[str, Any]:
    """Train the best configuration on the whole training set (nothing held out), then
    measure it on the test set: the test set's one use in the search. Saves model.npz."""
    best = best_trial(study)
    if best is None:
        raise CommandError("--retrain: no trial has completed yet, so there is nothing to retrain")
    model_name, epochs = settings["model"], settings["epochs"]
    print(f"Retraining trial {best.number}'s configuration on all {len(data[0])} training images")
    model, history = train_config(model_name, best.params, data, epochs, seed=best.number)
    if not math.isfinite(history.history["loss"][-1]):
        raise CommandError("--retrain: the loss diverged on the whole training set; no model saved")
    entry = lookup("model", model_name, zoo.MODELS)
    x_test, y_test = load_split(settings["dataset"], "test", test_limit)
    test_loss, test_accuracy = model.evaluate(
        shaped(x_test, entry.sample_shape), y_test, batch_size=1000
    )
    model.save(out / "model.npz")
    print(
        f"Test accuracy: {test_accuracy:.4f} (test loss {test_loss:.4f}); saved {out / 'model.npz'}"
    )
    return {
        "trial": best.number,
        "train_samples": len(data[0]),
        "epochs": epochs,
        "test_samples": len(x_test),
        "test_accuracy": test_accuracy,
        "test_loss": test_loss,
        "model_file": "model.npz",
    }


def _write(study: Any, report: dict[str, Any], out: Path, url: str) -> None:
    """best.json and (with matplotlib) search.png; then how to watch the study live."""
    write_json(out / "best.json", report)
    written = ["best.json"]
    try:
        plot_search(
            study.get_trials(deepcopy=False), out / "search.png", f"study {study.study_name!r}"
        )
        written.append("search.png")
    except ImportError as error:
        print(f"note: {error}; skipped search.png")
    print(f"Wrote {', '.join(written)} to {out}")
    print(f"Watch the study live: optuna-dashboard {masked(url)}")
