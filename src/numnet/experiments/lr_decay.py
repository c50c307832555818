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
from numnet.experiments.common import Figure, Result, dense_stack, mnist_subset, prepare
from numnet.optimizers import schedules

DESCRIPTION = "constant vs step vs exponential vs cosine learning-rate schedules on MNIST"


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Train one network per schedule with SGD and record every step's loss."""
    out = prepare(out_dir)
    (x, y), (xt, yt) = mnist_subset(5000 if quick else 30000, 2000, seed)
    epochs, batch, lr = (6 if quick else 10), 32, 0.2
    per_epoch = len(x) // batch
    steps = epochs * per_epoch
    schedule_makers = {
        "constant": lambda: lr,
        "step (x0.5 every 1/4)": lambda: schedules.StepDecay(lr, steps // 4, 0.5),
        "exponential": lambda: schedules.ExponentialDecay(lr, steps, 0.05),
        "cosine": lambda: schedules.CosineDecay(lr, steps),
    }
    probe = x[:2000], y[:2000]
    probe_every = max(1, per_epoch // 40)
    losses, rates, test, probes = {}, {}, {}, {}
    for name, make in schedule_makers.items():
        numnet.random.seed(seed)
        model = dense_stack([784, 100, 100, 10], "relu")
        optimizer = optimizers.SGD(make())
        model.compile(
            optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"]
        )
        rng = np.random.default_rng(seed)
        model.train()
        losses[name], rates[name], probes[name] = [], [], []
        for epoch in range(epochs):
            for step, index in enumerate(np.array_split(rng.permutation(len(x)), per_epoch)):
                rates[name].append(optimizer.current_learning_rate)
                losses[name].append(model.train_step(x[index], y[index]))
                if epoch == epochs - 1 and step % probe_every == 0:
                    probes[name].append(float(model.evaluate(*probe)[0]))  # keeps train mode
        test[name] = float(model.evaluate(xt, yt)[1])
    last_epoch_std = {name: float(np.std(v[-per_epoch:])) for name, v in losses.items()}
    probe_std = {name: float(np.std(v)) for name, v in probes.items()}
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(17, 4.2))
    window = per_epoch // 4
    for name in schedule_makers:
        axes[0].plot(rates[name], label=name)
        smooth = np.convolve(losses[name], np.ones(window) / window, mode="valid")
        axes[1].plot(smooth, label=f"{name} (test {test[name]:.1%})")
        axes[2].plot(probes[name], label=f"{name} (std {probe_std[name]:.4f})")
    axes[0].set(title="learning rate", xlabel="step", ylabel="learning rate")
    axes[1].set(
        title="training loss per step (moving average)", xlabel="step", ylabel="loss", yscale="log"
    )
    axes[2].set(
        title="last epoch: loss on 2,000 fixed training images",
        xlabel=f"probe (every {probe_every} steps)",
        ylabel="loss",
        yscale="log",
    )
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "lr_decay.png", dpi=100)
    plt.close(fig)
    result = Result(
        name="lr-decay",
        claim="with a constant rate SGD keeps wandering around the minimum; a decayed rate "
        "settles (the last epoch's loss on fixed images varies several times less)",
        numbers={
            "last_epoch_probe_loss_std": probe_std,
            "last_epoch_batch_loss_std": last_epoch_std,
            "test_accuracy": test,
        },
        figures=[
            Figure(
                "lr_decay.png",
                "Left: the four schedules (SGD, batch 32, starting at 0.2). Middle: training loss "
                "per step (test accuracy in the legend). Right: during the last epoch, the loss "
                "on the same 2,000 training images: with a constant rate it keeps jumping, the "
                "decayed runs have settled.",
            )
        ],
    )
    result.save(out)
    return result
