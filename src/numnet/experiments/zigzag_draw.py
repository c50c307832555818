"""The figures of the `zigzag` experiment: the neuron's paths and the network sweep."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from numnet import plot
from numnet.experiments.common import Figure, save_figure

CHANCE_LOSS = np.log(10)  # cross-entropy of a uniform guess over ten digits


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """zigzag_paths.png and zigzag_network.png."""
    return [draw_paths(measured, out_dir), draw_network(measured, out_dir)]


def draw_paths(measured: dict, out_dir: Path) -> Figure:
    """zigzag_paths.png: the neuron's weights, step by step, over its loss's contours; one
    panel per input kind (rows) and batch size (columns)."""
    plt = plot.pyplot()
    paths, surfaces, target = measured["paths"], measured["surfaces"], measured["target"]
    every = np.concatenate([run["path"] for run in paths.values()])
    low, high = every.min(axis=0) - 0.15, every.max(axis=0) + 0.15
    fig, axes = plt.subplots(2, 2, figsize=(11, 10), sharex=True, sharey=True)
    for ax, (name, run) in zip(axes.flat, paths.items(), strict=True):
        contours(ax, surfaces[name.split()[0]], target, low, high)
        path = run["path"]
        ax.plot(path[:, 0], path[:, 1], ".-", color="C3", lw=1, ms=3, label="weights (w1, w2)")
        ax.plot(*path[0], "ko", ms=7, label="start (0, 0)")
        ax.plot(*target, "k*", ms=14, label=f"target w* = ({target[0]:g}, {target[1]:g})")
        ax.set_title(
            f"{name}: {run['steps']} steps,\n{run['one_sign_share']:.0%} of updates one-signed, "
            f"path {run['path_over_straight']:.1f}x the straight line",
            fontsize=11,
        )
        ax.set(aspect="equal", xlim=(low[0], high[0]), ylim=(low[1], high[1]))
    for ax in axes[-1]:
        ax.set_xlabel("w1")
    for ax in axes[:, 0]:
        ax.set_ylabel("w2")
    axes[0, 0].legend(fontsize=9, loc="lower left")
    fig.suptitle(
        "All-positive inputs: every one-example step moves both weights the same way (zigzag);"
        "\nbatches straighten the path, but the long valley keeps it slow"
    )
    caption = (
        "One neuron w . x with two inputs, squared error, targets made by w*, SGD at rate "
        "0.5 from (0, 0) until within 5% of w*. Top: inputs sigmoid(z); bottom: "
        "tanh(z), the same standard-normal z. Left: one example per step; right: batches of "
        "32. Grey lines: contours of the expected loss, a narrow valley for sigmoid inputs "
        "(their shared positive mean), round for tanh's."
    )
    return save_figure(fig, out_dir, "zigzag_paths.png", caption)


def contours(
    ax: Any, second_moment: np.ndarray, target: np.ndarray, low: np.ndarray, high: np.ndarray
) -> None:
    """Contours of 0.5 * (w - w*)' E[x x'] (w - w*), w* = target, over the box from low
    to high."""
    w1, w2 = np.meshgrid(np.linspace(low[0], high[0], 200), np.linspace(low[1], high[1], 200))
    d = np.stack([w1 - target[0], w2 - target[1]], axis=-1)
    loss = 0.5 * np.einsum("...i,ij,...j->...", d, second_moment, d)
    ax.contour(
        w1, w2, loss, levels=np.geomspace(1e-3, loss.max(), 12), colors="0.7", linewidths=0.8
    )


def draw_network(measured: dict, out_dir: Path) -> Figure:
    """zigzag_network.png: training loss and test accuracy after the last epoch against
    the learning rate, each activation's best rate circled; and the training loss per
    epoch at those best rates."""
    plt = plot.pyplot()
    network = measured["numbers"]["network"]
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(14, 4.6))
    styles = dict(zip(network["runs"], ("o-", "s--", "^:"), strict=True))
    colours = rate_panels(left, middle, network, styles)
    accuracies = ", ".join(  # "centred sigmoid (sigmoid - 1/2)" -> "centred sigmoid"
        f"{hidden.split(' (')[0]} {best['test_accuracy']:.1%}"
        for hidden, best in network["best"].items()
    )
    middle.set_title(f"Test accuracy at each one's best rate (circled):\n{accuracies}")
    for hidden, best in network["best"].items():
        right.plot(range(1, len(best["loss"]) + 1), best["loss"], styles[hidden],
                   color=colours[hidden], label=f"{hidden}, rate {best['rate']:g}")  # fmt: skip
    highest = max(max(best["loss"]) for best in network["best"].values())
    # Headroom above the curves (a factor 2.5 on the log axis) keeps the legend off them.
    right.set(yscale="log", xlabel="epoch", ylabel="training loss", ylim=(None, 2.5 * highest))
    right.set_xticks(range(1, network["epochs"] + 1))
    right.set_title("Centring's head start, each at its best rate")
    right.legend(fontsize=9, loc="upper right")
    for ax in (left, middle, right):
        ax.grid(alpha=0.3)
    for ax in (left, right):
        plain_log_ticks(ax, plt)
    caption = (
        f"A 784-100-100-10 MLP on {network['train_images']:,} of MNIST's 60,000 training "
        f"images (for speed) for {network['epochs']} epochs, SGD on batches of 32, same seed, "
        "with sigmoid, centred sigmoid (sigmoid - 1/2: the same slope, zero-centred) or tanh "
        "hidden layers. Left and middle: training loss and test accuracy after the last "
        "epoch against the learning rate; circled: each activation's best rate by training "
        "loss. Points off the axes diverged (loss above chance's 2.3, or NaN) or fell below "
        "the accuracy axis. Tanh's slope is 4 times sigmoid's, so its best rate is lower. "
        "Right (its legend names the colours of all three panels): the training loss per "
        "epoch at each one's best rate."
    )
    return save_figure(fig, out_dir, "zigzag_network.png", caption)


def rate_panels(left: Any, middle: Any, network: dict, styles: dict) -> dict[str, str]:
    """Final training loss (left) and test accuracy (middle) against the learning rate,
    one line per hidden activation, its best rate circled; returns each line's colour."""
    colours = {}
    for hidden, by_rate in network["runs"].items():
        rates = [float(r) for r in by_rate]
        losses = [np.nan if run["final_loss"] is None else run["final_loss"]
                  for run in by_rate.values()]  # fmt: skip
        (line,) = left.plot(rates, losses, styles[hidden])
        colours[hidden] = line.get_color()
        accuracies = [run["test_accuracy"] for run in by_rate.values()]
        middle.plot(rates, accuracies, styles[hidden], color=colours[hidden])
        best = network["best"][hidden]
        for ax, value in ((left, best["final_loss"]), (middle, best["test_accuracy"])):
            ax.plot(best["rate"], value, "o", ms=14, mfc="none", color=colours[hidden])
    left.set(xscale="log", yscale="log", ylim=(None, CHANCE_LOSS), xlabel="learning rate")
    left.set(ylabel="training loss after the last epoch", title="Centring lowers the final loss")
    # Wide enough for every best rate's accuracy, no wider: diverged runs fall off the bottom.
    lowest = min(best["test_accuracy"] for best in network["best"].values())
    bottom = min(0.85, np.floor((lowest - 0.05) * 20) / 20)
    middle.set(xscale="log", xlabel="learning rate", ylabel="test accuracy", ylim=(bottom, 1.0))
    for ax in (left, middle):
        ax.set_xticks(rates, [f"{r:g}" for r in rates])
    return colours


def plain_log_ticks(ax: Any, plt: Any) -> None:
    """Label a log-scale y axis at 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1, ... written plainly
    (not 10^-1), the ticks between left unlabelled. A locator serves one axis only."""
    ax.yaxis.set_major_locator(plt.LogLocator(subs=(1, 1.5, 2, 3, 5, 7), numticks=30))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(plt.NullFormatter())
