"""Digit images as the scoring code takes them: (N, 28, 28, 1) float32 in [0, 1].

`as_digit_images` checks and reshapes what a generator (or a caller) hands over;
`mnist_digits` gives real MNIST digits in the same layout; `JitteredBatches` feeds them
to `fit` moved by a pixel or so, which a classifier learns more from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from numnet.datasets import mnist

SHAPES = "(N, 28, 28, 1), (N, 28, 28) or (N, 784)"


def as_digit_images(images: Any) -> np.ndarray:
    """`images` as float32 (N, 28, 28, 1), or a ValueError saying what is wrong.

    Accepted: a real-valued array of shape (N, 28, 28, 1), (N, 28, 28) or (N, 784) with
    N >= 2 and every value finite and in [0, 1] (MNIST's ink scale; a tanh generator's
    output in [-1, 1] must be mapped with (x + 1) / 2 first).
    """
    array = np.asarray(images)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"images must be a real-valued array, got dtype {array.dtype}")
    shape = array.shape
    if shape[1:] not in ((28, 28, 1), (28, 28), (784,)):
        raise ValueError(f"images must have shape {SHAPES}, got {shape}")
    if shape[0] < 2:
        raise ValueError(f"need at least 2 images to score a set, got {shape[0]}")
    array = array.astype(np.float32, copy=False)
    if not np.all(np.isfinite(array)):
        raise ValueError("images contain NaN or infinite values")
    low, high = float(array.min()), float(array.max())
    if low < 0.0 or high > 1.0:
        raise ValueError(
            f"images must lie in [0, 1], got values in [{low:.3g}, {high:.3g}] (divide "
            f"uint8 pixels by 255; map a tanh output with (x + 1) / 2)"
        )
    return array.reshape(len(array), 28, 28, 1)


def mnist_digits(split: str = "test", index: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Real MNIST digits of `split` ('train' or 'test'): images float32 (N, 28, 28, 1) in
    [0, 1] and their uint8 labels (N,); `index` (a slice or positions) picks some, and
    only those are converted."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    train, test = mnist.load_data()
    images, labels = train if split == "train" else test
    if index is not None:
        images, labels = images[index], labels[index]
    return (images[..., None] / np.float32(255)).astype(np.float32), labels


def shift_randomly(images: np.ndarray, rng: np.random.Generator, pixels: int = 1) -> np.ndarray:
    """Each image of (N, H, W, C) moved by its own random offset of up to `pixels` pixels
    along each axis, filling the uncovered border with 0 (MNIST's background)."""
    n, height, width, _ = images.shape
    padded = np.pad(images, ((0, 0), (pixels, pixels), (pixels, pixels), (0, 0)))
    dy, dx = rng.integers(0, 2 * pixels + 1, size=(2, n))
    rows = (dy[:, None] + np.arange(height))[:, :, None]  # (N, H, 1)
    cols = (dx[:, None] + np.arange(width))[:, None, :]  # (N, 1, W)
    return padded[np.arange(n)[:, None, None], rows, cols]


class JitteredBatches:
    """(images, labels) batches for `fit`, in a fresh order each pass, every image moved
    by `shift_randomly`; `rng` draws both, so a seeded generator repeats the run."""

    def __init__(
        self,
        images: np.ndarray,
        labels: np.ndarray,
        batch_size: int,
        rng: np.random.Generator,
        pixels: int = 1,
    ) -> None:
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        self.images, self.labels = images, labels
        self.batch_size, self.rng, self.pixels = batch_size, rng, pixels

    def __len__(self) -> int:
        return -(-len(self.images) // self.batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        order = self.rng.permutation(len(self.images))
        for start in range(0, len(order), self.batch_size):
            index = order[start : start + self.batch_size]
            yield shift_randomly(self.images[index], self.rng, self.pixels), self.labels[index]
