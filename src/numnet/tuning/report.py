"""What a search leaves behind: ``best.json`` and a picture of the search.

Several workers of one study may finish at the same moment and write the same files, so
each file is written beside its target and renamed over it: a reader sees one whole
version, never a mix.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from numnet.plot import pyplot
from numnet.tuning.study import best_trial, count_states, trial_score


def summary(study: Any, storage_url: str, settings: dict[str, Any]) -> dict[str, Any]:
    """The content of best.json: where the study is, its settings, how many trials ended
    how, and the best trial's number, validation accuracy and configuration (None
    before a trial has completed)."""
    best = best_trial(study)
    return {
        "study_name": study.study_name,
        "storage": storage_url,
        "objective": "validation accuracy on a held-out part of the training set (maximised)",
        "settings": settings,
        "trials": count_states(study.get_trials(deepcopy=False)),
        "best_trial": None if best is None else best.number,
        "best_val_accuracy": None if best is None else best.value,
        "best_params": None if best is None else best.params,
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write `data` to `path` as indented JSON, atomically."""
    _replace(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, allow_nan=False)))


def plot_search(trials: list[Any], path: Path, title: str = "") -> Path:
    """Validation accuracy against the learning rate (log scale) and against the trial
    number, complete trials as dots, pruned ones as crosses at the last accuracy they
    reported; the second panel also draws the best accuracy so far."""
    plt = pyplot()
    fig, (by_rate, by_number) = plt.subplots(1, 2, figsize=(11, 4.2))
    kinds = (("COMPLETE", "o", "complete"), ("PRUNED", "x", "pruned (last score)"))
    plotted_rates: list[float] = []
    for state, marker, label in kinds:
        points = [(t, trial_score(t)) for t in trials if t.state.name == state]
        points = [(t, score) for t, score in points if score is not None]
        scores = [score for _, score in points]
        rates = [t.params.get("learning_rate", np.nan) for t, _ in points]
        by_rate.scatter(rates, scores, marker=marker, label=label, alpha=0.8)
        plotted_rates += rates
        by_number.scatter([t.number for t, _ in points], scores, marker=marker, label=label)
    complete = sorted((t for t in trials if t.state.name == "COMPLETE"), key=lambda t: t.number)
    if complete:
        best_so_far = np.maximum.accumulate([t.value for t in complete])
        numbers = [t.number for t in complete]
        by_number.step(numbers, best_so_far, where="post", color="k", label="best so far")
    if any(rate > 0 for rate in plotted_rates):  # matplotlib cannot log-scale an empty axis
        by_rate.set_xscale("log")
    by_rate.set_xlabel("learning rate")
    by_number.set_xlabel("trial number")
    by_number.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    for ax in (by_rate, by_number):
        ax.set_ylabel("validation accuracy")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title or "hyperparameter search")
    fig.tight_layout()
    _replace(path, lambda tmp: fig.savefig(tmp, dpi=100, format="png"))
    plt.close(fig)
    return path


def _replace(path: Path, write: Any) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it over `path`."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
