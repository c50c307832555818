"""Data-parallel training over MPI, Horovod's model: K processes, one model each.

    mpiexec -n 2 python train.py          # or: mpiexec -n 2 numnet train --distributed

    import numnet.distributed as dist
    dist.init()                            # join the processes (a world of one without mpiexec)
    model.compile(optimizer=dist.DistributedOptimizer(numnet.optimizers.Adam(1e-3)), ...)
    model.fit(x, y, batch_size=128, seed=0)   # 128 samples a step in all: 64 per process

Under a `DistributedOptimizer`, `fit` starts every process from rank 0's weights, gives
each process its share of every batch of one common shuffled order, averages the
gradients before each update (one allreduce a step), averages the epoch's logs, and
leaves printing and writing files to rank 0, so K processes take the steps one process
takes with the same global `batch_size` (to rounding).

Where they differ from one process, by design:

* Batch normalization uses each process's own share for its batch statistics, and its
  moving averages stay local (Keras' and Horovod's default); rank 0's are the ones
  saved. A model with batch norm is therefore close to, not equal to, one process.
* Dropout and other random layers draw from each process's own generator.
* A batch with fewer samples than processes (an epoch's last one at most) is skipped.
* A gradient that becomes NaN or infinite stops every process with DistributedError,
  where one process's `fit` would stop quietly (TerminateOnNaN).
* Every collective waits at most `init(timeout=...)` seconds (60 by default); then all
  processes stop with an error, rather than wait for a process that died.

Every process must build the same model (checked before the first step) and see the same
data; `fit`'s shuffling is rank 0's, and its `seed` argument makes it repeatable. This
package imports mpi4py only under mpiexec, and `import numnet` never imports it.
"""

from numnet.distributed.callbacks import BroadcastWeights, MetricAverage
from numnet.distributed.launch import current_world, init, launched_by_mpiexec, rank, size
from numnet.distributed.optimizer import DistributedOptimizer
from numnet.distributed.sharding import Shards, share_bounds
from numnet.distributed.world import DistributedError, World

__all__ = [
    "BroadcastWeights",
    "DistributedError",
    "DistributedOptimizer",
    "MetricAverage",
    "Shards",
    "World",
    "current_world",
    "init",
    "launched_by_mpiexec",
    "rank",
    "share_bounds",
    "size",
]
