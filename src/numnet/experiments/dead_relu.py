"""Dead ReLUs: a unit whose input is negative for every sample outputs 0 and gets no
gradient, so it never recovers. Large learning rates kill many; leaky ReLU keeps a small
slope for negative inputs, so its inactive units still learn."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot
from numnet.experiments.common import Figure, Result, dense_stack, mnist_subset, prepare

DESCRIPTION = "fraction of dead ReLU units against the learning rate, and with leaky ReLU"


def dead_fraction(model, x: np.ndarray) -> float:
    """Share of hidden units whose pre-activation is <= 0 for every sample of x."""
    dead, total, h = 0, 0, x
    for layer in model.layers[1:-1]:
        z = h @ layer.kernel.numpy() + layer.bias.numpy()
        dead += int(np.sum(np.all(z <= 0, axis=0)))
        total += z.shape[1]
        h = layer.activation(z).numpy()
    return dead / total


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Train 3 x 100 ReLU and leaky-ReLU networks with SGD at several learning rates."""
    out = prepare(out_dir)
    (x, y), (xt, yt) = mnist_subset(2000 if quick else 20000, 1000, seed)
    rates = [0.1, 0.3, 0.6] if quick else [0.03, 0.1, 0.3, 0.6, 1.0]
    epochs = 2 if quick else 5
    results: dict[str, dict[str, list]] = {}
    for activation in ("relu", "leaky_relu"):
        dead, accuracy, diverged = [], [], []
        for lr in rates:
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
            blew_up = len(history.history["loss"]) < epochs or not np.isfinite(
                history.history["loss"][-1]
            )
            diverged.append(blew_up)
            # A diverged network's units are not dead, they are NaN: no point to plot.
            dead.append(None if blew_up else dead_fraction(model, xt))
            accuracy.append(float(model.evaluate(xt, yt)[1]))
        results[activation] = {
            "dead_fraction": dead,
            "test_accuracy": accuracy,
            "diverged": diverged,
        }
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    for activation, values in results.items():
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
    fig.tight_layout()
    fig.savefig(out / "dead_relu.png", dpi=100)
    plt.close(fig)
    result = Result(
        name="dead-relu",
        claim="large learning rates kill ReLU units (dead share climbs with the rate); leaky "
        "ReLU keeps learning",
        numbers={"learning_rates": rates, **results},
        figures=[
            Figure(
                "dead_relu.png",
                "Left: share of hidden units whose input is negative for every test image (for "
                "ReLU: dead, they output 0 and get no gradient), against the learning rate. "
                "Right: test accuracy. Leaky ReLU units can be inactive too, but they keep a slope of "
                "0.01, so they still get a gradient and the network still learns. A run whose loss "
                "became NaN has no point on the left.",
            )
        ],
    )
    result.save(out)
    return result
