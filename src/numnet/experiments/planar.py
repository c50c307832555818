"""The course's week 3: the flower set, logistic regression against a small tanh network.

Logistic regression can only draw a straight line and scores about 47%; a hidden layer of
4 tanh units bends the boundary around the petals (about 90%). Sweeping the hidden size
shows too few units underfit and many units start to fit the noise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot
from numnet.datasets import make_planar
from numnet.experiments.common import (
    Figure,
    Result,
    decision_regions,
    dense_stack,
    finish,
    prepare,
    region_grid,
    save_figure,
)

NAME = "planar"


def train(hidden: int | None, x: np.ndarray, y: np.ndarray, steps: int, seed: int):
    """Full-batch gradient descent, learning rate 1.2, as in the course's notebook."""
    numnet.random.seed(seed)
    sizes = [2, 1] if hidden is None else [2, hidden, 1]
    model = dense_stack(sizes, "tanh", "random_normal", final="sigmoid")
    model.compile(optimizer=optimizers.SGD(1.2), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=steps, batch_size=len(x), shuffle=False, verbose=0)
    return model, float(model.evaluate(x, y)[1])


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when logistic regression stays under 60% (chance is 50%) and 4 hidden tanh
    units pass 85%."""
    logistic, four = numbers["logistic_regression_accuracy"], numbers["hidden_size_accuracy"]["4"]
    text = (
        f"logistic regression fails on the flower ({logistic:.0%}); 4 hidden tanh "
        f"units fit it ({four:.0%}; the course reports 47% and 90%)"
    )
    return text, logistic < 0.6 and four > 0.85


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Fit logistic regression and tanh networks of several hidden sizes; their regions."""
    x, y = make_planar(400, seed=seed)
    steps = 1500 if quick else 10000
    sizes = [1, 2, 4, 20] if quick else [1, 2, 3, 4, 5, 20, 50]
    logistic, logistic_accuracy = train(None, x, y, steps, seed)
    models = {h: train(h, x, y, steps, seed) for h in sizes}
    regions = {"logistic": region_grid(lambda g: logistic.predict(g)[:, 0] > 0.5, x)}
    for hidden, (model, _) in models.items():
        regions[hidden] = region_grid(lambda g, m=model: m.predict(g)[:, 0] > 0.5, x)
    numbers = {
        "logistic_regression_accuracy": logistic_accuracy,
        "hidden_size_accuracy": {str(h): models[h][1] for h in sizes},
    }
    return {"numbers": numbers, "data": (x, y), "sizes": sizes, "regions": regions}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """planar.png: one panel of decision regions per model, then accuracy against size."""
    plt = plot.pyplot()
    x, y = measured["data"]
    sizes, regions = measured["sizes"], measured["regions"]
    logistic_accuracy = measured["numbers"]["logistic_regression_accuracy"]
    accuracy = [measured["numbers"]["hidden_size_accuracy"][str(h)] for h in sizes]
    panels = 2 + len(sizes)
    cols = 3
    rows = -(-panels // cols)
    fig, grid = plt.subplots(rows, cols, figsize=(4.2 * cols, 4 * rows), squeeze=False)
    axes = list(grid.flat)
    for ax in axes[panels:]:
        ax.axis("off")
    axes = axes[:panels]
    decision_regions(
        axes[0], regions["logistic"], x, y, f"logistic regression: {logistic_accuracy:.0%}"
    )
    for ax, hidden, score in zip(axes[1:], sizes, accuracy, strict=False):
        title = f"{hidden} tanh unit{'s' if hidden > 1 else ''}: {score:.0%}"
        decision_regions(ax, regions[hidden], x, y, title, legend=False)
    axes[-1].plot(sizes, accuracy, "o-", label="tanh network")
    axes[-1].axhline(logistic_accuracy, color="grey", linestyle="--", label="logistic regression")
    axes[-1].set(
        title="accuracy against hidden size",
        xlabel="hidden units",
        ylabel="training accuracy",
        xscale="log",
    )
    axes[-1].legend()
    caption = (
        "Decision boundaries on the flower set: a straight line for logistic regression, "
        "curves for tanh networks of growing size; last panel, training accuracy against "
        "the number of hidden units."
    )
    return [save_figure(fig, out_dir, "planar.png", caption, dpi=90)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
