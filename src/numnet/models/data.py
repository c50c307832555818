"""What `fit`, `evaluate` and `predict` do to the data before a step sees it.

Inputs and targets are arrays or nested lists/dicts of arrays (one per model input or
output). They are checked, cut into a validation part if asked, and served in
mini-batches: ``(x, y)`` when there are targets, ``x`` alone when there are none (what a
custom `train_step` receives as `data`). An object that already yields batches (a
`DataLoader`, a list of batches) is served as it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from numnet import nest


def as_array(data: Any, name: str) -> np.ndarray:
    """`data` as an array of samples (a Tensor's array is used as it is)."""
    array = np.asarray(data)
    if array.ndim == 0:
        raise ValueError(f"{name} must be an array of samples, got a scalar")
    return array


def to_arrays(data: Any, name: str) -> Any:
    """Every leaf of `data` as an array of samples."""
    return None if data is None else nest.map_structure(lambda d: as_array(d, name), data)


def num_samples(x: Any, y: Any = None) -> int:
    """The common number of samples of every array in x and y (a clear error if they differ)."""
    counts = {f"x[{i}]": len(a) for i, a in enumerate(nest.flatten(x))}
    if y is not None:
        counts |= {f"y[{i}]": len(a) for i, a in enumerate(nest.flatten(y))}
    if len(set(counts.values())) > 1:
        if len(counts) == 2 and set(counts) == {"x[0]", "y[0]"}:
            raise ValueError(
                f"x has {counts['x[0]']} samples but y has {counts['y[0]']}; they must match"
            )
        raise ValueError(f"inputs and targets must have the same number of samples: {counts}")
    return next(iter(counts.values()))


def take(data: Any, index: Any) -> Any:
    """The samples `index` (a slice or an index array) of every array in `data`."""
    return None if data is None else nest.map_structure(lambda a: a[index], data)


def split_validation(x: Any, y: Any, fraction: float) -> tuple[Any, Any, tuple[Any, Any]]:
    """Keras' validation_split: the last `fraction` of the samples, before any shuffling."""
    if not 0 <= fraction < 1:
        raise ValueError(f"validation_split must be in [0, 1), got {fraction}")
    total = num_samples(x, y)
    cut = int(total * (1 - fraction))
    if cut == 0 or cut == total:
        left = "no training samples" if cut == 0 else "no validation samples"
        raise ValueError(
            f"validation_split={fraction} of {total} samples leaves {left}; give more samples "
            f"or another split"
        )
    head, tail = slice(0, cut), slice(cut, None)
    return take(x, head), take(y, head), (take(x, tail), take(y, tail))


def check_epochs(epochs: Any, initial_epoch: Any) -> None:
    """A clear error unless both are whole numbers >= 0 (2.5 epochs means nothing)."""
    for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")


def _first_non_finite(array: np.ndarray) -> int | None:
    """The index of the first sample holding NaN or an infinity, or None when all are finite.

    One sum settles the common case without a temporary as large as the data: NaN and
    infinities survive a sum, so a finite sum means finite elements. Only when the sum
    is not finite (a bad value, or an overflow of large ones) are the samples looked at."""
    if array.dtype.kind not in "fc" or array.size == 0:
        return None
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is looked into below
        if np.isfinite(array.sum()):
            return None
    for start in range(0, len(array), 1024):  # in blocks, to keep the temporaries small
        block = array[start : start + 1024].reshape(min(1024, len(array) - start), -1)
        bad = ~np.isfinite(block).all(axis=1)
        if bad.any():
            return start + int(bad.argmax())
    return None  # the sum overflowed, but every element is finite


def check_samples(x: Any, y: Any, source: str | None = None) -> None:
    """A clear ValueError for data `fit`/`evaluate` cannot use: no samples at all, or NaN
    or infinite values (which would turn every weight into NaN at the first step).
    `source` names where the data came from (``validation_data``) in the message."""
    if num_samples(x, y) == 0:
        raise ValueError(f"{source or 'x'} has no samples: fit and evaluate need at least one")
    prefix = f"{source} " if source else ""
    for part, data in (("x", x), ("y", y)):
        leaves = [] if data is None else nest.flatten(data)
        for i, array in enumerate(leaves):
            bad = _first_non_finite(np.asarray(array))
            if bad is not None:
                which = part if len(leaves) == 1 else f"{part}[{i}]"
                raise ValueError(
                    f"{prefix}{which} holds NaN or infinite values (sample {bad} is the "
                    f"first); remove or replace them before training"
                )


def is_batch_source(x: Any) -> bool:
    """True for an object that yields ready-made batches (a DataLoader, a generator...)."""
    if isinstance(x, np.ndarray | list | tuple | dict) or hasattr(x, "__array__"):
        return False
    return hasattr(x, "__iter__")


class Batches:
    """Mini-batches of (x, y), or of x alone when y is None, in a fresh order each pass
    when `shuffle` (drawn from `rng`, so a seeded generator repeats the run)."""

    def __init__(
        self,
        x: Any,
        y: Any = None,
        batch_size: int = 32,
        shuffle: bool = False,
        rng: np.random.Generator | None = None,
    ) -> None:
        if not isinstance(batch_size, int | np.integer) or batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        self.n = num_samples(x, y)
        self.x, self.y, self.batch_size = x, y, int(batch_size)
        self.shuffle, self.rng = shuffle, rng

    def __len__(self) -> int:
        return math.ceil(self.n / self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        order = self.rng.permutation(self.n) if self.shuffle and self.rng is not None else None
        for i in range(len(self)):
            start, stop = i * self.batch_size, min((i + 1) * self.batch_size, self.n)
            index: Any = slice(start, stop) if order is None else order[start:stop]
            xb = take(self.x, index)
            yield xb if self.y is None else (xb, take(self.y, index))


def unpack(data: Any) -> tuple[Any, Any]:
    """(x, y) from a batch as `Batches` yields it: ``(x, y)``, ``(x,)`` or ``x``."""
    if isinstance(data, tuple) and len(data) in (1, 2):
        return data[0], data[1] if len(data) == 2 else None
    return data, None
