"""What several subcommands share: the one-line error, argument types, data and models."""

from __future__ import annotations

import argparse
import platform
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import numnet
from numnet.datasets import fashion_mnist, mnist
from numnet.models import Model, load_model
from numnet.naming import lookup

DATASETS = {"mnist": mnist, "fashion_mnist": fashion_mnist}
CLASS_NAMES = {
    "mnist": [str(i) for i in range(10)],
    "fashion_mnist": list(fashion_mnist.CLASS_NAMES),
}


class CommandError(Exception):
    """A problem to report in one line, without a traceback."""


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a number > 0."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def load_split(dataset: str, split: str, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Images scaled to [0, 1] (float32) and integer labels of the train or test split."""
    module = lookup("dataset", dataset, DATASETS)
    (x_train, y_train), (x_test, y_test) = module.load_data()
    x, y = (x_train, y_train) if split == "train" else (x_test, y_test)
    if limit is not None:
        x, y = x[:limit], y[:limit]
    return x.astype(np.float32) / 255.0, y.astype(np.int64)


def shaped(x: np.ndarray, sample_shape: Sequence[int]) -> np.ndarray:
    """x with each sample reshaped to what the model takes: (784,) or (28, 28, 1)."""
    return x.reshape(len(x), *sample_shape)


def load_built_model(path: str) -> Model:
    """The model saved at `path`; CommandError when the file is missing or it was never built."""
    if not Path(path).exists():
        raise CommandError(f"model file {path} does not exist")
    model = load_model(path)
    if model.sample_shape is None:
        raise CommandError(f"{path} holds a model that was never built (no input shape)")
    return model


def versions() -> dict[str, str]:
    """numnet's, NumPy's and Python's versions."""
    return {
        "numnet": numnet.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
