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
from numnet.experiments.common import Figure, Result, finish, prepare, save_figure
from numnet.models import Sequential

NAME = "zero-init"


def train(
    initializer: str, x: np.ndarray, y: np.ndarray, epochs: int, seed: int
) -> tuple[Sequential, list[float]]:
    """A 2-8-1 tanh network trained full-batch from `initializer`, and its accuracy per epoch."""
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


def unit_spread(kernel: np.ndarray) -> float:
    """The largest difference between any hidden unit's incoming weights and the first's."""
    return float(np.abs(kernel - kernel[:, :1]).max())


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when training from zeros leaves the hidden units equal (to 1e-6) and training
    from random weights leaves them at least 0.1 apart, far above rounding noise."""
    holds = (
        numbers["zero_init_max_difference_between_units"] < 1e-6
        and numbers["random_init_max_difference_between_units"] > 0.1
    )
    return "zero initial weights keep all hidden units equal; random ones let them differ", holds


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train the same 2-8-1 network from zeros and from random weights."""
    x, y = make_planar(400, seed=seed)
    epochs = 300 if quick else 2000
    zero_model, zero_accuracy = train("zeros", x, y, epochs, seed)
    random_model, random_accuracy = train("glorot_uniform", x, y, epochs, seed)
    kernels = {
        "zeros": zero_model.layers[0].kernel.numpy(),
        "random": random_model.layers[0].kernel.numpy(),
    }
    numbers = {
        "zero_init_max_difference_between_units": unit_spread(kernels["zeros"]),
        "zero_init_final_accuracy": zero_accuracy[-1],
        "random_init_final_accuracy": random_accuracy[-1],
        "random_init_max_difference_between_units": unit_spread(kernels["random"]),
    }
    accuracy = {"zeros": zero_accuracy, "glorot_uniform (random)": random_accuracy}
    return {"numbers": numbers, "accuracy": accuracy, "kernels": kernels}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """zero_init.png: accuracy curves, then both hidden kernels after training."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    for label, values in measured["accuracy"].items():
        axes[0].plot(values, label=label)
    axes[0].set(title="training accuracy", xlabel="epoch", ylabel="accuracy")
    axes[0].legend()
    for ax, (title, kernel) in zip(axes[1:], measured["kernels"].items(), strict=True):
        image = ax.imshow(kernel, cmap="coolwarm", aspect="auto")
        ax.set_xticks(range(kernel.shape[1]))
        ax.set_yticks(range(kernel.shape[0]))  # one row per input: whole-number ticks
        ax.set(
            title=f"hidden weights after training ({title})", xlabel="hidden unit", ylabel="input"
        )
        fig.colorbar(image, ax=ax)
    caption = (
        "Left: accuracy on the flower set. Middle: the hidden layer's weights after "
        "training from zeros, every column (unit) the same. Right: from random weights, "
        "every unit has learned something different."
    )
    return [save_figure(fig, out_dir, "zero_init.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
