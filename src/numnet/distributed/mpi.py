"""`MPIWorld`: the K processes of mpiexec, and collectives that give up after a timeout.

MPI's blocking collectives wait forever: when one process dies (an exception, a killed
job), the others sit in their next allreduce for good, and a job on many machines hangs
until someone notices. So every collective here is MPI's non-blocking form (Iallreduce,
Ibcast, Iallgather), polled until it completes or `timeout` seconds pass; then this
process prints what it was waiting for and calls MPI_Abort, which ends every process
of the job, the dead one's partners and a hung one alike.
"""

from __future__ import annotations

import pickle
import sys
import time
from typing import Any

import numpy as np

from numnet.distributed.world import World

# Between two polls the process sleeps this long: on a machine with fewer cores than
# processes, busy polling would take the CPU from the very process it is waiting for.
# It costs no more than MPI's blocking wait here (2.7 MB allreduced on one machine).
POLL_SECONDS = 1e-5


def _import_mpi() -> Any:
    """mpi4py's MPI module (importing it joins the processes: MPI_Init)."""
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise ImportError(
            "numnet.distributed: this process was started by mpiexec, but mpi4py is not "
            "installed: pip install 'numnet[distributed]' (mpi4py and Open MPI)"
        ) from error
    return MPI


class MPIWorld(World):
    """The processes of MPI_COMM_WORLD, with collectives bounded by `timeout` seconds."""

    def __init__(self, timeout: float) -> None:
        super().__init__(timeout)
        self.mpi = _import_mpi()
        self.comm = self.mpi.COMM_WORLD
        self.rank, self.size = self.comm.Get_rank(), self.comm.Get_size()

    def allreduce(self, buffer: np.ndarray, what: str) -> None:
        self._wait(self.comm.Iallreduce(self.mpi.IN_PLACE, buffer, op=self.mpi.SUM), what)

    def broadcast(self, buffer: np.ndarray, what: str) -> None:
        self._wait(self.comm.Ibcast(buffer, root=0), what)

    def allgather(self, record: np.ndarray, what: str) -> np.ndarray:
        record = np.ascontiguousarray(record)
        gathered = np.empty((self.size, *record.shape), dtype=record.dtype)
        self._wait(self.comm.Iallgather(record, gathered), what)
        return gathered

    def broadcast_object(self, value: Any, what: str) -> Any:
        # Two broadcasts, since the others cannot know the size of rank 0's bytes.
        data = np.frombuffer(pickle.dumps(value), dtype=np.uint8) if self.rank == 0 else None
        length = np.array([0 if data is None else data.size], dtype=np.int64)
        self.broadcast(length, what)
        buffer = data.copy() if data is not None else np.empty(int(length[0]), dtype=np.uint8)
        self.broadcast(buffer, what)
        return pickle.loads(buffer.tobytes())

    def _wait(self, request: Any, what: str) -> None:
        """Poll `request` until it completes; after `timeout` seconds, stop the job."""
        start = time.perf_counter()
        deadline = start + self.timeout
        while not request.Test():
            if time.perf_counter() > deadline:
                self.abort(
                    f"rank {self.rank} of {self.size} waited {self.timeout:g} s for {what}: "
                    f"another process has died or hangs (its own output may say why)"
                )
            time.sleep(POLL_SECONDS)
        self.wait_seconds += time.perf_counter() - start

    def abort(self, message: str) -> None:
        """Print `message` on stderr and end every process of the job (MPI_Abort)."""
        print(f"numnet.distributed: error: {message}; stopping the job", file=sys.stderr)
        sys.stderr.flush()
        self.comm.Abort(1)
