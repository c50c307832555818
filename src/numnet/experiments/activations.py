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
from numnet.experiments.common import Figure, Result, prepare

DESCRIPTION = "step, sigmoid, tanh, ReLU, leaky ReLU, softmax, identity and their derivatives"

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


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Draw every activation and its derivative; return the derivatives' peaks."""
    out = prepare(out_dir)
    x = np.linspace(-5, 5, 201 if quick else 1001)
    peaks = {name: float(derivative(fn, x).max()) for name, fn in FUNCTIONS.items()}
    plt = plot.pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, fn in FUNCTIONS.items():
        style = "--" if name.startswith("softmax") else "-"  # it lies on sigmoid exactly
        left.plot(x, fn(x).numpy(), style, label=name)
        right.plot(x, derivative(fn, x), style, label=name)
    logits = np.array([2.0, 1.0, 0.1])
    probabilities = F.softmax(logits).numpy()
    left.set(title="activations f(x)", xlabel="x", ylabel="f(x)", ylim=(-1.5, 3))
    right.set(title="derivatives f'(x): what backprop multiplies by", xlabel="x", ylabel="f'(x)")
    right.axhline(0.25, color="grey", linestyle=":", label="1/4: sigmoid's maximum")
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "activations.png", dpi=100)
    plt.close(fig)
    result = Result(
        name="activations",
        claim="sigmoid' peaks at 1/4 and tanh' at 1; ReLU' is 1 for x > 0; step' is 0",
        numbers={
            "sigmoid_derivative_max": peaks["sigmoid"],
            "tanh_derivative_max": peaks["tanh"],
            "relu_derivative_max": peaks["ReLU"],
            "step_derivative_max": peaks["step"],
            "softmax_of_2_1_0.1": probabilities.round(4).tolist(),
        },
        figures=[
            Figure(
                "activations.png",
                "Left: the activations. Right: their derivatives; sigmoid's never exceeds 1/4 "
                "(dotted line), so each sigmoid layer shrinks the gradient at least fourfold, "
                "while ReLU passes it unchanged for positive inputs.",
            )
        ],
    )
    result.save(out)
    return result
