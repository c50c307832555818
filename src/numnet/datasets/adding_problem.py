"""The adding problem: a test of long-range memory for recurrent networks.

Hochreiter & Schmidhuber (1997) posed it; this is the form of Le, Jaitly & Hinton (2015),
"A Simple Way to Initialize Recurrent Networks of Rectified Linear Units". Each sequence
has two channels: a value drawn uniformly from [0, 1), and a marker that is 0 everywhere
but at two steps, one in each half of the sequence. The target is the sum of the two
marked values, so the network must remember the first one across up to `length` steps.

The sum of two independent U(0, 1) values has mean 1 and variance 2/12, so a network that
always predicts 1 scores a mean squared error of 1/6 ≈ 0.167: the baseline to beat.
"""

from __future__ import annotations

import numpy as np


def adding_problem(
    n_samples: int, length: int, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`n_samples` sequences of `length` steps for the adding problem.

    Returns ``(x, y)``: x of shape (n_samples, length, 2), float32, with the values in
    ``x[..., 0]`` and the markers in ``x[..., 1]``; y of shape (n_samples,), float32, the
    sum of the two marked values. The first marker lies in steps [0, length // 2), the
    second in [length // 2, length). The same `seed` gives the same arrays; nothing touches
    a global random state.
    """
    _check_integer("n_samples", n_samples, minimum=1)
    _check_integer("length", length, minimum=2)
    rng = np.random.default_rng(seed)
    half = length // 2
    values = rng.random((n_samples, length), dtype=np.float32)
    first = rng.integers(0, half, size=n_samples)
    second = rng.integers(half, length, size=n_samples)
    rows = np.arange(n_samples)
    markers = np.zeros((n_samples, length), dtype=np.float32)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1)
    y = values[rows, first] + values[rows, second]
    return x, y


def _check_integer(name: str, value: int, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
