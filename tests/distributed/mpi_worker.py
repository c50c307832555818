"""What each process runs in the tests of numnet.distributed (``mpiexec -n 2 python
mpi_worker.py SCENARIO OUT``); also imported by the tests for the same model and data.

Scenarios:
  train     data-parallel fit of a small float64 network; rank 0 writes its weights and
            history to OUT, and every process runs a callback that writes files
  mismatch  rank 1 builds a wider network than rank 0
  raise     rank 1 dies of an exception at its third step
  kill      rank 1 is killed (SIGKILL) at its third step
  nan       rank 1's weights turn NaN at its third step
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

import numpy as np

import numnet
from numnet import callbacks, layers, optimizers, regularizers

# 69 samples in batches of 16: four batches of 16 (8 per process) and a last one of 5
# (3 and 2), which checks the weighting by share size.
SAMPLES, BATCH, EPOCHS, SEED = 69, 16, 3, 0
TIMEOUT = 3.0


def data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Training and validation arrays (float64), the same in every process."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(SAMPLES + 20, 8))
    y = (x[:, :3].sum(axis=1) > 0).astype(np.int64) + (x[:, 3] > 1)
    return x[:SAMPLES], y[:SAMPLES], x[SAMPLES:], y[SAMPLES:]


def network(units: int = 16, seed: int = SEED, built: bool = True) -> numnet.Sequential:
    """A small float64 network with a weight penalty (no dropout, no batch norm: those
    make K processes differ from one by design), its weights drawn with `seed`; with
    `built=False` it has none until its first batch."""
    numnet.random.seed(seed)
    first = {"input_shape": (8,)} if built else {}
    return numnet.Sequential(
        [
            layers.Dense(units, "tanh", kernel_regularizer=regularizers.l2(1e-3), **first),
            layers.Dense(3, "softmax"),
        ],
        dtype="float64",
    )


def fit(model: numnet.Sequential, optimizer: optimizers.Optimizer, **kwargs) -> dict:
    """Compile with `optimizer` and train on `data()`; returns the history."""
    x, y, x_val, y_val = data()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["acc"])
    history = model.fit(
        x, y, batch_size=BATCH, epochs=EPOCHS, validation_data=(x_val, y_val), **kwargs
    )
    return history.history


def train(optimizer: optimizers.Optimizer, rank: int = 0, **kwargs) -> tuple[Any, dict]:
    """The network and its history after `fit`. `rank` changes both the initial weights
    and the generator `fit` shuffles with (no `seed` given): under a DistributedOptimizer
    every process must still start from rank 0's weights and follow rank 0's order."""
    model = network(seed=SEED + rank)
    numnet.random.seed(SEED + 100 + rank)
    return model, fit(model, optimizer, **kwargs)


class RankFile(callbacks.Callback):
    """Writes a file named after the process's rank: only rank 0 should run it."""

    writes_files = True

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def on_train_end(self, logs=None) -> None:
        (self.folder / f"rank{numnet.distributed.rank()}.txt").write_text("ran")


class Fail(callbacks.Callback):
    """Rank 1 fails at the beginning of its third step: `how` is raise, kill or nan."""

    def __init__(self, how: str) -> None:
        self.how = how

    def on_train_batch_begin(self, batch: int, logs=None) -> None:
        if numnet.distributed.rank() != 1 or batch != 2:
            return
        if self.how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if self.how == "nan":
            self.model.weights[0].data[0, 0] = np.nan
            return
        raise RuntimeError("rank 1 fails on purpose")


def main(scenario: str, out: Path) -> int:
    import numnet.distributed as dist

    dist.init(timeout=TIMEOUT)
    optimizer = dist.DistributedOptimizer(optimizers.Adam(1e-2))
    if scenario == "train":
        model, history = train(optimizer, dist.rank(), verbose=1, callbacks=[RankFile(out)])
        np.savez(out / f"weights{dist.rank()}.npz", *model.get_weights())
        if dist.rank() == 0:
            (out / "history.json").write_text(json.dumps(history))
        return 0
    if scenario == "mismatch":  # unbuilt: the architectures are compared at the first step
        model, failures = network(16 if dist.rank() == 0 else 32, built=False), []
    else:
        model, failures = network(), [Fail(scenario)]
    try:
        fit(model, optimizer, verbose=0, seed=SEED, callbacks=failures)
    except dist.DistributedError as error:
        print(f"rank {dist.rank()}: {error}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
