"""Without non-linear activations, depth buys nothing: W3 (W2 (W1 x)) is one matrix.

A three-layer network with identity activations learns the same end-to-end map as a
single linear layer, and cannot separate the two moons, which one hidden tanh layer does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot
from numnet.datasets import make_moons
from numnet.experiments.common import (
    Figure,
    Result,
    decision_regions,
    dense_layers,
    dense_stack,
    finish,
    prepare,
    region_grid,
    save_figure,
)

NAME = "linear-collapse"


def _fit(model, x, y, loss: str, epochs: int, lr: float):
    model.compile(
        optimizer=optimizers.Adam(lr), loss=loss, metrics=["accuracy"] if loss != "mse" else None
    )
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    return model


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when the three linear layers' product matches the single layer's matrix to
    0.05 in every entry, and the tanh network fits the moons at least 5 points better."""
    holds = (
        numbers["end_to_end_vs_single_max_abs_difference"] < 0.05
        and numbers["moons_accuracy_one_tanh_layer"] > numbers["moons_accuracy_deep_linear"] + 0.05
    )
    text = "stacked linear layers equal one linear layer; only a non-linearity fits the moons"
    return text, holds


def linear_maps(seed: int, epochs: int) -> dict[str, np.ndarray]:
    """Fit one known 3 -> 2 linear map with 1 and with 3 linear layers: the true matrix,
    the single layer's, and the deep network's end-to-end product."""
    numnet.random.seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(512, 3)).astype(np.float32)
    true_map = np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 1.5]], dtype=np.float32)
    target = x @ true_map
    deep = dense_stack([3, 8, 8, 2], "linear", "glorot_uniform", final="linear")
    deep = _fit(deep, x, target, "mse", epochs, 0.01)
    shallow = dense_stack([3, 2], "linear", "glorot_uniform", final="linear")
    shallow = _fit(shallow, x, target, "mse", epochs, 0.01)
    return {
        "true": true_map,
        "single": dense_layers(shallow)[0].kernel.numpy(),
        "end_to_end": np.linalg.multi_dot([layer.kernel.numpy() for layer in dense_layers(deep)]),
    }


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Fit a linear map with 1 and 3 layers; classify moons with linear and tanh networks."""
    maps = linear_maps(seed, 40 if quick else 150)
    xm, ym = make_moons(400, noise=0.2, seed=seed)
    moon_epochs = 60 if quick else 200
    nets = {}
    for activation, sizes in (("linear", [2, 16, 16, 1]), ("tanh", [2, 16, 1])):
        # Build each just before fitting it: both draw from the global generator.
        net = dense_stack(sizes, activation, "glorot_uniform", "sigmoid")
        nets[activation] = _fit(net, xm, ym, "binary_crossentropy", moon_epochs, 0.01)
    accuracy = {name: float(net.evaluate(xm, ym)[1]) for name, net in nets.items()}
    regions = {
        name: region_grid(lambda g, net=net: net.predict(g)[:, 0] > 0.5, xm)
        for name, net in nets.items()
    }
    numbers = {
        "end_to_end_vs_single_max_abs_difference": float(
            np.abs(maps["end_to_end"] - maps["single"]).max()
        ),
        "true_map_max_abs_error_of_deep_linear": float(
            np.abs(maps["end_to_end"] - maps["true"]).max()
        ),
        "moons_accuracy_deep_linear": accuracy["linear"],
        "moons_accuracy_one_tanh_layer": accuracy["tanh"],
    }
    return {"numbers": numbers, "maps": maps, "moons": (xm, ym), "regions": regions}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """linear_collapse.png: the two learned matrices, then the two moon classifiers."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    maps, numbers = measured["maps"], measured["numbers"]
    axes[0].bar(np.arange(6) - 0.2, maps["single"].ravel(), 0.4, label="1 linear layer: W")
    axes[0].bar(
        np.arange(6) + 0.2, maps["end_to_end"].ravel(), 0.4, label="3 linear layers: W1 W2 W3"
    )
    axes[0].set(title="the learned end-to-end matrix", xlabel="matrix entry", ylabel="value")
    axes[0].legend()
    xm, ym = measured["moons"]
    panels = (
        ("linear", "3 identity layers", numbers["moons_accuracy_deep_linear"]),
        ("tanh", "1 hidden tanh layer", numbers["moons_accuracy_one_tanh_layer"]),
    )
    for ax, (name, label, accuracy) in zip(axes[1:], panels, strict=True):
        decision_regions(ax, measured["regions"][name], xm, ym, f"{label}: accuracy {accuracy:.0%}")
    caption = (
        "Left: the product of three learned linear layers matches the single layer's "
        "matrix entry by entry. Middle: a deep identity-activation network draws a straight "
        "boundary through the moons. Right: one hidden tanh layer bends it around them."
    )
    return [save_figure(fig, out_dir, "linear_collapse.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
