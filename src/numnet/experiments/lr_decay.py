"""Learning-rate decay: big steps early to make progress, small steps late to settle.

The same network trained on MNIST with a constant rate and with step, exponential and
cosine schedules. With a constant rate mini-batch SGD keeps wandering around the minimum;
a decayed rate lets it settle. To see the wandering apart from the batch-to-batch noise,
the loss on one fixed set of training images is probed 40 times during the last epoch."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot
from numnet.experiments.common import (
    Figure,
    Result,
    dense_stack,
    finish,
    mnist_subset,
    prepare,
    save_figure,
)
from numnet.optimizers import schedules

NAME = "lr-decay"
BATCH = 32


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when the constant rate's probe-loss spread in the last epoch is more than 3
    times that of every decayed schedule."""
    spread = numbers["last_epoch_probe_loss_std"]
    holds = all(3 * v < spread["constant"] for k, v in spread.items() if k != "constant")
    text = (
        "with a constant rate SGD keeps wandering around the minimum; a decayed rate "
        "settles (the last epoch's loss on fixed images varies several times less)"
    )
    return text, holds


def train(learning_rate, data: tuple, epochs: int, probe_every: int, seed: int) -> dict:
    """SGD with batch BATCH on a 784-100-100-10 ReLU net: every step's rate and loss, the
    last epoch's probes (loss on the first 2,000 training images), and test accuracy."""
    (x, y), (xt, yt) = data
    per_epoch = len(x) // BATCH
    probe = x[:2000], y[:2000]
    numnet.random.seed(seed)
    model = dense_stack([784, 100, 100, 10], "relu")
    optimizer = optimizers.SGD(learning_rate)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(seed)
    model.train()
    record: dict = {"rates": [], "losses": [], "probes": []}
    for epoch in range(epochs):
        for step, index in enumerate(np.array_split(rng.permutation(len(x)), per_epoch)):
            record["rates"].append(optimizer.current_learning_rate)
            record["losses"].append(
                model.train_on_batch(x[index], y[index], return_dict=True)["loss"]
            )
            if epoch == epochs - 1 and step % probe_every == 0:
                record["probes"].append(float(model.evaluate(*probe)[0]))  # keeps train mode
    record["test"] = float(model.evaluate(xt, yt)[1])
    return record


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train one network per schedule with SGD and record every step's loss."""
    data = mnist_subset(5000 if quick else 30000, 2000, seed)
    epochs, lr = (6 if quick else 10), 0.2
    per_epoch = len(data[0][0]) // BATCH
    steps = epochs * per_epoch
    schedule_makers = {
        "constant": lambda: lr,
        "step (x0.5 every 1/4)": lambda: schedules.StepDecay(lr, steps // 4, 0.5),
        "exponential": lambda: schedules.ExponentialDecay(lr, steps, 0.05),
        "cosine": lambda: schedules.CosineDecay(lr, steps),
    }
    probe_every = max(1, per_epoch // 40)
    runs = {
        name: train(make(), data, epochs, probe_every, seed)
        for name, make in schedule_makers.items()
    }
    numbers = {
        "last_epoch_probe_loss_std": {n: float(np.std(r["probes"])) for n, r in runs.items()},
        "last_epoch_batch_loss_std": {
            n: float(np.std(r["losses"][-per_epoch:])) for n, r in runs.items()
        },
        "test_accuracy": {n: r["test"] for n, r in runs.items()},
    }
    return {"numbers": numbers, "runs": runs, "per_epoch": per_epoch, "probe_every": probe_every}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """lr_decay.png: the schedules, the loss per step, and the last epoch's probes."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(17, 5))
    window = measured["per_epoch"] // 4
    numbers = measured["numbers"]
    for name, record in measured["runs"].items():
        axes[0].plot(record["rates"], label=name)
        smooth = np.convolve(record["losses"], np.ones(window) / window, mode="valid")
        axes[1].plot(smooth, label=f"{name} (test {numbers['test_accuracy'][name]:.1%})")
        spread = numbers["last_epoch_probe_loss_std"][name]
        axes[2].plot(record["probes"], label=f"{name} (std {spread:.4f})")
    axes[0].set(title="learning rate", xlabel="step", ylabel="learning rate")
    axes[1].set(
        title="training loss per step (moving average)", xlabel="step", ylabel="loss", yscale="log"
    )
    axes[2].set(
        title="last epoch: loss on 2,000 fixed training images",
        xlabel=f"probe (every {measured['probe_every']} steps)",
        ylabel="loss",
        yscale="log",
    )
    for ax in axes:
        ax.grid(alpha=0.3)
        # below the axes: the constant rate's probes wander over the whole panel
        ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    caption = (
        "Left: the four schedules (SGD, batch 32, starting at 0.2). Middle: training loss "
        "per step (test accuracy in the legend). Right: during the last epoch, the loss "
        "on the same 2,000 training images: with a constant rate it keeps jumping, the "
        "decayed runs have settled."
    )
    return [save_figure(fig, out_dir, "lr_decay.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
