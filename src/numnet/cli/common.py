"""What several subcommands share: the one-line error, argument types, data and models."""

from __future__ import annotations

import argparse
import math
import os
import platform
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


# Errors a user causes (a wrong name, a bad file): their message is the whole story.
EXPECTED_ERRORS = (CommandError, FileNotFoundError, ValueError, ImportError, OSError, TypeError)


def one_line(error: BaseException) -> str:
    """The error's first line; an unexpected kind (MemoryError, KeyError, ...) also says
    what it is and how to see more."""
    lines = str(error).strip().splitlines()
    message = lines[0] if lines else ""
    if isinstance(error, EXPECTED_ERRORS) and message:
        return message
    kind = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return f"{kind} (numnet --debug ... shows the traceback)"


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
    if math.prod(sample_shape) != math.prod(x.shape[1:]):
        raise CommandError(
            f"the model takes samples of shape {tuple(sample_shape)}, which do not hold a "
            f"{'x'.join(map(str, x.shape[1:]))} image"
        )
    return x.reshape(len(x), *sample_shape)


def check_writable(folder: Path) -> None:
    """Create `folder` and make sure a file can be written in it: a CommandError now, not
    after the training has run."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".numnet-write-test-")
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CommandError(f"cannot write to --out {folder}: {reason}") from error


def diverged(history: dict[str, list[float]]) -> str | None:
    """What went wrong when a training diverged (a loss that became NaN or infinite),
    else None."""
    for name, values in history.items():
        if name.endswith("loss") and any(not math.isfinite(v) for v in values):
            epoch = next(i for i, v in enumerate(values) if not math.isfinite(v)) + 1
            return f"{name} became {values[epoch - 1]} at epoch {epoch}"
    return None


def json_safe(value: Any) -> Any:
    """`value` with NumPy numbers as Python ones and NaN or infinities as null, so
    ``json.dumps(..., allow_nan=False)`` writes standard JSON any reader accepts."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def load_built_model(path: str) -> Model:
    """The model saved at `path`; CommandError when the file is missing or it was never
    built (a damaged file is the loader's ModelFileError, which names the field)."""
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
