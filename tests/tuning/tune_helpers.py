"""What the tuning tests share: tiny searches that finish in a second or two."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Two epochs on 300 MNIST images (270 to fit, 30 held out), in small networks.
FAST = [
    "--epochs", "2", "--train-limit", "300",
    "--space", "units=16:32", "--space", "layers=1:2", "--space", "batch_size=32,64",
]  # fmt: skip


def worker_env() -> dict[str, str]:
    """The environment of a `numnet tune` subprocess: one BLAS thread, no display."""
    return {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def start_worker(*argv: str, log: Path) -> subprocess.Popen:
    """`numnet tune ARGV...` in its own process, stdout and stderr into the file `log`."""
    with log.open("w") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "numnet.cli", "tune", *argv],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=worker_env(),
        )


def finish(workers: list[subprocess.Popen], logs: list[Path], timeout: float = 120) -> list[str]:
    """Wait for every worker; each must exit 0. Returns their outputs."""
    outputs = []
    for worker, log in zip(workers, logs, strict=True):
        worker.wait(timeout=timeout)
        output = log.read_text()
        assert worker.returncode == 0, output
        outputs.append(output)
    return outputs


def reported_trials(output: str) -> list[int]:
    """The numbers of the trials a worker printed a line for ("Trial 3: ...")."""
    return [
        int(line.split()[1].rstrip(":"))
        for line in output.splitlines()
        if line.startswith("Trial ")
    ]
