"""Perceptrons and logic gates: AND, NAND and OR are single perceptrons, XOR is not.

XOR's classes cannot be split by one straight line, so the perceptron rule never settles
on it; two layers (NAND and OR feeding AND), or a small trained network, solve it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import layers, optimizers, plot
from numnet.experiments.common import Figure, Result, prepare
from numnet.models import Sequential
from numnet.perceptron import AND, GATE_INPUTS, NAND, OR, XOR, learn_gate

DESCRIPTION = "AND/NAND/OR as perceptrons; XOR needs a hidden layer (decision regions)"

TRUTH = {"AND": [0, 0, 0, 1], "NAND": [1, 1, 1, 0], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Learn every gate with the perceptron rule and XOR with a 2-4-1 network."""
    out = prepare(out_dir)
    learned = {name: learn_gate(truth, max_epochs=100, seed=seed) for name, truth in TRUTH.items()}
    numnet.random.seed(seed)
    net = Sequential(
        [
            layers.Dense(4, activation="tanh", input_shape=(2,)),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    net.compile(optimizer=optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    y = np.array(TRUTH["XOR"], dtype=np.float32)
    net.fit(
        GATE_INPUTS.astype(np.float32), y, epochs=300 if quick else 600, batch_size=4, verbose=0
    )
    network_outputs = (net.predict(GATE_INPUTS.astype(np.float32))[:, 0] > 0.5).astype(int)

    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 5, figsize=(18, 3.8))
    grid = np.linspace(-0.5, 1.5, 200)
    gx, gy = np.meshgrid(grid, grid)
    points = np.c_[gx.ravel(), gy.ravel()]
    for ax, (name, perceptron) in zip(axes, learned.items(), strict=False):
        ax.contourf(
            gx, gy, perceptron.predict(points).reshape(gx.shape), alpha=0.3, cmap="coolwarm"
        )
        status = (
            "converged"
            if perceptron.converged
            else f"no convergence in {perceptron.epochs_run} epochs"
        )
        ax.set_title(f"{name}: perceptron rule ({status})", fontsize=9)
    regions = (net.predict(points.astype(np.float32))[:, 0] > 0.5).reshape(gx.shape)
    axes[4].contourf(gx, gy, regions, alpha=0.3, cmap="coolwarm")
    axes[4].set_title("XOR: 2-4-1 tanh network", fontsize=9)
    for ax, truth in zip(axes, [*TRUTH.values(), TRUTH["XOR"]], strict=True):
        ax.scatter(
            GATE_INPUTS[:, 0], GATE_INPUTS[:, 1], c=truth, cmap="coolwarm", edgecolors="k", s=80
        )
        ax.set(xlabel="x1", ylabel="x2", xlim=(-0.5, 1.5), ylim=(-0.5, 1.5))
    fig.tight_layout()
    fig.savefig(out / "gates.png", dpi=100)
    plt.close(fig)

    result = Result(
        name="gates",
        claim="AND, NAND, OR are linearly separable; XOR is not, and a hidden layer solves it",
        numbers={
            "perceptron_converged": {name: p.converged for name, p in learned.items()},
            "hand_set_gates_correct": all(
                [gate(a, b) for a, b in GATE_INPUTS.astype(int)] == TRUTH[name]
                for name, gate in {"AND": AND, "NAND": NAND, "OR": OR, "XOR": XOR}.items()
            ),
            "network_xor_outputs": network_outputs.tolist(),
        },
        figures=[
            Figure(
                "gates.png",
                "Decision regions (shaded) and the four inputs (dots coloured by the target). "
                "The perceptron rule finds a separating line for AND, NAND and OR but keeps "
                "failing on XOR; a network with one hidden layer bends the boundary and gets it.",
            )
        ],
    )
    result.save(out)
    return result
