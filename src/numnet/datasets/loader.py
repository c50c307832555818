"""Mini-batches: a small iterable over (x, y) arrays with seeded shuffling."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from numnet import random


class DataLoader:
    """Iterates over mini-batches ``(x[idx], y[idx])`` of `batch_size` samples.

    With shuffle=True each pass uses a new permutation drawn from `rng` (a numpy
    Generator; when None, numnet's default generator, which `numnet.random.seed` resets),
    so a seeded generator gives the same batches every run. The last batch is smaller
    unless drop_last=True.
    """

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray | None = None,
        batch_size: int = 32,
        shuffle: bool = False,
        rng: np.random.Generator | None = None,
        drop_last: bool = False,
    ) -> None:
        if not isinstance(batch_size, int | np.integer) or batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if y is not None and len(x) != len(y):
            raise ValueError(f"x has {len(x)} samples but y has {len(y)}; they must match")
        self.x, self.y, self.batch_size = x, y, int(batch_size)
        self.shuffle, self.drop_last = shuffle, drop_last
        self.rng = rng

    def __len__(self) -> int:
        n = len(self.x)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, Any]]:
        n = len(self.x)
        # The default generator is looked up at each pass, so seeding after building works.
        rng = self.rng if self.rng is not None else random.default_rng()
        order = rng.permutation(n) if self.shuffle else None
        for i in range(len(self)):
            start, stop = i * self.batch_size, min((i + 1) * self.batch_size, n)
            index: Any = slice(start, stop) if order is None else order[start:stop]
            yield self.x[index], None if self.y is None else self.y[index]
