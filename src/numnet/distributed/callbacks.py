"""The callbacks that keep the processes of a distributed `fit` in step.

`BroadcastWeights` gives every process rank 0's weights before the first step (Horovod's
BroadcastGlobalVariablesCallback): each process initialised its weights with its own
random numbers, or only one of them loaded a checkpoint.

`MetricAverage` makes one set of epoch logs for all processes (Horovod's
MetricAverageCallback). Each process measures its running loss and metrics on its own
shares of the batches, and batch normalization's moving statistics make even
validation scores differ a little between processes. Callbacks that decide from the
logs (EarlyStopping, a checkpoint kept when the score improves) must decide alike
everywhere, or one process stops while the others wait for it. So, first of the
epoch-end hooks, the logs are replaced by their mean over the processes, weighted by
the samples each one trained on: the running means are means over samples, so this is
one process's value over them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from numnet.distributed.world import World
from numnet.models.callbacks import Callback, Logs

if TYPE_CHECKING:
    from numnet.distributed.optimizer import DistributedOptimizer


class BroadcastWeights(Callback):
    """At the start of training, every weight of the model (running statistics too) is
    set to rank 0's through `optimizer` (once). A model that builds its weights on its
    first batch has none yet: the optimizer then does it at the first step."""

    def __init__(self, optimizer: DistributedOptimizer) -> None:
        self.optimizer = optimizer

    def on_train_begin(self, logs: Logs | None = None) -> None:
        if not self.optimizer.synchronized and self.model.weights:
            self.optimizer.synchronize(self.model.weights)


class MetricAverage(Callback):
    """Replaces every value of the epoch's logs by its mean over the processes of
    `world`, weighted by `shards.samples` (the `Shards` this process trained on), or
    plain without `shards`."""

    def __init__(self, world: World, shards: Any = None) -> None:
        self.world, self.shards = world, shards

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if not logs or self.world.size == 1:
            return
        names = sorted(logs)  # the same order on every process
        weight = 1.0 if self.shards is None else float(self.shards.samples)
        values = np.array([weight, *(weight * logs[name] for name in names)])
        self.world.allreduce(values, f"the logs of epoch {epoch + 1}")
        logs.update(zip(names, (values[1:] / values[0]).tolist(), strict=True))
