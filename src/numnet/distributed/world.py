"""The world: the processes that train one model together, and what they exchange.

A `World` is the world of one process, where exchanging is doing nothing; `MPIWorld`
(numnet.distributed.mpi) is the world of the K processes of mpiexec. The collective
operations are the few data-parallel training needs: a sum over all processes
(allreduce), rank 0's copy to everyone (broadcast), and everyone's record (allgather).
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np

DEFAULT_TIMEOUT = 60.0


class DistributedError(ValueError):
    """A problem every process detects alike, at the same step, so each one stops there
    and none is left waiting for the others (different models, a diverged gradient)."""


class World:
    """A world of one process, where every collective operation has nothing to do.

    `MPIWorld` is the world of K processes. Each collective takes `what`, a few words
    on what is exchanged ("the gradients of step 12"), for the error a timeout reports.
    """

    rank = 0
    size = 1

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self.wait_seconds = 0.0  # time spent in collectives (the MPI world counts it)

    def allreduce(self, buffer: np.ndarray, what: str) -> None:
        """Replace `buffer` by its sum over all processes, in place."""

    def broadcast(self, buffer: np.ndarray, what: str) -> None:
        """Replace `buffer` by rank 0's, in place."""

    def allgather(self, record: np.ndarray, what: str) -> np.ndarray:
        """Every process's `record` (all of one shape and dtype), stacked in rank order."""
        return record[np.newaxis].copy()

    def broadcast_object(self, value: Any, what: str) -> Any:
        """A copy of rank 0's `value` (anything pickle can carry) on every process."""
        return pickle.loads(pickle.dumps(value))
