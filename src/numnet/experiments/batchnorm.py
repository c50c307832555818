"""Batch normalisation, set up as "Deep Learning from Scratch" 6.3.2 (`ch06/batch_norm_test.py`):
the first 1,000 MNIST training images, five hidden layers of 100 ReLU units, SGD with rate
0.01, batches of 100, 20 epochs, every weight drawn with one std from 1 down to 1e-4 (16
scales on a log scale), and the book's BN layer: momentum 0.9 and epsilon 1e-6 (numnet's
Keras-style defaults are 0.99 and 1e-3; a Keras epsilon of 1e-3 swamps the tiny variances
of the smallest scales). Accuracy is measured as the book does: in inference mode (moving
statistics), on all 1,000 training images, after every epoch.

The book's finding: with BN the network learns from almost every initial scale and, in most
cases, faster; without it, only scales near a good initialisation (He's sqrt(2 / 100), about
0.14) learn at all. Near He's scale the plain network learns too, and there it may be ahead
after 20 epochs (the book's own script shows this on some seeds)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import numnet
from numnet import initializers, layers, optimizers, plot
from numnet.datasets import mnist
from numnet.experiments.common import Figure, Result, finish, prepare, save_figure
from numnet.models import Sequential

NAME = "batchnorm"
HE_SCALE = np.sqrt(2 / 100)  # He's std for 100 inputs, about 0.14
LEARNS = 0.4  # final accuracy that counts as learning: four times chance
BOOK_BN = {"momentum": 0.9, "epsilon": 1e-6}  # DLFS common/layers.py BatchNormalization


def network(scale: float, batch_norm: bool) -> Sequential:
    """5 hidden layers of 100 ReLU units (Affine, BN, ReLU), weights drawn with std `scale`."""
    stack: list[layers.Layer] = [layers.Input((784,))]
    for _ in range(5):
        stack.append(layers.Dense(100, kernel_initializer=initializers.RandomNormal(stddev=scale)))
        if batch_norm:
            stack.append(layers.BatchNormalization(**BOOK_BN))
        stack.append(layers.Activation("relu"))
    stack.append(
        layers.Dense(
            10, activation="softmax", kernel_initializer=initializers.RandomNormal(stddev=scale)
        )
    )
    return Sequential(stack)


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when, with BN, the network learns (accuracy >= LEARNS) at every scale, or every
    scale but one, and ends ahead of or level with the plain network at three quarters of
    them or more; and when without BN some scale learns and every scale that does lies
    within a factor 3 of He's std."""
    final = numbers["final_accuracy"]
    bn_learns = sum(by["with BN"] >= LEARNS for by in final.values())
    bn_ahead = sum(by["with BN"] >= by["without BN"] for by in final.values())
    learners = [float(s) for s, by in final.items() if by["without BN"] >= LEARNS]
    near_he = all(HE_SCALE / 3 <= s <= 3 * HE_SCALE for s in learners)
    n = len(final)
    text = (
        f"with batch normalisation the network learns from {bn_learns} of {n} initial weight "
        f"scales (1 down to 1e-4) and is ahead of the plain network at {bn_ahead}; without it "
        f"only {len(learners)}, all near He's scale (about 0.14), learn in {numbers['epochs']} "
        "epochs"
    )
    holds = bn_learns >= n - 1 and 4 * bn_ahead >= 3 * n and bool(learners) and near_he
    return text, holds


def train(x: np.ndarray, y: np.ndarray, scale: float, use_bn: bool, epochs: int, seed: int):
    """Accuracy on all of (x, y) in inference mode after each epoch, as the book measures it
    (shorter when the loss became NaN and fit stopped; [0.0] when that happened in the first
    epoch, before any accuracy was measured)."""
    numnet.random.seed(seed)
    model = network(scale, use_bn)
    model.compile(
        optimizer=optimizers.SGD(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    with warnings.catch_warnings():
        # Without BN the largest scales overflow; fit stops such a run with a NaN warning.
        warnings.simplefilter("ignore", RuntimeWarning)
        history = model.fit(
            x, y, epochs=epochs, batch_size=100, verbose=0, seed=seed, validation_data=(x, y)
        )
    return history.history.get("val_accuracy", [0.0])


def book_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The book's training set: the first n MNIST training images, scaled to [0, 1]."""
    (x, y), _ = mnist.load_data()
    return x[:n].reshape(-1, 784).astype(np.float32) / 255, y[:n].astype(np.int64)


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train with and without BN for 16 initial weight scales from 1 to 1e-4 (4 when quick)."""
    x, y = book_data(1000)
    scales = np.logspace(0, -4, 4 if quick else 16)
    epochs = 5 if quick else 20
    curves: dict[str, dict[str, list[float]]] = {}
    for scale in scales:
        curves[f"{scale:.3g}"] = {
            label: train(x, y, scale, use_bn, epochs, seed)
            for label, use_bn in (("with BN", True), ("without BN", False))
        }
    final = {s: {label: v[-1] for label, v in by.items()} for s, by in curves.items()}
    numbers = {"final_accuracy": final, "epochs": epochs, "bn_layer": BOOK_BN}
    return {"numbers": numbers, "curves": curves}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """batchnorm.png: one panel of accuracy curves per weight scale, as the book's figure."""
    plt = plot.pyplot()
    curves = measured["curves"]
    cols = 4
    rows = -(-len(curves) // cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(3.6 * cols, 2.9 * rows), sharex=True, sharey=True, squeeze=False
    )
    for ax, (scale, by_label) in zip(axes.flat, curves.items(), strict=False):
        for label, values in by_label.items():
            # A run that diverged stops early (fit ends on a NaN loss): its curve is shorter.
            style = "-" if label == "with BN" else "--"
            ax.plot(range(1, len(values) + 1), values, style, label=label)
        ax.set(title=f"initial weight std {scale}", ylim=(0, 1.02))
    for ax in axes[:, 0]:
        ax.set_ylabel("accuracy")
    for ax in axes[-1, :]:
        ax.set_xlabel("epoch")
    axes.flat[0].legend(loc="lower right")
    for ax in list(axes.flat)[len(curves) :]:
        ax.axis("off")
    fig.suptitle("Batch norm learns from almost any initial scale; without it only near He's")
    caption = (
        "The book's experiment (DLFS 6.3.2): a 5-hidden-layer ReLU network on the first 1,000 "
        "MNIST images, SGD 0.01, batch 100, BN with momentum 0.9 and epsilon 1e-6; accuracy "
        "in inference mode on those 1,000 images after each epoch, for 16 initial weight "
        "scales from 1 to 1e-4. Solid: with batch normalisation; dashed: without. A dashed "
        "curve that ends early diverged (the loss became NaN)."
    )
    return [save_figure(fig, out_dir, "batchnorm.png", caption, dpi=90)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
