"""numnet.distributed in one process: sharing out batches, the world of one process
without mpiexec (mpi4py never imported), the optimizer wrapper, and the CLI's errors."""

from __future__ import annotations

import itertools
import subprocess
import sys

import mpi_worker
import numpy as np
import pytest

import numnet.distributed as dist
from numnet import callbacks, cli, optimizers
from numnet.distributed import launch
from numnet.models import data as data_module


@pytest.fixture
def outside_mpiexec(monkeypatch):
    """No launcher in the environment and no world joined yet (restored afterwards)."""
    for name in launch.LAUNCHER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(launch, "_world", None)


class Rank1Of2(dist.World):
    """The world as rank 1 of 2 sees it, for what needs no messages."""

    rank, size = 1, 2


@pytest.mark.parametrize("samples", [2, 5, 16, 17, 128, 129])
@pytest.mark.parametrize("size", [2, 3, 4])
def test_shares_cover_each_batch_once_and_differ_by_at_most_one(samples, size):
    bounds = [dist.share_bounds(samples, rank, size) for rank in range(size)]
    assert bounds[0][0] == 0 and bounds[-1][1] == samples
    assert all(stop == start for (_, stop), (start, _) in itertools.pairwise(bounds))
    lengths = [stop - start for start, stop in bounds]
    assert max(lengths) - min(lengths) <= 1 and lengths == sorted(lengths, reverse=True)


def test_shards_give_this_process_its_slice_and_weight():
    optimizer = dist.DistributedOptimizer(optimizers.SGD(), world=Rank1Of2())
    x, y = np.arange(11.0)[:, None], np.arange(11)
    batches = data_module.Batches(x, y, batch_size=5)  # 5, 5 and a last batch of 1
    shards = dist.Shards(batches, optimizer)
    seen = [(yb.tolist(), optimizer.share) for _, yb in shards]
    # Rank 1 takes the second part of 5 (2 of them, weight 2/5); the batch of one sample
    # is left out by both processes, since one of them would have nothing.
    assert seen == [([3, 4], 0.4), ([8, 9], 0.4)]
    assert shards.samples == 4
    assert optimizer.share == 0.5  # back to 1/size after the pass


def test_only_rank_0_runs_callbacks_that_write_files(tmp_path):
    optimizer = dist.DistributedOptimizer(optimizers.SGD(), world=Rank1Of2())
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "m.npz")
    stopping = callbacks.EarlyStopping()
    csv = callbacks.CSVLogger(tmp_path / "log.csv")
    batches = data_module.Batches(np.zeros((4, 1)), np.zeros(4), 2)
    shards, kept, verbose = optimizer.distribute(batches, [checkpoint, stopping, csv], 1)
    assert isinstance(shards, dist.Shards) and verbose == 0
    assert [type(c) for c in kept] == [
        dist.BroadcastWeights,
        dist.MetricAverage,
        callbacks.EarlyStopping,
    ]


def test_the_optimizer_keeps_the_wrapped_ones_settings():
    adam = optimizers.Adam(0.01)
    wrapped = dist.DistributedOptimizer(adam, world=dist.World())
    wrapped.learning_rate = 0.5  # as LearningRateScheduler does
    assert adam.learning_rate == 0.5 and wrapped.current_learning_rate == 0.5
    assert wrapped.get_config() == adam.get_config()
    with pytest.raises(ValueError, match="already a DistributedOptimizer"):
        dist.DistributedOptimizer(wrapped)


def test_without_mpiexec_it_is_one_process_taking_the_plain_steps(outside_mpiexec):
    assert (dist.rank(), dist.size()) == (0, 1)
    alone, expected = mpi_worker.train(optimizers.Adam(1e-2), verbose=0)
    wrapped, history = mpi_worker.train(dist.DistributedOptimizer(optimizers.Adam(1e-2)), verbose=0)
    assert history == expected
    for got, want in zip(wrapped.get_weights(), alone.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)


def test_import_numnet_never_imports_mpi4py():
    code = (
        "import os, sys\n"
        "for name in ('OMPI_COMM_WORLD_SIZE', 'PMIX_RANK', 'PMI_SIZE', 'MV2_COMM_WORLD_SIZE'):\n"
        "    os.environ.pop(name, None)\n"
        "import numnet, numnet.cli, numnet.distributed\n"
        "numnet.distributed.init()\n"
        "assert 'mpi4py' not in sys.modules, 'mpi4py was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_under_mpiexec_without_mpi4py_init_says_what_to_install(outside_mpiexec, monkeypatch):
    monkeypatch.setenv("OMPI_COMM_WORLD_SIZE", "2")  # as mpiexec sets it
    monkeypatch.setitem(sys.modules, "mpi4py", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"mpi4py is not installed: pip install"):
        dist.init()


def test_init_refuses_a_timeout_that_is_not_positive(outside_mpiexec):
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        dist.init(timeout=0)


def test_train_distributed_outside_mpiexec_is_one_clear_line(outside_mpiexec, capsys):
    assert cli.main(["train", "--distributed", "--epochs", "1"]) == 1
    error = capsys.readouterr().err.strip()
    assert error == (
        "numnet train: error: --distributed trains in the processes mpiexec starts: "
        "mpiexec -n 2 numnet train --distributed ..."
    )


def test_train_distributed_without_mpi4py_is_one_clear_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "mpi4py", None)  # as if it were not installed
    assert cli.main(["train", "--distributed", "--epochs", "1"]) == 1
    error = capsys.readouterr().err.strip()
    assert error == (
        "numnet train: error: --distributed needs mpi4py and an MPI: "
        "pip install 'numnet[distributed]'"
    )
