"""Activation functions and their derivatives, on one figure.

The derivative is what backpropagation multiplies by at every layer: sigmoid's never
exceeds 1/4 (so deep sigmoid networks shrink gradients), tanh's peaks at 1, ReLU's is 1
for every positive input, and the step function's is 0 almost everywhere (so it cannot
be trained by gradient descent).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import functional as F
from numnet import plot
from numnet.experiments.common import Figure, Result, finish, prepare, save_figure

NAME = "activations"

FUNCTIONS = {
    "step": F.step_function,
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "ReLU": F.relu,
    "leaky ReLU (0.1)": lambda x: F.leaky_relu(x, 0.1),
    "identity": F.identity,
    # Softmax is vector-valued: its first output for the logits (x, 0) is sigmoid(x).
    "softmax([x, 0])[0]": lambda x: F.softmax(F.stack([x, x * 0], axis=-1))[..., 0],
}


def derivative(fn, x: np.ndarray) -> np.ndarray:
    """d fn / dx at every point, by backpropagation through numnet."""
    t = numnet.tensor(x, requires_grad=True)
    fn(t).sum().backward()
    return t.grad


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when the largest derivatives measured are sigmoid' 1/4, tanh' 1 and ReLU' 1
    (each to 1e-3) and step' exactly 0."""
    holds = (
        abs(numbers["sigmoid_derivative_max"] - 0.25) < 1e-3
        and abs(numbers["tanh_derivative_max"] - 1.0) < 1e-3
        and abs(numbers["relu_derivative_max"] - 1.0) < 1e-3
        and numbers["step_derivative_max"] == 0.0
    )
    return "sigmoid' peaks at 1/4 and tanh' at 1; ReLU' is 1 for x > 0; step' is 0", holds


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Every activation and its derivative on a grid of x; the derivatives' peaks."""
    x = np.linspace(-5, 5, 201 if quick else 1001)
    values = {name: fn(x).numpy() for name, fn in FUNCTIONS.items()}
    slopes = {name: derivative(fn, x) for name, fn in FUNCTIONS.items()}
    peaks = {name: float(slope.max()) for name, slope in slopes.items()}
    probabilities = F.softmax(np.array([2.0, 1.0, 0.1])).numpy()
    numbers = {
        "sigmoid_derivative_max": peaks["sigmoid"],
        "tanh_derivative_max": peaks["tanh"],
        "relu_derivative_max": peaks["ReLU"],
        "step_derivative_max": peaks["step"],
        "softmax_of_2_1_0.1": probabilities.round(4).tolist(),
    }
    return {"numbers": numbers, "x": x, "values": values, "derivatives": slopes}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """activations.png: the functions on the left, their derivatives on the right."""
    plt = plot.pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    x = measured["x"]
    for name in FUNCTIONS:
        style = "--" if name.startswith("softmax") else "-"  # it lies on sigmoid exactly
        left.plot(x, measured["values"][name], style, label=name)
        right.plot(x, measured["derivatives"][name], style, label=name)
    left.set(title="activations f(x)", xlabel="x", ylabel="f(x)", ylim=(-1.5, 3))
    right.set(title="derivatives f'(x): what backprop multiplies by", xlabel="x", ylabel="f'(x)")
    right.axhline(0.25, color="grey", linestyle=":")
    right.annotate(
        "1/4: sigmoid's maximum", xy=(3.5, 0.25), xytext=(5, 0.45), ha="right", fontsize=9,
        color="dimgrey", arrowprops={"arrowstyle": "->", "color": "dimgrey"},
    )  # fmt: skip
    for ax in (left, right):
        ax.grid(alpha=0.3)
    left.legend(fontsize=9, loc="upper left")  # one legend: the colours are the same right
    caption = (
        "Left: the activations. Right: their derivatives; sigmoid's never exceeds 1/4 "
        "(dotted line), so each sigmoid layer shrinks the gradient at least fourfold, "
        "while ReLU passes it unchanged for positive inputs."
    )
    return [save_figure(fig, out_dir, "activations.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
