"""Activation histograms of a 5-layer, 100-unit network for four weight scales
("Deep Learning from Scratch" 6.2.2).

std 1: sigmoid outputs pile up at 0 and 1 (saturation: gradients vanish). std 0.01: they
collapse onto 0.5 (every unit says the same thing). Xavier (std 1/sqrt(n)) keeps them
spread for sigmoid and tanh; He (std sqrt(2/n)) does the same for ReLU.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numnet import functional as F
from numnet import plot
from numnet.experiments.common import Figure, Result, finish, prepare, save_figure

NAME = "init-histograms"

SETTINGS = {
    "std 1, sigmoid": (lambda n: 1.0, F.sigmoid),
    "std 0.01, sigmoid": (lambda n: 0.01, F.sigmoid),
    "Xavier, sigmoid": (lambda n: 1 / np.sqrt(n), F.sigmoid),
    "Xavier, tanh": (lambda n: 1 / np.sqrt(n), F.tanh),
    "He, ReLU": (lambda n: np.sqrt(2 / n), F.relu),
}


def activations(std_of, activation, seed: int, samples: int, layers: int = 5, units: int = 100):
    """The outputs of each layer for a batch of standard-normal inputs."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((samples, units))
    outputs = []
    for _ in range(layers):
        W = rng.standard_normal((units, units)) * std_of(units)
        x = activation(F.matmul(x, W)).numpy()
        outputs.append(x)
    return outputs


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when std 1 leaves over 30% of the last sigmoid layer's outputs saturated (below
    0.02 or above 0.98), std 0.01 collapses them (std under 0.02), and every Xavier and He
    setting keeps a last-layer std at least 5 times the collapsed one with sigmoid
    saturating under 1%."""
    collapsed = numbers["std 0.01, sigmoid"]["last_layer_std"]
    spread = ("Xavier, sigmoid", "Xavier, tanh", "He, ReLU")
    holds = (
        numbers["std 1, sigmoid"]["saturated_fraction"] > 0.3
        and collapsed < 0.02
        and all(numbers[name]["last_layer_std"] > 5 * collapsed for name in spread)
        and numbers["Xavier, sigmoid"]["saturated_fraction"] < 0.01
    )
    return "std 1 saturates sigmoid, std 0.01 collapses it, Xavier and He keep them spread", holds


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Every layer's activations under each setting, and the last layer's spread."""
    samples = 200 if quick else 1000
    outputs, ranges, numbers = {}, {}, {}
    for name, (std_of, activation) in SETTINGS.items():
        outputs[name] = activations(std_of, activation, seed, samples)
        ranges[name] = (
            (0, 1) if activation is F.sigmoid else (-1, 1) if activation is F.tanh else (0, 3)
        )
        last = outputs[name][-1]
        numbers[name] = {
            "last_layer_std": float(last.std()),
            "saturated_fraction": float(np.mean((last < 0.02) | (last > 0.98)))
            if activation is F.sigmoid
            else None,
        }
    return {"numbers": numbers, "outputs": outputs, "ranges": ranges}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """init_histograms.png: one row per setting, one histogram per layer."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(len(SETTINGS), 5, figsize=(14, 2.3 * len(SETTINGS)), sharey="row")
    for row, (name, outputs) in enumerate(measured["outputs"].items()):
        for col, a in enumerate(outputs):
            ax = axes[row, col]
            ax.hist(a.ravel(), bins=30, range=measured["ranges"][name], color=f"C{row}")
            if row == 0:
                ax.set_title(f"layer {col + 1}")
            if row == len(SETTINGS) - 1:
                ax.set_xlabel("activation")
        # The setting names the row, at the size of every other label.
        axes[row, 0].set_ylabel(f"{name}\ncount")
    caption = (
        "Each row is one initialisation, each column one layer. std 1: sigmoid outputs at "
        "0 and 1 (saturated). std 0.01: all near 0.5 (no diversity). Xavier and He: a "
        "healthy spread in every layer."
    )
    return [save_figure(fig, out_dir, "init_histograms.png", caption, dpi=90)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
