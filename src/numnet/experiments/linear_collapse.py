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
from numnet.experiments.common import Figure, Result, decision_regions, dense_stack, prepare

DESCRIPTION = "a deep linear network is one linear layer; it cannot fit moons, one tanh layer can"


def _fit(model, x, y, loss: str, epochs: int, lr: float):
    model.compile(
        optimizer=optimizers.Adam(lr), loss=loss, metrics=["accuracy"] if loss != "mse" else None
    )
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    return model


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Fit a linear map with 1 and 3 layers; classify moons with linear and tanh networks."""
    out = prepare(out_dir)
    numnet.random.seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(512, 3)).astype(np.float32)
    true_map = np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 1.5]], dtype=np.float32)
    target = x @ true_map
    epochs = 40 if quick else 150
    deep = _fit(
        dense_stack([3, 8, 8, 2], "linear", "glorot_uniform", final="linear"),
        x,
        target,
        "mse",
        epochs,
        0.01,
    )
    shallow = _fit(
        dense_stack([3, 2], "linear", "glorot_uniform", final="linear"),
        x,
        target,
        "mse",
        epochs,
        0.01,
    )
    end_to_end = np.linalg.multi_dot([layer.kernel.numpy() for layer in deep.layers[1:]])
    single = shallow.layers[1].kernel.numpy()

    xm, ym = make_moons(400, noise=0.2, seed=seed)
    moon_epochs = 60 if quick else 200
    linear_net = _fit(
        dense_stack([2, 16, 16, 1], "linear", "glorot_uniform", "sigmoid"),
        xm,
        ym,
        "binary_crossentropy",
        moon_epochs,
        0.01,
    )
    tanh_net = _fit(
        dense_stack([2, 16, 1], "tanh", "glorot_uniform", "sigmoid"),
        xm,
        ym,
        "binary_crossentropy",
        moon_epochs,
        0.01,
    )
    accuracy = {
        name: float(net.evaluate(xm, ym)[1])
        for name, net in (("linear", linear_net), ("tanh", tanh_net))
    }

    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    axes[0].bar(np.arange(6) - 0.2, single.ravel(), 0.4, label="1 linear layer: W")
    axes[0].bar(np.arange(6) + 0.2, end_to_end.ravel(), 0.4, label="3 linear layers: W1 W2 W3")
    axes[0].set(title="the learned end-to-end matrix", xlabel="matrix entry", ylabel="value")
    axes[0].legend()
    for ax, (name, net) in zip(axes[1:], (("linear", linear_net), ("tanh", tanh_net)), strict=True):
        label = "3 identity layers" if name == "linear" else "1 hidden tanh layer"
        decision_regions(ax, lambda g, net=net: net.predict(g)[:, 0] > 0.5, xm, ym,
                         f"{label}: accuracy {accuracy[name]:.0%}")  # fmt: skip
    fig.tight_layout()
    fig.savefig(out / "linear_collapse.png", dpi=100)
    plt.close(fig)
    result = Result(
        name="linear-collapse",
        claim="stacked linear layers equal one linear layer; only a non-linearity fits the moons",
        numbers={
            "end_to_end_vs_single_max_abs_difference": float(np.abs(end_to_end - single).max()),
            "true_map_max_abs_error_of_deep_linear": float(np.abs(end_to_end - true_map).max()),
            "moons_accuracy_deep_linear": accuracy["linear"],
            "moons_accuracy_one_tanh_layer": accuracy["tanh"],
        },
        figures=[
            Figure(
                "linear_collapse.png",
                "Left: the product of three learned linear layers matches the single layer's "
                "matrix entry by entry. Middle: a deep identity-activation network draws a straight "
                "boundary through the moons. Right: one hidden tanh layer bends it around them.",
            )
        ],
    )
    result.save(out)
    return result
