"""One study shared by every worker: opened by name, with the settings all trials share.

Workers started with the same storage URL and study name join the same study, on one
machine or many: whichever comes first creates it, the others load it. Trials are
comparable only when every worker trains the same model on the same data for the same
number of epochs over the same search space, so the first worker records those settings
in the study, and a later worker adopts them or stops with one line where it was given
different ones.
"""

from __future__ import annotations

from typing import Any

from numnet.tuning.optional import require_optuna
from numnet.tuning.storage import masked

SETTINGS_KEY = "numnet_settings"


def open_study(
    storage: Any, name: str, *, load: bool = False, sampler: Any = None, pruner: Any = None
) -> Any:
    """The study `name` in `storage`, created (maximising) unless it exists; with `load`,
    it must exist already, else a ValueError names the studies the storage holds."""
    optuna = require_optuna()
    if load:
        names = optuna.get_all_study_names(storage)
        if name not in names:
            held = f"it holds {', '.join(sorted(names))}" if names else "it holds no study"
            where = masked(storage.url)
            raise ValueError(f"--load: no study named {name!r} in {where} ({held})")
    study = optuna.create_study(
        storage=storage, study_name=name, direction="maximize",
        sampler=sampler, pruner=pruner, load_if_exists=True,
    )  # fmt: skip
    if study.direction != optuna.study.StudyDirection.MAXIMIZE:
        raise ValueError(f"study {name!r} minimises; numnet tune maximises validation accuracy")
    return study


def agree_settings(study: Any, given: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The settings this worker runs with, recorded in the study by its first worker.

    `given` holds what this worker was told (None: not given) and `defaults` every
    setting's default. A setting the study already records is adopted when not given and
    must be equal when given (else a ValueError in one line); the others are given or
    default, and a new study records them all."""
    recorded = study.user_attrs.get(SETTINGS_KEY)
    settings: dict[str, Any] = {}
    for key, default in defaults.items():
        ours = given.get(key)
        if recorded is not None and key in recorded:
            if ours is not None and ours != recorded[key]:
                raise ValueError(
                    f"study {study.study_name!r} was started with {key} {recorded[key]!r}, "
                    f"not {ours!r}: give every worker the same flags, or a new --study-name"
                )
            settings[key] = recorded[key]
        else:
            settings[key] = default if ours is None else ours
    if recorded is None:
        study.set_user_attr(SETTINGS_KEY, settings)
    return settings


def trial_score(trial: Any) -> float | None:
    """A finished trial's validation accuracy: its value when complete, the last one it
    reported when pruned; None for the others (running, failed, or pruned at once)."""
    if trial.state.name == "COMPLETE":
        return trial.value
    if trial.state.name == "PRUNED" and trial.intermediate_values:
        return trial.intermediate_values[max(trial.intermediate_values)]
    return None


def count_states(trials: list[Any]) -> dict[str, int]:
    """How many trials are in each state, e.g. {'complete': 12, 'pruned': 7}."""
    counts: dict[str, int] = {}
    for trial in trials:
        state = trial.state.name.lower()
        counts[state] = counts.get(state, 0) + 1
    return counts


def best_trial(study: Any) -> Any:
    """The complete trial with the highest validation accuracy, or None before any."""
    complete = [t for t in study.get_trials(deepcopy=False) if t.state.name == "COMPLETE"]
    return max(complete, key=lambda t: t.value, default=None)
