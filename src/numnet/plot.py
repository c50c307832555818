"""Figures with matplotlib (the optional `plot` extra), drawn off-screen (Agg).

matplotlib is imported only when a figure is drawn, so the core library never needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend, or a clear error if matplotlib is missing."""
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError("drawing figures needs matplotlib: pip install 'numnet[plot]'") from error
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def training_curves(
    history: dict[str, list[float]],
    path: str | Path,
    title: str = "",
    validation_label: str = "validation",
) -> Path:
    """Loss and accuracy per epoch, training against validation, side by side."""
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    epochs = np.arange(1, len(history.get("loss", [])) + 1)
    for ax, metric in zip(axes, ("loss", "accuracy"), strict=True):
        for key, label, style in (
            (metric, "training", "o-"),
            (f"val_{metric}", validation_label, "s--"),
        ):
            if key in history:
                ax.plot(epochs, history[key], style, label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_title(f"{metric} per epoch")
        ax.set_xticks(epochs)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)


def confusion_matrix(
    matrix: np.ndarray, path: str | Path, class_names: list[str] | None = None, title: str = ""
) -> Path:
    """A confusion matrix as a heat map, counts written in the cells."""
    plt = pyplot()
    n = len(matrix)
    names = class_names or [str(i) for i in range(n)]
    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(matrix, cmap="Blues")
    fig.colorbar(image, ax=ax, label="test images")
    ax.set_xticks(range(n), names, rotation=45 if class_names else 0)
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title or "confusion matrix (rows: true, columns: predicted)")
    threshold = matrix.max() / 2
    for i in range(n):
        for j in range(n):
            color = "white" if matrix[i, j] > threshold else "black"
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7, color=color)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)


def filter_grid(kernel: np.ndarray, path: str | Path, title: str = "first-layer filters") -> Path:
    """Each filter of a conv kernel (filters, in_channels, kh, kw) as a small grey image
    (first input channel), each scaled to its own range: strokes and edges show as
    light-dark bands, untrained filters as noise."""
    plt = pyplot()
    kernel = np.asarray(kernel)
    count = kernel.shape[0]
    cols = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(1.3 * cols, 1.3 * rows + 0.8), squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index < count:
            ax.imshow(kernel[index, 0], cmap="gray", interpolation="nearest")
            ax.set_title(f"filter {index}", fontsize=7)
    fig.suptitle(title)
    fig.text(
        0.5, 0.01, "black: most negative weight, white: most positive", ha="center", fontsize=7
    )
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)


def feature_maps(
    image: np.ndarray, maps: np.ndarray, path: str | Path, title: str = "feature maps"
) -> Path:
    """One input image next to the feature maps (channels, H, W) a conv layer makes of it."""
    plt = pyplot()
    count = maps.shape[0]
    cols = min(count + 1, 8)
    rows = int(np.ceil((count + 1) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(1.5 * cols, 1.5 * rows + 0.8), squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index == 0:
            ax.imshow(np.squeeze(image), cmap="gray")
            ax.set_title("input", fontsize=8)
        elif index <= count:
            ax.imshow(maps[index - 1], cmap="viridis")
            ax.set_title(f"map {index - 1}", fontsize=8)
    fig.suptitle(title)
    fig.text(0.5, 0.01, "brighter: stronger response of that filter", ha="center", fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)
