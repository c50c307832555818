"""Small helpers of the Keras API."""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import random


def set_random_seed(seed: int) -> None:
    """Keras' way to make a run repeat: seeds numnet's default generator."""
    random.seed(seed)


def to_categorical(y: Any, num_classes: int | None = None, dtype: Any = np.float32) -> np.ndarray:
    """One-hot encode integer class labels: shape (..., num_classes)."""
    labels = np.asarray(y)
    if labels.size and labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
        raise ValueError("to_categorical expects integer class labels")
    labels = labels.astype(np.int64)
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"labels must be in [0, {num_classes - 1}], got {labels.min()}..{labels.max()}"
        )
    out = np.zeros((*labels.shape, num_classes), dtype=dtype)
    np.put_along_axis(out, labels[..., None], 1, axis=-1)
    return out
