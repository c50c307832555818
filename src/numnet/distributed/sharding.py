"""Each process's share of every batch, so that K processes take one process's steps.

All processes draw the same batches in the same (shuffled) order; process r keeps the
r-th of K nearly equal contiguous slices of each. Its loss is a mean over its share,
so the step weights its gradient by the share's fraction of the batch, n_r / n, and
the allreduced sum is exactly the gradient of the mean loss over the whole batch:

    sum_r (n_r / n) * (1 / n_r) * sum_{i in share r} grad_i = (1 / n) * sum_i grad_i.

A batch with fewer samples than processes (at most an epoch's last one) is left out by
every process alike: some would have nothing to train on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from numnet.models import data as data_module


def share_bounds(samples: int, rank: int, size: int) -> tuple[int, int]:
    """[start, stop) of process `rank`'s share of `samples`: the first `samples % size`
    processes take one sample more than the others (as numpy.array_split does)."""
    base, extra = divmod(samples, size)
    start = rank * base + min(rank, extra)
    return start, start + base + (rank < extra)


class Shards:
    """This process's share of each batch of `batches`; before yielding a share it sets
    `optimizer.share` to the share's fraction of its batch, for the step that follows.
    `samples` counts the samples this process has taken in the current pass."""

    def __init__(self, batches: Iterable[Any], optimizer: Any) -> None:
        self.batches, self.optimizer = batches, optimizer
        self.rank, self.size = optimizer.world.rank, optimizer.world.size
        self.samples = 0

    def __iter__(self) -> Iterator[Any]:
        self.samples = 0
        for batch in self.batches:
            samples = data_module.num_samples(*data_module.unpack(batch))
            if samples < self.size:
                continue
            start, stop = share_bounds(samples, self.rank, self.size)
            self.optimizer.share = (stop - start) / samples
            self.samples += stop - start
            yield data_module.take(batch, slice(start, stop))
        self.optimizer.share = 1 / self.size  # for steps taken outside fit
