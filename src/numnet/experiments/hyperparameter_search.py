"""Random search of hyperparameters on a log scale ("Deep Learning from Scratch" 6.5):
sample the learning rate from 10**U(-6, -1) and the weight decay from 10**U(-8, -4),
judge each on a validation split (never the test set), then evaluate the best once on
the test set."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot, regularizers
from numnet.experiments.common import (
    Figure,
    Result,
    dense_stack,
    finish,
    mnist_subset,
    prepare,
    save_figure,
)

NAME = "hyperparameter-search"


def rank_correlation(a: list[float], b: list[float]) -> float:
    """Spearman's correlation: Pearson's on the ranks (ties ranked in the order given)."""
    ranks = [np.argsort(np.argsort(v, kind="stable"), kind="stable") for v in (a, b)]
    return float(np.corrcoef(*ranks)[0, 1])


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when the good trials (validation accuracy within 10 points of the best) form
    one unbroken run when the trials are sorted by learning rate, and accuracy follows
    log learning rate more closely than log weight decay (absolute rank correlation)."""
    trials = numbers["trials"]
    best = max(t["val_accuracy"] for t in trials)
    good = [
        t["val_accuracy"] >= best - 0.1 for t in sorted(trials, key=lambda t: t["learning_rate"])
    ]
    first, last = good.index(True), len(good) - good[::-1].index(True)
    band = all(good[first:last])
    accuracy = [t["val_accuracy"] for t in trials]
    rate_effect, decay_effect = (
        abs(rank_correlation(np.log10([t[key] for t in trials]).tolist(), accuracy))
        for key in ("learning_rate", "weight_decay")
    )
    text = "good learning rates form a band on the log scale; weight decay matters less here"
    return text, band and rate_effect > decay_effect


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Try random (learning rate, weight decay) pairs and keep the best by validation
    accuracy; evaluate only that one on the test set."""
    (x, y), (xt, yt) = mnist_subset(500 if quick else 1000, 2000, seed)
    trials = 6 if quick else 50
    epochs = 10 if quick else 40
    rng = np.random.default_rng(seed)
    records, models = [], []
    for _ in range(trials):
        lr, decay = 10 ** rng.uniform(-6, -1), 10 ** rng.uniform(-8, -4)
        numnet.random.seed(seed)
        model = dense_stack(
            [784, 100, 100, 100, 10], "relu", kernel_regularizer=regularizers.l2(decay)
        )
        model.compile(
            optimizer=optimizers.SGD(lr),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        history = model.fit(
            x, y, epochs=epochs, batch_size=100, validation_split=0.2, verbose=0, seed=seed
        )
        accuracy = history.history["val_accuracy"][-1]
        records.append({"learning_rate": lr, "weight_decay": decay, "val_accuracy": accuracy})
        models.append(model)
    best = max(range(trials), key=lambda i: records[i]["val_accuracy"])
    test_accuracy = float(models[best].evaluate(xt, yt)[1])
    table = sorted(records, key=lambda r: -r["val_accuracy"])
    numbers = {"best": table[0], "best_test_accuracy": test_accuracy, "trials": table}
    return {"numbers": numbers, "records": records, "best": records[best]}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """hyperparameter_search.png: the trials on log axes, coloured by validation accuracy."""
    plt = plot.pyplot()
    trials, best = measured["records"], measured["best"]  # records: in the order tried
    test_accuracy = measured["numbers"]["best_test_accuracy"]
    fig, ax = plt.subplots(figsize=(7, 5))
    points = ax.scatter([r["learning_rate"] for r in trials], [r["weight_decay"] for r in trials],
                        c=[r["val_accuracy"] for r in trials], cmap="viridis", s=60, label="trial")  # fmt: skip
    ax.scatter(
        [best["learning_rate"]], [best["weight_decay"]], marker="*", s=300, c="red", label="best"
    )
    fig.colorbar(points, ax=ax, label="validation accuracy")
    ax.set(xscale="log", yscale="log", xlabel="learning rate", ylabel="weight decay (L2)",
           title=f"random search, {len(trials)} trials: best test accuracy {test_accuracy:.1%}")  # fmt: skip
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)  # below: no dot hidden
    caption = (
        "Each dot is one trial, coloured by validation accuracy: too small a learning rate "
        "learns nothing in the time given, and accuracy rises toward the top of the range; "
        "the star marks the best, whose test accuracy is in the title."
    )
    return [save_figure(fig, out_dir, "hyperparameter_search.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
