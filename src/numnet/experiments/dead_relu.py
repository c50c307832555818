"""Dead ReLUs: a unit whose input is negative for every sample outputs 0 and gets no
gradient. Large learning rates kill many: one big step can push a unit's bias so far down
that no input lifts it again. Leaky ReLU keeps a small slope (0.01) for negative inputs, so
an inactive unit still passes a gradient and still varies with its input.

At the largest rate a run is chaotic (whether units die or the loss diverges changes with
the seed and even with the BLAS thread count), so the full run trains three seeds and the
claim reads their medians and counts."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot
from numnet.experiments.common import (
    Figure,
    Result,
    dense_layers,
    dense_stack,
    finish,
    mnist_subset,
    prepare,
    save_figure,
)

NAME = "dead-relu"


def dead_fraction(model, x: np.ndarray) -> float:
    """Share of hidden units whose pre-activation is <= 0 for every sample of x."""
    dead, total, h = 0, 0, x
    for layer in dense_layers(model)[:-1]:
        z = h @ layer.kernel.numpy() + layer.bias.numpy()
        dead += int(np.sum(np.all(z <= 0, axis=0)))
        total += z.shape[1]
        h = layer.activation(z).numpy()
    return dead / total


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when ReLU's median dead share at the second-largest rate is at least 5 points
    above its share at every smaller rate, and at the largest rate at least two thirds of
    the ReLU runs lost 30% or more of their units or diverged."""
    rates, relu, leaky = numbers["learning_rates"], numbers["relu"], numbers["leaky_relu"]
    dead = relu["median_dead_fraction"]
    small = [d for d in dead[:-2] if d is not None]
    climbs = dead[-2] is not None and all(dead[-2] >= d + 0.05 for d in small)
    killed = sum(d is None or d >= 0.3 for d in relu["dead_fraction_by_seed"][-1])
    runs = len(relu["dead_fraction_by_seed"][-1])
    learned = {
        name: sum(a >= 0.5 for a in v["test_accuracy_by_seed"][-1])
        for name, v in (("relu", relu), ("leaky", leaky))
    }
    text = (
        f"large learning rates kill ReLU units: a median {_percent(dead[-2])} dead at rate "
        f"{rates[-2]} against at most {_percent(max(small, default=0))} at lower rates, and at "
        f"{rates[-1]} {killed} of {runs} runs lost 30% or more or diverged; leaky ReLU units go "
        f"inactive about as often ({_percent(leaky['median_dead_fraction'][-2])} at "
        f"{rates[-2]}) but keep a gradient, which at {rates[-1]} let {learned['leaky']} of "
        f"{runs} runs learn (ReLU: {learned['relu']}); the cure is a smaller rate"
    )
    return text, climbs and 3 * killed >= 2 * runs


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{100 * share:.0f}%"


def train(activation: str, lr: float, data: tuple, epochs: int, seed: int) -> tuple:
    """A 3 x 100 network trained with SGD at rate lr: (dead share or None, test accuracy,
    whether it diverged)."""
    (x, y), (xt, yt) = data
    numnet.random.seed(seed)
    model = dense_stack([784, 100, 100, 100, 10], activation)
    model.compile(
        optimizer=optimizers.SGD(lr),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    with warnings.catch_warnings():
        # A rate too large can make the loss NaN; fit stops and says so.
        warnings.simplefilter("ignore", RuntimeWarning)
        history = model.fit(x, y, epochs=epochs, batch_size=64, verbose=0, seed=seed)
    blew_up = len(history.history["loss"]) < epochs or not np.isfinite(history.history["loss"][-1])
    # A diverged network's units are not dead, they are NaN: no point to plot.
    dead = None if blew_up else dead_fraction(model, xt)
    return dead, float(model.evaluate(xt, yt)[1]), blew_up


def _median(values: list) -> float | None:
    """Median of the runs that did not diverge (None if all did)."""
    finite = [v for v in values if v is not None]
    return float(np.median(finite)) if finite else None


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train 3 x 100 ReLU and leaky-ReLU networks with SGD at several learning rates,
    three seeds each (one when quick)."""
    data = mnist_subset(2000 if quick else 20000, 1000, seed)
    rates = [0.1, 0.3, 0.6] if quick else [0.03, 0.1, 0.3, 0.6, 1.0]
    epochs = 2 if quick else 5
    seeds = [seed] if quick else [seed, seed + 1, seed + 2]
    results: dict[str, dict[str, list]] = {}
    for activation in ("relu", "leaky_relu"):
        runs = [[train(activation, lr, data, epochs, s) for s in seeds] for lr in rates]
        dead = [[run[0] for run in by_seed] for by_seed in runs]
        accuracy = [[run[1] for run in by_seed] for by_seed in runs]
        results[activation] = {
            "median_dead_fraction": [_median(d) for d in dead],
            "median_test_accuracy": [float(np.median(a)) for a in accuracy],
            "dead_fraction_by_seed": dead,
            "test_accuracy_by_seed": accuracy,
            "diverged_by_seed": [[run[2] for run in by_seed] for by_seed in runs],
        }
    return {"numbers": {"learning_rates": rates, "seeds": seeds, **results}}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """dead_relu.png: dead share and test accuracy against the learning rate."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    numbers = measured["numbers"]
    rates = numbers["learning_rates"]
    for activation in ("relu", "leaky_relu"):
        values = numbers[activation]
        shown = [np.nan if v is None else v for v in values["median_dead_fraction"]]
        axes[0].semilogx(rates, shown, "o-", label=activation)
        axes[1].semilogx(rates, values["median_test_accuracy"], "o-", label=activation)
        for rate, by_seed in zip(rates, values["test_accuracy_by_seed"], strict=True):
            axes[1].semilogx([rate] * len(by_seed), by_seed, ".", color="grey", alpha=0.6)
    axes[0].set(
        title="hidden units never active on the test set (median)",
        xlabel="learning rate (SGD)",
        ylabel="fraction dead",
    )
    axes[1].set(
        title="test accuracy (median; grey: each seed)",
        xlabel="learning rate (SGD)",
        ylabel="accuracy",
    )
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend()
    caption = (
        "Left: share of hidden units whose input is negative for every test image (for "
        "ReLU: dead, they output 0 and get no gradient), against the learning rate. "
        "Right: test accuracy. Medians over three seeds (one in a quick run). Leaky ReLU "
        "units can be inactive too, but they keep a slope of 0.01, so they still get a "
        "gradient. Runs whose loss became NaN count in neither median on the left."
    )
    return [save_figure(fig, out_dir, "dead_relu.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
