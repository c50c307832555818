"""Fixtures of the tuning tests: a small MNIST subset and the CLI run in-process."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from numnet import cli
from numnet.datasets import mnist


@pytest.fixture(scope="session")
def mnist_small() -> tuple[np.ndarray, np.ndarray]:
    """The first 400 MNIST training images, flat and scaled to [0, 1], with their labels."""
    (x, y), _ = mnist.load_data()
    return (x[:400].reshape(400, 784) / 255).astype(np.float32), y[:400].astype(np.int64)


@pytest.fixture
def tune(capsys) -> Callable[..., tuple[int, str, str]]:
    """Run ``numnet tune ARGV...`` in this process: (exit status, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        status = cli.main(["tune", *argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run
