"""Optimizers compared ("Deep Learning from Scratch" 6.1.7): their paths on
f(x, y) = x**2 / 20 + y**2, a valley much steeper across than along, and their training
loss on MNIST with the same network and the same number of steps."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers as opt
from numnet import plot
from numnet.experiments.common import (
    Figure,
    Result,
    dense_stack,
    finish,
    mnist_subset,
    prepare,
    save_figure,
)

NAME = "optimizers"

PATH_OPTIMIZERS = {  # learning rates of the book's figure 6-8
    "SGD": lambda: opt.SGD(0.95),
    "Momentum": lambda: opt.Momentum(0.1),
    "Nesterov": lambda: opt.SGD(0.1, momentum=0.9, nesterov=True),
    "AdaGrad": lambda: opt.Adagrad(1.5, initial_accumulator_value=0.0),
    "RMSProp": lambda: opt.RMSprop(0.15),
    "Adam": lambda: opt.Adam(0.3),
}
MNIST_OPTIMIZERS = {
    "SGD": lambda: opt.SGD(0.01),
    "Momentum": lambda: opt.Momentum(0.01),
    "Nesterov": lambda: opt.SGD(0.01, momentum=0.9, nesterov=True),
    "AdaGrad": lambda: opt.Adagrad(0.01, initial_accumulator_value=0.0),
    "RMSProp": lambda: opt.RMSprop(0.001),
    "Adam": lambda: opt.Adam(0.001),
}


def f(p: numnet.Tensor) -> numnet.Tensor:
    """x**2 / 20 + y**2."""
    return p[0] ** 2 / 20 + p[1] ** 2


def path(optimizer: opt.Optimizer, steps: int = 30) -> np.ndarray:
    """The points visited from (-7, 2)."""
    p = numnet.tensor(np.array([-7.0, 2.0]), requires_grad=True)
    points = [p.data.copy()]
    for _ in range(steps):
        p.grad = None
        f(p).backward()
        optimizer.step([p])
        points.append(p.data.copy())
    return np.array(points)


def mnist_losses(make: object, x: np.ndarray, y: np.ndarray, steps: int, seed: int) -> list[float]:
    """Training loss per step of a 5-layer, 100-unit ReLU network."""
    numnet.random.seed(seed)
    model = dense_stack([784, 100, 100, 100, 100, 10], "relu")
    model.compile(optimizer=make(), loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(seed)
    losses = []
    model.train()
    for _ in range(steps):
        index = rng.choice(len(x), 128, replace=False)
        losses.append(model.train_on_batch(x[index], y[index], return_dict=True)["loss"])
    return losses


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when every other optimizer's path travels at most a third as far across the
    valley (the sum of its steps along y; going straight down from y = 2 is 2) as SGD's."""
    travel = numbers["travel_across_valley_in_30_steps"]
    holds = all(travel[name] <= travel["SGD"] / 3 for name in travel if name != "SGD")
    text = "plain SGD zigzags across the valley; momentum and adaptive methods go straight down it"
    return text, holds


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Every optimizer's path on f, and its MNIST training loss per step."""
    paths = {name: path(make()) for name, make in PATH_OPTIMIZERS.items()}
    (x, y), _ = mnist_subset(5000 if quick else 60000, 10, seed)
    steps = 150 if quick else 2000
    losses = {
        name: mnist_losses(make, x, y, steps, seed) for name, make in MNIST_OPTIMIZERS.items()
    }
    tail = max(steps // 10, 1)
    numbers = {
        "distance_to_minimum_after_30_steps": {
            n: float(np.linalg.norm(p[-1])) for n, p in paths.items()
        },
        "final_mnist_loss": {n: float(np.mean(v[-tail:])) for n, v in losses.items()},
        "travel_across_valley_in_30_steps": {
            n: float(np.abs(np.diff(p[:, 1])).sum()) for n, p in paths.items()
        },
    }
    return {"numbers": numbers, "paths": paths, "losses": losses, "steps": steps}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """optimizers.png: the six paths on top, the MNIST loss curves below."""
    plt = plot.pyplot()
    fig = plt.figure(figsize=(16, 8.6))
    gx, gy = np.meshgrid(np.linspace(-10, 10, 200), np.linspace(-5, 5, 200))
    for index, (name, points) in enumerate(measured["paths"].items()):
        ax = fig.add_subplot(2, 6, index + 1)
        ax.contour(gx, gy, gx**2 / 20 + gy**2, levels=15, colors="grey", linewidths=0.5)
        ax.plot(points[:, 0], points[:, 1], "o-", color="red", markersize=2, label="path")
        ax.plot(0, 0, "+", color="black", label="minimum")
        ax.set(title=name, xlabel="x", ylabel="y" if index == 0 else None, xlim=(-10, 10),
               ylim=(-5, 5))  # fmt: skip
        if index == 0:  # one legend serves the six panels; below the path, it covers none
            ax.legend(loc="lower left", framealpha=0.9)
    ax = fig.add_subplot(2, 1, 2)
    window = max(measured["steps"] // 50, 1)
    for name, values in measured["losses"].items():
        smooth = np.convolve(values, np.ones(window) / window, mode="valid")
        ax.plot(smooth, label=name)
    ax.set(title="MNIST training loss (moving average), 5-layer 100-unit ReLU net", xlabel="step",
           ylabel="loss", yscale="log")  # fmt: skip
    ax.legend()
    caption = (
        "Top: 30 steps from (-7, 2) on f = x²/20 + y²; SGD zigzags across the steep "
        "direction, Momentum overshoots and rolls back, AdaGrad, RMSProp and Adam scale "
        "each axis. Bottom: training loss on MNIST with the same network and steps. "
        "The optimizers are in the book's forms: momentum v <- 0.9 v - lr dW (the book's "
        "and Keras'; the course's v <- b v + (1 - b) dW is SGD(lr, momentum=b, dampening=b)), "
        "AdaGrad's accumulator starting at 0 (the book's; Keras starts it at 0.1)."
    )
    return [save_figure(fig, out_dir, "optimizers.png", caption, dpi=90)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
