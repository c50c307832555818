"""Perceptrons and logic gates: AND, NAND and OR are single perceptrons, XOR is not.

XOR's classes cannot be split by one straight line, so the perceptron rule never settles
on it; two layers (NAND and OR feeding AND), or a small trained network, solve it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import layers, optimizers, plot
from numnet.experiments.common import (
    Figure,
    Result,
    decision_regions,
    finish,
    prepare,
    region_grid,
    save_figure,
)
from numnet.models import Sequential
from numnet.perceptron import AND, GATE_INPUTS, NAND, OR, XOR, learn_gate

NAME = "gates"

TRUTH = {"AND": [0, 0, 0, 1], "NAND": [1, 1, 1, 0], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when the perceptron rule converges on AND, NAND and OR but not on XOR, the
    hand-set gates (XOR as two layers) are right, and the 2-4-1 network gets XOR."""
    holds = (
        numbers["perceptron_converged"] == {"AND": True, "NAND": True, "OR": True, "XOR": False}
        and numbers["hand_set_gates_correct"]
        and numbers["network_xor_outputs"] == TRUTH["XOR"]
    )
    return "AND, NAND, OR are linearly separable; XOR is not, and a hidden layer solves it", holds


def xor_network(seed: int, epochs: int) -> Sequential:
    """A 2-4-1 tanh network trained on XOR's truth table."""
    numnet.random.seed(seed)
    net = Sequential(
        [
            layers.Dense(4, activation="tanh", input_shape=(2,)),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    net.compile(optimizer=optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    y = np.array(TRUTH["XOR"], dtype=np.float32)
    net.fit(GATE_INPUTS.astype(np.float32), y, epochs=epochs, batch_size=4, verbose=0)
    return net


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Learn every gate with the perceptron rule and XOR with a 2-4-1 network; the decision
    regions of each."""
    learned = {name: learn_gate(truth, max_epochs=100, seed=seed) for name, truth in TRUTH.items()}
    net = xor_network(seed, 300 if quick else 600)
    inputs = GATE_INPUTS.astype(np.float32)
    network_outputs = (net.predict(inputs)[:, 0] > 0.5).astype(int)
    regions = {name: region_grid(p.predict, inputs) for name, p in learned.items()}
    regions["network"] = region_grid(lambda g: net.predict(g)[:, 0] > 0.5, inputs)
    status = {
        name: "converged" if p.converged else f"no convergence in {p.epochs_run} epochs"
        for name, p in learned.items()
    }
    hand_set = {"AND": AND, "NAND": NAND, "OR": OR, "XOR": XOR}
    numbers = {
        "perceptron_converged": {name: p.converged for name, p in learned.items()},
        "hand_set_gates_correct": all(
            [gate(a, b) for a, b in GATE_INPUTS.astype(int)] == TRUTH[name]
            for name, gate in hand_set.items()
        ),
        "network_xor_outputs": network_outputs.tolist(),
    }
    return {"numbers": numbers, "inputs": inputs, "regions": regions, "status": status}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """gates.png: the four perceptrons' regions and the network's, side by side."""
    plt = plot.pyplot()
    fig, grid = plt.subplots(2, 3, figsize=(12, 7.6))
    axes, key = grid.flat[:5], grid.flat[5]  # five panels, and one legend for them all
    inputs, regions = measured["inputs"], measured["regions"]
    for ax, (name, status) in zip(axes, measured["status"].items(), strict=False):
        decision_regions(ax, regions[name], inputs, np.asarray(TRUTH[name]),
                         f"{name}: perceptron rule ({status})", size=80, legend=False)  # fmt: skip
    decision_regions(axes[4], regions["network"], inputs, np.asarray(TRUTH["XOR"]),
                     "XOR: 2-4-1 tanh network", size=80, legend=False)  # fmt: skip
    key.axis("off")
    key.legend(*axes[0].get_legend_handles_labels(), loc="center", fontsize=11)
    caption = (
        "Decision regions (shaded) and the four inputs (dots coloured by the target). "
        "The perceptron rule finds a separating line for AND, NAND and OR but keeps "
        "failing on XOR; a network with one hidden layer bends the boundary and gets it."
    )
    return [save_figure(fig, out_dir, "gates.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
