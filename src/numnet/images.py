"""Turning a photo or drawing of a digit into an MNIST-style 28x28 input (needs Pillow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def _pillow() -> Any:
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError("reading images needs Pillow: pip install 'numnet[plot]'") from error
    return Image


def to_mnist(grey: np.ndarray) -> np.ndarray:
    """A grey image (any size, 0-255) as MNIST has it, float32 in [0, 1].

    Dark ink on a light background is inverted to MNIST's white on black. A 28x28 image
    is taken as it is; any other is normalised the way MNIST was made: the ink's bounding
    box scaled into 20x20, then placed in 28x28 with its centre of mass in the middle.
    """
    grey = grey.astype(np.float32)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    if border.mean() > 127:
        grey = 255 - grey
    if grey.shape == (28, 28):
        return grey / 255.0
    ink = np.argwhere(grey > 0.2 * grey.max()) if grey.max() > 0 else np.empty((0, 2))
    if len(ink):
        (top, left), (bottom, right) = ink.min(0), ink.max(0) + 1
        grey = grey[top:bottom, left:right]
    height, width = grey.shape
    scale = 20 / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = _pillow().fromarray(grey.astype(np.uint8)).resize(size, _pillow().LANCZOS)
    small = np.asarray(image, dtype=np.float32)
    canvas = np.zeros((28, 28), dtype=np.float32)
    total = small.sum() or 1.0
    rows, cols = np.indices(small.shape)
    centre = (rows * small).sum() / total, (cols * small).sum() / total
    top = int(np.clip(round(14 - centre[0]), 0, 28 - size[1]))
    left = int(np.clip(round(14 - centre[1]), 0, 28 - size[0]))
    canvas[top : top + size[1], left : left + size[0]] = small
    return canvas / 255.0


def read_digit(path: str | Path) -> np.ndarray:
    """Read a PNG/JPEG (colour or grey, any size) as a 28x28 float32 MNIST-style image."""
    Image = _pillow()
    path = Path(path)
    try:
        with Image.open(path) as image:
            grey = np.asarray(image.convert("L"))
    except FileNotFoundError as error:
        raise FileNotFoundError(f"image {path} does not exist") from error
    except (OSError, ValueError) as error:  # Pillow's UnidentifiedImageError is an OSError
        raise ValueError(f"{path} is not a readable image (PNG or JPEG expected)") from error
    return to_mnist(grey)
