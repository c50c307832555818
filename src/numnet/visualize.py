"""Pictures of what a network sees and makes: a CNN's first filters and feature maps,
and grids of images (a generator's samples).

Like `plot`, this needs matplotlib only when a figure is drawn. It imports nothing from
`models` at run time (a model is only a type hint here), so callbacks can draw with it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from numnet import plot
from numnet.autograd.mode import no_grad
from numnet.layers.convolutional import Conv2D

if TYPE_CHECKING:
    from numnet.models.model import Model


def first_conv(model: Model) -> Conv2D:
    """The model's first Conv2D layer (a clear error when it has none)."""
    for layer in model.layers:
        if isinstance(layer, Conv2D):
            return layer
    raise ValueError(f"model {model.name!r} has no Conv2D layer to show")


def first_conv_maps(model: Model, image: np.ndarray) -> np.ndarray:
    """The first Conv2D layer's output for one image, as (channels, H, W)."""
    conv = first_conv(model)
    layers = model.layers
    x = image[None].astype(np.float32)
    with no_grad():
        for layer in layers[: layers.index(conv) + 1]:
            x = layer(x, training=False)
    maps = x.numpy()[0]
    return np.moveaxis(maps, -1, 0) if conv.data_format == "channels_last" else maps


def draw_cnn(model: Model, image: np.ndarray, out_dir: str | Path, label: str) -> list[Path]:
    """Write filters_<label>.png and feature_maps_<label>.png for the model's first conv."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    conv = first_conv(model)
    if not conv.built:
        model.build(image.shape)
    filters = out_dir / f"filters_{label}.png"
    maps = out_dir / f"feature_maps_{label}.png"
    plot.filter_grid(conv.kernel.numpy(), filters, f"{conv.name} filters ({label})")
    activations = first_conv_maps(model, image)
    plot.feature_maps(image, activations, maps, f"{conv.name} feature maps ({label})")
    return [filters, maps]


def image_batch(images: np.ndarray) -> np.ndarray:
    """Images as float32 (N, H, W, C) clipped to [0, 1], from (N, H, W) or (N, H, W, C)
    with C = 1 (grey) or 3 (RGB); any other shape, or no image, is a ValueError."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or len(images) == 0:
        raise ValueError(
            f"expected images of shape (N, H, W), (N, H, W, 1) or (N, H, W, 3) with N >= 1, "
            f"got {images.shape}"
        )
    return np.clip(images, 0.0, 1.0)


def tile_images(
    images: np.ndarray, columns: int | None = None, padding: int = 2, fill: float = 1.0
) -> np.ndarray:
    """The images side by side in rows of `columns` (default: a square-ish ceil(sqrt(N))),
    `padding` pixels of `fill` (white) around each, and empty cells filled the same.

    Returns (rows * (H + padding) + padding, columns * (W + padding) + padding), with a
    last axis of 3 for RGB images; values in [0, 1]."""
    images = image_batch(images)
    count, height, width, channels = images.shape
    columns = columns or math.ceil(math.sqrt(count))
    if columns < 1:
        raise ValueError(f"columns must be a positive integer, got {columns!r}")
    columns = min(columns, count)
    rows = math.ceil(count / columns)
    step_y, step_x = height + padding, width + padding
    grid = np.full(
        (rows * step_y + padding, columns * step_x + padding, channels), fill, images.dtype
    )
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        top, left = padding + row * step_y, padding + column * step_x
        grid[top : top + height, left : left + width] = image
    return grid[..., 0] if channels == 1 else grid


def image_grid(
    images: np.ndarray,
    path: str | Path,
    title: str | None = None,
    columns: int | None = None,
) -> Path:
    """Write the images (see `image_batch`) as one PNG grid, each pixel drawn as a block of
    at least 3x3 screen pixels, with an optional title above; creates the folder."""
    plt = plot.pyplot()
    grid = tile_images(images, columns)
    height, width = grid.shape[:2]
    scale = max(3, math.ceil(300 / width))  # a grid of a few images still fits a title
    title_height = 30 if title else 0
    dpi = 100
    figure_height = height * scale + title_height
    fig = plt.figure(figsize=(width * scale / dpi, figure_height / dpi), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, 1.0, height * scale / figure_height))
    ax.imshow(grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.axis("off")
    if title:
        fig.text(0.5, 1 - title_height / 2 / figure_height, title, ha="center", va="center")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path
