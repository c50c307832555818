"""The figures of the `one-hot` experiment: where each method's errors go, and how far."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from numnet import plot
from numnet.experiments.common import Figure, save_figure


def draw_confusions(numbers: dict, out_dir: Path, methods: tuple[str, ...], setup: str) -> Figure:
    """confusion.png: each method's errors as a 10 x 10 matrix, the diagonal (the right
    answers) left white so that the errors carry the colour."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.6))
    for ax, method in zip(axes, methods, strict=True):
        matrix = np.asarray(numbers[method]["confusion"])
        errors = np.ma.masked_array(matrix, mask=np.eye(10, dtype=bool))
        image = ax.imshow(errors, cmap="Reds", vmin=0)
        fig.colorbar(image, ax=ax, shrink=0.8, label="test images")
        for i in range(10):
            for j in range(10):
                if matrix[i, j]:
                    dark = i != j and matrix[i, j] > errors.max() / 2
                    colour = "white" if dark else ("grey" if i == j else "black")
                    ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8,
                            color=colour)  # fmt: skip
        share = numbers[method]["neighbour_share"]
        ax.set_title(f"{method}\n{share:.0%} of its errors are a neighbouring digit", fontsize=11)
        ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit", ylabel="true digit")
    fig.suptitle("A numeric target puts the errors next to the diagonal: it invents neighbours")
    caption = (
        "Confusion matrices on the test images, rows the true digit, columns the predicted "
        "one; the diagonal (right answers, grey counts) is left white so that only the "
        f"errors are coloured. {setup}"
    )
    return save_figure(fig, out_dir, "confusion.png", caption)


def draw_distances(measured: dict, out_dir: Path, methods: tuple[str, ...], setup: str) -> Figure:
    """distance.png: the share of errors at each distance |predicted - true|, and the
    regressed numbers for each true digit before rounding."""
    plt = plot.pyplot()
    numbers = measured["numbers"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    distances = np.arange(1, 10)
    for k, method in enumerate(methods):
        shares = numbers[method]["share_by_distance"]
        left.bar(distances + (k - 0.5) * 0.4, shares, 0.4, label=method)
    even = numbers[methods[0]]["even_spread_share"]
    label = f"even spread's share at distance 1 ({even:.0%})"
    left.hlines(even, 0.5, 1.5, color="k", ls=":", lw=1.5, label=label)
    left.set(xticks=distances, xlabel="|predicted digit - true digit|", ylabel="share of errors")
    left.set_title("How far the errors land: the number's sit next door")
    left.legend(fontsize=9, loc="upper right")
    regressed_by_digit(right, measured["output"], measured["truth"])
    caption = (
        "Left: the share of each method's errors at each distance from the true digit; the "
        "dotted line is the share at distance 1 if the errors were spread evenly over the "
        "nine other digits. Right: the number the regression outputs for the test images of "
        "each digit, before rounding (boxes: middle half, whiskers: 5th to 95th "
        "percentile), on alternate grey and white bands: the outputs that round to each "
        f"digit. {setup}"
    )
    return save_figure(fig, out_dir, "distance.png", caption)


def regressed_by_digit(ax: Any, output: np.ndarray, truth: np.ndarray) -> None:
    """Box plots of the regressed output for each true digit, on the rounding bands."""
    ax.boxplot([output[truth == d] for d in range(10)], positions=range(10), whis=(5, 95),
               showfliers=False)  # fmt: skip
    for d in range(0, 10, 2):  # alternate grey bands: the outputs that round to each digit
        ax.axhspan(d - 0.5, d + 0.5, color="0.9", zorder=0)
    ax.set(xlabel="true digit", ylabel="regressed output", yticks=range(10), ylim=(-1.5, 10.5))
    ax.set_title("The regression's outputs spill into the neighbours' bands")
