"""Batch normalisation ("Deep Learning from Scratch" 6.3.2): with BN a deep network learns
from almost any initial weight scale; without it, only scales near He's sqrt(2 / fan_in)
learn, and training stalls when the initial weights are too small or too large."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import numnet
from numnet import initializers, layers, optimizers, plot
from numnet.experiments.common import Figure, Result, finish, mnist_subset, prepare, save_figure
from numnet.models import Sequential

NAME = "batchnorm"
HE_SCALE = np.sqrt(2 / 100)  # He's std for 100 inputs, about 0.14
LEARNS = 0.3  # final training accuracy that counts as learning: three times chance


def network(scale: float, batch_norm: bool) -> Sequential:
    """5 hidden layers of 100 ReLU units, weights drawn with std `scale`."""
    stack: list[layers.Layer] = [layers.Input((784,))]
    for _ in range(5):
        stack.append(layers.Dense(100, kernel_initializer=initializers.RandomNormal(stddev=scale)))
        if batch_norm:
            stack.append(layers.BatchNormalization(momentum=0.9))
        stack.append(layers.Activation("relu"))
    stack.append(
        layers.Dense(
            10, activation="softmax", kernel_initializer=initializers.RandomNormal(stddev=scale)
        )
    )
    return Sequential(stack)


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when, with BN, every scale but possibly the smallest reaches LEARNS training
    accuracy, and without BN some scale does and all that do lie within a factor 3 of
    He's std."""
    final = numbers["final_training_accuracy"]
    scales = sorted(final, key=float)  # smallest first
    with_bn = all(final[s]["with BN"] >= LEARNS for s in scales[1:])
    learners = [float(s) for s in scales if final[s]["without BN"] >= LEARNS]
    near_he = all(HE_SCALE / 3 <= s <= 3 * HE_SCALE for s in learners)
    text = (
        "with batch normalisation the network learns from every initial weight scale "
        "but the tiniest; without it, only scales near He's (about 0.14) learn"
    )
    return text, with_bn and bool(learners) and near_he


def train(x: np.ndarray, y: np.ndarray, scale: float, use_bn: bool, epochs: int, seed: int):
    """Training accuracy per epoch (shorter when the loss became NaN and fit stopped)."""
    numnet.random.seed(seed)
    model = network(scale, use_bn)
    model.compile(
        optimizer=optimizers.SGD(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    with warnings.catch_warnings():
        # Without BN the largest scale diverges; fit stops it with a NaN warning.
        warnings.simplefilter("ignore", RuntimeWarning)
        history = model.fit(x, y, epochs=epochs, batch_size=100, verbose=0, seed=seed)
    return history.history.get("accuracy", [0.0])


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train with and without BN for several initial weight scales."""
    (x, y), _ = mnist_subset(1000, 10, seed)
    scales = [1.0, 0.1, 0.01] if quick else list(np.logspace(0, -3, 8))
    epochs = 6 if quick else 20
    curves: dict[str, dict[str, list[float]]] = {}
    for scale in scales:
        curves[f"{scale:.3g}"] = {
            label: train(x, y, scale, use_bn, epochs, seed)
            for label, use_bn in (("with BN", True), ("without BN", False))
        }
    final = {s: {label: v[-1] for label, v in by.items()} for s, by in curves.items()}
    return {"numbers": {"final_training_accuracy": final}, "curves": curves}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """batchnorm.png: one panel of training curves per weight scale."""
    plt = plot.pyplot()
    curves = measured["curves"]
    cols = 4
    rows = -(-len(curves) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.4 * rows), squeeze=False)
    for ax, (scale, by_label) in zip(axes.flat, curves.items(), strict=False):
        for label, values in by_label.items():
            # A run that diverged stops early (fit ends on a NaN loss): its curve is shorter.
            ax.plot(
                range(1, len(values) + 1), values, "-" if label == "with BN" else "--", label=label
            )
        ax.set(
            title=f"initial weight std {scale}",
            xlabel="epoch",
            ylabel="training accuracy",
            ylim=(0, 1),
        )
        ax.legend(fontsize=8)
    for ax in list(axes.flat)[len(curves) :]:
        ax.axis("off")
    caption = (
        "Training accuracy per epoch of a 5-hidden-layer ReLU network (1,000 MNIST images, "
        "SGD 0.01) for several initial weight scales: solid with batch normalisation, "
        "dashed without. A dashed curve that ends early diverged (the loss became NaN)."
    )
    return [save_figure(fig, out_dir, "batchnorm.png", caption, dpi=90)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
