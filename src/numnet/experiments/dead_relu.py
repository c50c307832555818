"""Dead ReLUs: a unit whose input is negative for every sample outputs 0 and gets no
gradient, so it never recovers. Large learning rates kill many; leaky ReLU keeps a small
slope for negative inputs, so its inactive units still learn."""

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
    """Holds when ReLU's dead share at the largest rate that did not diverge is at least 10
    points above its share at the smallest rate, and at the largest rate leaky ReLU's test
    accuracy beats ReLU's by at least 10 points."""
    relu, leaky = numbers["relu"], numbers["leaky_relu"]
    dead = [d for d in relu["dead_fraction"] if d is not None]
    holds = (
        len(dead) >= 2
        and dead[-1] > dead[0] + 0.1
        and leaky["test_accuracy"][-1] > relu["test_accuracy"][-1] + 0.1
    )
    text = (
        "large learning rates kill ReLU units (dead share climbs with the rate); leaky "
        "ReLU keeps learning"
    )
    return text, holds


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


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train 3 x 100 ReLU and leaky-ReLU networks with SGD at several learning rates."""
    data = mnist_subset(2000 if quick else 20000, 1000, seed)
    rates = [0.1, 0.3, 0.6] if quick else [0.03, 0.1, 0.3, 0.6, 1.0]
    epochs = 2 if quick else 5
    results: dict[str, dict[str, list]] = {}
    for activation in ("relu", "leaky_relu"):
        runs = [train(activation, lr, data, epochs, seed) for lr in rates]
        dead, accuracy, diverged = (list(column) for column in zip(*runs, strict=True))
        results[activation] = {
            "dead_fraction": dead,
            "test_accuracy": accuracy,
            "diverged": diverged,
        }
    return {"numbers": {"learning_rates": rates, **results}}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """dead_relu.png: dead share and test accuracy against the learning rate."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    numbers = measured["numbers"]
    rates = numbers["learning_rates"]
    for activation in ("relu", "leaky_relu"):
        values = numbers[activation]
        shown = [np.nan if v is None else v for v in values["dead_fraction"]]
        axes[0].semilogx(rates, shown, "o-", label=activation)
        axes[1].semilogx(rates, values["test_accuracy"], "o-", label=activation)
    axes[0].set(
        title="hidden units never active on the test set",
        xlabel="learning rate (SGD)",
        ylabel="fraction dead",
    )
    axes[1].set(title="test accuracy", xlabel="learning rate (SGD)", ylabel="accuracy")
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend()
    caption = (
        "Left: share of hidden units whose input is negative for every test image (for "
        "ReLU: dead, they output 0 and get no gradient), against the learning rate. "
        "Right: test accuracy. Leaky ReLU units can be inactive too, but they keep a slope of "
        "0.01, so they still get a gradient and the network still learns. A run whose loss "
        "became NaN has no point on the left."
    )
    return [save_figure(fig, out_dir, "dead_relu.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
