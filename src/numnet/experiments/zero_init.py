"""Why weights must not start at zero: identical hidden units stay identical.

With every weight equal, every hidden unit computes the same value and receives the same
gradient, so training never makes them different: the layer acts like a single unit.
Random initial weights break the symmetry.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import layers, optimizers, plot
from numnet.datasets import make_planar
from numnet.experiments.common import Figure, Result, prepare
from numnet.models import Sequential

DESCRIPTION = "all-zero weights keep hidden units identical; random init breaks the symmetry"


def train(
    initializer: str, x: np.ndarray, y: np.ndarray, epochs: int, seed: int
) -> tuple[Sequential, list[float]]:
    numnet.random.seed(seed)
    model = Sequential(
        [
            layers.Dense(8, activation="tanh", kernel_initializer=initializer, input_shape=(2,)),
            layers.Dense(1, activation="sigmoid", kernel_initializer=initializer),
        ]
    )
    model.compile(optimizer=optimizers.SGD(0.5), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=epochs, batch_size=len(x), verbose=0, shuffle=False)
    return model, history.history["accuracy"]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Train the same 2-8-1 network from zeros and from random weights."""
    out = prepare(out_dir)
    x, y = make_planar(400, seed=seed)
    epochs = 300 if quick else 2000
    zero_model, zero_accuracy = train("zeros", x, y, epochs, seed)
    random_model, random_accuracy = train("glorot_uniform", x, y, epochs, seed)
    zero_kernel = zero_model.layers[0].kernel.numpy()
    random_kernel = random_model.layers[0].kernel.numpy()
    spread = float(np.abs(zero_kernel - zero_kernel[:, :1]).max())

    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    axes[0].plot(zero_accuracy, label="zeros")
    axes[0].plot(random_accuracy, label="glorot_uniform (random)")
    axes[0].set(title="training accuracy", xlabel="epoch", ylabel="accuracy")
    axes[0].legend()
    for ax, kernel, title in ((axes[1], zero_kernel, "zeros"), (axes[2], random_kernel, "random")):
        image = ax.imshow(kernel, cmap="coolwarm", aspect="auto")
        ax.set(
            title=f"hidden weights after training ({title})", xlabel="hidden unit", ylabel="input"
        )
        fig.colorbar(image, ax=ax)
    fig.tight_layout()
    fig.savefig(out / "zero_init.png", dpi=100)
    plt.close(fig)
    result = Result(
        name="zero-init",
        claim="zero initial weights keep all hidden units equal; random ones let them differ",
        numbers={
            "zero_init_max_difference_between_units": spread,
            "zero_init_final_accuracy": zero_accuracy[-1],
            "random_init_final_accuracy": random_accuracy[-1],
        },
        figures=[
            Figure(
                "zero_init.png",
                "Left: accuracy on the flower set. Middle: the hidden layer's weights after "
                "training from zeros, every column (unit) the same. Right: from random weights, "
                "every unit has learned something different.",
            )
        ],
    )
    result.save(out)
    return result
