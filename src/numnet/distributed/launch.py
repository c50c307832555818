"""Joining the processes mpiexec started: `init()`, `rank()`, `size()`.

`mpiexec -n K python script.py` starts K copies of the same program. Each calls `init()`
and learns its `rank()` (0 to K-1) and the world's `size()` (K). A program started
without mpiexec is a world of one process: the same code then trains alone, and
mpi4py is never imported (so it need not be installed).

The world is process-wide state because MPI itself is: a process joins once, and every
collective operation goes through that one membership.
"""

from __future__ import annotations

import os

from numnet.distributed.world import DEFAULT_TIMEOUT, World

# What launchers put in each process's environment: Open MPI (its own and PMIx's names),
# MPICH and Intel MPI (PMI), MVAPICH. One of them means mpiexec started this process.
LAUNCHER_VARIABLES = ("OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "MV2_COMM_WORLD_SIZE")

_world: World | None = None


def launched_by_mpiexec() -> bool:
    """True when an MPI launcher (mpiexec, mpirun, srun) started this process."""
    return any(name in os.environ for name in LAUNCHER_VARIABLES)


def init(timeout: float = DEFAULT_TIMEOUT) -> World:
    """Join the other processes of mpiexec (the first call) and return the world.

    Outside mpiexec the world is this one process. `timeout` is how many seconds a
    collective operation waits for the other processes before it stops them all with
    an error naming what it waited for (a process that died or hangs); later calls
    may change it. Under mpiexec without mpi4py: ImportError saying what to install.
    """
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    global _world
    if _world is None:
        if launched_by_mpiexec():
            from numnet.distributed.mpi import MPIWorld  # imports mpi4py: only under mpiexec

            _world = MPIWorld(timeout)
        else:
            _world = World(timeout)
    _world.timeout = timeout
    return _world


def current_world() -> World:
    """The world `init()` joined (joining it, with the default timeout, if need be)."""
    return _world if _world is not None else init()


def rank() -> int:
    """This process's number, 0 to size() - 1; rank 0 prints and writes files."""
    return current_world().rank


def size() -> int:
    """How many processes train together (1 without mpiexec)."""
    return current_world().size
