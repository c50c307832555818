"""Perceptrons and logic gates: AND, NAND and OR are single perceptrons, XOR is not.

XOR's classes cannot be split by one straight line, so the perceptron rule never settles
on it; two layers (NAND and OR feeding AND), or a small trained network, solve it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import layers, optimizers, plot
from numnet.experiments.common import Figure, Result, decision_regions, prepare
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
    inputs = GATE_INPUTS.astype(np.float32)
    for ax, (name, perceptron) in zip(axes, learned.items(), strict=False):
        status = (
            "converged"
            if perceptron.converged
            else f"no convergence in {perceptron.epochs_run} epochs"
        )
        decision_regions(ax, perceptron.predict, inputs, np.asarray(TRUTH[name]),
                         f"{name}: perceptron rule ({status})", size=80)  # fmt: skip
    decision_regions(axes[4], lambda g: net.predict(g)[:, 0] > 0.5, inputs,
                     np.asarray(TRUTH["XOR"]), "XOR: 2-4-1 tanh network", size=80)  # fmt: skip
    for ax in axes:
        ax.title.set_fontsize(9)
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
