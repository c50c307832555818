"""The `gan` experiment's figures: sample grids by epoch, the game's curves, the scores
by epoch and the class shares that show (or rule out) mode collapse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from numnet import plot
from numnet.experiments.common import Figure, save_figure
from numnet.visualize import tile_images

LABELS = {"recipe": "recipe", "no_batch_norm": "generator without batch norm"}
STYLES = {"recipe": "-", "no_batch_norm": "--"}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """gan_samples.png, gan_game.png, gan_scores.png and gan_modes.png."""
    numbers = measured["numbers"]
    return [
        samples(measured["grids"], out_dir),
        game(numbers, out_dir),
        scores(numbers, out_dir),
        modes(numbers, out_dir),
    ]


def samples(grids: dict[str, dict[int, np.ndarray]], out_dir: Path) -> Figure:
    """One row per variant, one column per epoch: the same noise's digits."""
    plt = plot.pyplot()
    epochs = sorted(grids["recipe"])
    fig, axes = plt.subplots(len(grids), len(epochs), figsize=(2 * len(epochs), 2.3 * len(grids)))
    axes = np.asarray(axes).reshape(len(grids), len(epochs))
    for row, (name, by_epoch) in enumerate(grids.items()):
        for column, epoch in enumerate(epochs):
            ax = axes[row, column]
            ax.imshow(
                tile_images(by_epoch[epoch], columns=6, fill=0.0), cmap="gray_r", vmin=0, vmax=1
            )
            ax.set_xticks([]), ax.set_yticks([])
            ax.set_title("untrained" if epoch == 0 else f"epoch {epoch}", fontsize=9)
        axes[row, 0].set_ylabel(LABELS[name], fontsize=9)
    caption = (
        "The same 36 noise vectors drawn by the generator as training goes (dark is ink). "
        "Top: the recipe (batch norm in the generator); bottom: the same networks without "
        "it. Noise turns into strokes, then into digits; a collapsed generator draws the "
        "same few shapes in every cell."
    )
    return save_figure(fig, out_dir, "gan_samples.png", caption)


def game(numbers: dict, out_dir: Path) -> Figure:
    """Both losses, and D's accuracy on real and on generated digits, per epoch."""
    plt = plot.pyplot()
    fig, (losses, accuracy) = plt.subplots(1, 2, figsize=(12, 4.2))
    for name in LABELS:
        history = numbers[name]["history"]
        epochs = np.arange(1, len(history["d_loss"]) + 1)
        for key in ("d_loss", "g_loss"):
            losses.plot(epochs, history[key], STYLES[name], label=f"{key}, {LABELS[name]}")
        if name == "recipe":
            accuracy.plot(epochs, history["d_acc_real"], label="D on real digits")
            accuracy.plot(epochs, history["d_acc_fake"], label="D on generated digits")
        accuracy.plot(epochs, numbers[name]["d_accuracy"], STYLES[name], color="k",
                      label=f"D's mean accuracy, {LABELS[name]}")  # fmt: skip
    accuracy.axhline(0.5, color="grey", linestyle=":", label="chance")
    losses.set(title="the two losses", xlabel="epoch", ylabel="binary cross-entropy")
    # from 0: the legend fits under the chance line, where no curve runs
    accuracy.set(title="discriminator accuracy", xlabel="epoch", ylim=(0, 1.02))
    for ax in (losses, accuracy):
        _whole_epochs(ax)
        ax.grid(alpha=0.3)
    losses.legend(fontsize=8)
    accuracy.legend(fontsize=8, loc="lower left")
    d_accuracy = numbers["recipe"]["d_accuracy"]
    caption = (
        f"The game, epoch by epoch. Right: D's accuracy (the mean over real and generated "
        f"digits) went from {d_accuracy[0]:.2f} after the first epoch to "
        f"{d_accuracy[-1]:.2f} after the last (0.5 is chance: D cannot tell them apart). "
        "A GAN's losses do not fall like a classifier's: each network's loss is the other's "
        "gain, so they settle rather than shrink."
    )
    return save_figure(fig, out_dir, "gan_game.png", caption)


def scores(numbers: dict, out_dir: Path) -> Figure:
    """Classes present, confidence and Fréchet distance per epoch (0 = untrained)."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    real = numbers["real_training_digits"]
    panels = (
        ("max_class_share", "largest class share", "share of the digits"),
        ("mean_confidence", "classifier's mean confidence", "top probability"),
        ("frechet_distance", "Fréchet distance to real digits", "distance (log scale)"),
    )
    for ax, (key, title, ylabel) in zip(axes, panels, strict=True):
        for name in LABELS:
            values = [numbers[name]["untrained"][key]] + [s[key] for s in numbers[name]["scores"]]
            ax.plot(range(len(values)), values, STYLES[name], marker=".", label=LABELS[name])
        ax.axhline(real[key], color="green", linestyle=":", label="real training digits")
        ax.set(title=title, xlabel="epoch (0: untrained)", ylabel=ylabel)
        _whole_epochs(ax)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].axhline(0.2, color="red", linestyle=":", label="20%: the limit we set")
    axes[0].legend(fontsize=8)
    axes[2].set_yscale("log")
    final = numbers["recipe"]["scores"][-1]
    caption = (
        f"Generated digits scored by an MNIST classifier "
        f"({numbers['classifier_test_accuracy']:.2%} test accuracy) after every epoch, "
        f"{numbers['scored_images']} digits each time. After the last epoch the recipe's "
        f"digits cover {final['classes_present']} classes, the largest share is "
        f"{final['max_class_share']:.1%} (real digits: {real['max_class_share']:.1%}), the "
        f"classifier is {final['mean_confidence']:.2f} confident on them (real: "
        f"{real['mean_confidence']:.2f}) and the Fréchet distance is "
        f"{final['frechet_distance']:.1f} (real: {real['frechet_distance']:.1f})."
    )
    return save_figure(fig, out_dir, "gan_scores.png", caption)


def modes(numbers: dict, out_dir: Path) -> Figure:
    """The share of each digit per epoch, one heat map per variant."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, len(LABELS), figsize=(6 * len(LABELS), 4.4))
    for ax, name in zip(np.atleast_1d(axes), LABELS, strict=True):
        run = numbers[name]
        shares = np.array(
            [run["untrained"]["class_shares"]] + [s["class_shares"] for s in run["scores"]]
        )
        image = ax.imshow(
            shares.T, aspect="auto", cmap="magma", vmin=0, vmax=max(0.5, shares.max())
        )
        ax.set(title=LABELS[name], xlabel="epoch (0: untrained)", ylabel="digit",
               yticks=range(10))  # fmt: skip
        _whole_epochs(ax)
        fig.colorbar(image, ax=ax, label="share of generated digits")
    caption = (
        "Mode collapse, looked for: the share of each digit among the generated ones, per "
        "epoch (epoch 0, the untrained generator's grey blur, reads as a single digit). A "
        f"generator that covers the data has ten bands near 0.1. {_collapse(numbers)}"
    )
    return save_figure(fig, out_dir, "gan_modes.png", caption)


def _whole_epochs(ax: Any) -> None:
    """Tick the epoch axis at whole epochs only."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _collapse(numbers: dict[str, Any]) -> str:
    """What the numbers say about mode collapse in each variant, as a sentence."""
    parts = []
    for name in LABELS:
        scores = numbers[name]["scores"]
        final = scores[-1]
        collapsed = [s["max_class_share"] > 0.5 for s in scores]
        worst = max(range(len(scores)), key=lambda e: scores[e]["max_class_share"])
        shares = scores[worst]["class_shares"]
        parts.append(
            f"{LABELS[name].capitalize()}: one digit made up more than half of the images "
            f"after {sum(collapsed)} of {len(scores)} epochs (worst: digit "
            f"{int(np.argmax(shares))} at {max(shares):.0%} after epoch {worst + 1}); after "
            f"the last epoch {final['classes_present']} digits are present, the largest "
            f"share {final['max_class_share']:.0%}."
        )
    return " ".join(parts)
