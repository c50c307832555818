"""Vanishing gradients: each sigmoid layer multiplies the gradient by at most 1/4.

In a 10-layer sigmoid network the first layers' gradients are orders of magnitude
smaller than the last's, so the first layers barely learn; tanh suffers less, ReLU hardly.
"""

from __future__ import annotations

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

NAME = "vanishing-gradients"

ACTIVATIONS = {"sigmoid": "glorot_uniform", "tanh": "glorot_uniform", "relu": "he_normal"}


def gradient_norms(model, x: np.ndarray, y: np.ndarray) -> list[float]:
    """The norm of d loss / d kernel for every Dense layer, first to last."""
    model.train()
    loss = model.compute_loss(y=y, y_pred=model(x))
    for p in model.parameters():
        p.grad = None
    loss.backward()
    return [float(np.linalg.norm(layer.kernel.grad)) for layer in dense_layers(model)]


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when, at initialisation, the sigmoid net's last layer's gradient norm is at
    least 100 times its first layer's."""
    ratio = numbers["last_over_first_layer_gradient_at_init"]["sigmoid"]
    text = "a 10-layer sigmoid net's first layer gets a gradient >= 100x smaller than its last"
    return text, ratio >= 100


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Per-layer gradient norms at initialisation and after some training."""
    (x, y), _ = mnist_subset(1000 if quick else 5000, 10, seed)
    norms: dict[str, dict[str, list[float]]] = {}
    for activation, initializer in ACTIVATIONS.items():
        numnet.random.seed(seed)
        model = dense_stack([784, *[64] * 9, 10], activation, initializer)
        model.compile(optimizer=optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
        before = gradient_norms(model, x[:500], y[:500])
        model.fit(x, y, epochs=1 if quick else 3, batch_size=64, verbose=0)
        norms[activation] = {"initial": before, "trained": gradient_norms(model, x[:500], y[:500])}
    ratios = {a: n["initial"][-1] / n["initial"][0] for a, n in norms.items()}
    return {"numbers": {"last_over_first_layer_gradient_at_init": ratios, "norms": norms}}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """vanishing_gradients.png: norm per layer, at initialisation and after training."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
    for ax, stage in zip(axes, ("initial", "trained"), strict=True):
        for activation, by_stage in measured["numbers"]["norms"].items():
            ax.semilogy(range(1, 11), by_stage[stage], "o-", label=activation)
        ax.set(
            title=f"gradient norm per layer ({stage})",
            xlabel="layer (1 = next to the input)",
            ylabel="||dL/dW||",
        )
        ax.grid(alpha=0.3, which="both")
        ax.legend()
    caption = (
        "Gradient norm of each layer's weights (log scale) at initialisation and after "
        "training: with sigmoid it falls by orders of magnitude toward the input; ReLU "
        "with He initialisation keeps it level."
    )
    return [save_figure(fig, out_dir, "vanishing_gradients.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
