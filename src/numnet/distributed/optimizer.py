"""`DistributedOptimizer`: synchronous data-parallel SGD, Horovod's model (Sergeev and
Del Balso 2018, "Horovod: fast and easy distributed deep learning in TensorFlow").

Every process holds the whole model and computes the gradient of its share of the
batch. Before each update the gradients are summed over the processes with one
allreduce (all of them in one flat buffer: one message per step, not one per weight),
each weighted by its share of the batch, so every process applies the same averaged
gradient with the same optimizer and the weights stay identical everywhere. Before the
first step rank 0's weights are broadcast, after checking that every process holds the
same architecture. Under `fit` it also shares out the batches (`distribute`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import numpy as np

from numnet import optimizers
from numnet.autograd.tensor import Tensor
from numnet.distributed.callbacks import BroadcastWeights, MetricAverage
from numnet.distributed.launch import current_world
from numnet.distributed.sharding import Shards
from numnet.distributed.world import DistributedError, World
from numnet.models import data as data_module
from numnet.optimizers.schedules import LearningRateSchedule


class DistributedOptimizer(optimizers.Optimizer):
    """`optimizer` applied to gradients averaged over all processes of `world` (by
    default the one `numnet.distributed.init()` joins); in a world of one process it is
    `optimizer` itself. Learning rate, step count and saved config are `optimizer`'s.

    `share` is this process's fraction of the samples of the coming step: `fit` sets it
    for each batch; in a loop of your own, where every process takes equal batches, it
    stays 1/size. After `step`, each `param.grad` holds the averaged gradient.
    """

    def __init__(self, optimizer: Any, world: World | None = None) -> None:
        # No Optimizer.__init__: the wrapped optimizer holds the learning rate, the step
        # count and the slots; the properties below read and write them there.
        if isinstance(optimizer, DistributedOptimizer):
            raise ValueError("the optimizer is already a DistributedOptimizer")
        self.optimizer = optimizers.get(optimizer)
        self.world = world if world is not None else current_world()
        self.share = 1 / self.world.size
        self.synchronized = False  # True once every process holds rank 0's weights

    @property
    def learning_rate(self) -> float | LearningRateSchedule:  # type: ignore[override]
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float | LearningRateSchedule) -> None:
        self.optimizer.learning_rate = value

    @property
    def iterations(self) -> int:  # type: ignore[override]
        return self.optimizer.iterations

    def get_config(self) -> dict[str, Any]:
        """The wrapped optimizer's config: what a saved model records."""
        return self.optimizer.get_config()

    def step(self, params: Iterable[Tensor]) -> None:
        """Average the gradients over the processes, then let the optimizer update."""
        params = list(params)
        if self.world.size > 1:
            if not self.synchronized:
                self.synchronize(params)
            self._average_gradients([param for param in params if param.grad is not None])
        self.optimizer.step(params)

    def _average_gradients(self, params: list[Tensor]) -> None:
        """Replace each `param.grad` by the share-weighted sum over the processes."""
        grads = [param.grad for param in params]
        flat = np.concatenate([grad.ravel() for grad in grads])
        flat *= self.share
        step = self.iterations + 1
        self.world.allreduce(flat, f"the gradients of step {step}")
        if not np.isfinite(flat).all():  # every process sees the same sum, so all stop here
            raise DistributedError(
                f"training diverged: the gradient averaged over {self.world.size} processes "
                f"holds NaN or infinite values at step {step}; no process updated its "
                f"weights. Try a smaller learning rate."
            )
        offsets = np.cumsum([grad.size for grad in grads])[:-1]
        for param, grad, part in zip(params, grads, np.split(flat, offsets), strict=True):
            param.grad = part.reshape(grad.shape).astype(grad.dtype, copy=False)

    def synchronize(self, weights: list[Tensor]) -> None:
        """Check that every process holds the same architecture, then give every process
        rank 0's `weights` (initialised elsewhere with other random numbers, or loaded).
        `fit` does it before the first step (`BroadcastWeights`), or at the first step
        for a model that builds its weights on its first batch."""
        records = self.world.allgather(_architecture(weights), "every process's architecture")
        if (records != records[0]).any():
            raise DistributedError(_mismatch(records))
        flat = np.concatenate([weight.data.ravel() for weight in weights])
        self.world.broadcast(flat, "rank 0's weights")
        offsets = np.cumsum([weight.size for weight in weights])[:-1]
        for weight, part in zip(weights, np.split(flat, offsets), strict=True):
            weight.data[...] = part.reshape(weight.shape)
        self.synchronized = True

    def distribute(self, batches: Any, callbacks: Any, verbose: int) -> tuple[Any, list, int]:
        """What `fit` changes under this optimizer: every process starts from rank 0's
        weights (`BroadcastWeights`) and trains on its share of each batch (`Shards`),
        shuffled alike everywhere (rank 0's shuffling generator); the epoch's logs are
        averaged over the processes (`MetricAverage`); and only rank 0 shows progress
        and runs the callbacks that write files."""
        callbacks = list(callbacks or [])
        if self.world.size == 1:
            return batches, callbacks, verbose
        if isinstance(batches, data_module.Batches) and batches.shuffle and batches.rng is not None:
            batches.rng = self.world.broadcast_object(batches.rng, "rank 0's shuffling order")
        if self.world.rank != 0:
            callbacks = [c for c in callbacks if not getattr(c, "writes_files", False)]
            verbose = 0
        shards = Shards(batches, self)
        kept = [BroadcastWeights(self), MetricAverage(self.world, shards), *callbacks]
        return shards, kept, verbose


def _architecture(params: list[Tensor]) -> np.ndarray:
    """A record of the weights' layout: their number, their total size, and a digest of
    every shape and dtype in order (equal records: the same architecture)."""
    layout = ";".join(f"{param.shape}{param.dtype}" for param in params).encode()
    digest = np.frombuffer(hashlib.sha256(layout).digest(), dtype=np.int64)
    return np.array([len(params), sum(param.size for param in params), *digest], np.int64)


def _mismatch(records: np.ndarray) -> str:
    """The error when the processes' architectures differ, naming each one's weights."""
    described = [
        f"rank {rank} has {count} weight arrays ({total:,} numbers)"
        for rank, (count, total) in enumerate(records[:, :2].tolist())
    ]
    return (
        f"the processes hold different model architectures: "
        f"{'; '.join(described)}. Every process must build the same model "
        f"(same layers, units and input shape)."
    )
