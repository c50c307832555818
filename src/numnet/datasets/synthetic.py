"""Synthetic 2-D classification sets for small demos and decision-boundary plots.

Each returns ``(X, y)``: float32 points of shape (n_samples, 2) and int64 labels. `seed`
makes the set reproducible; nothing touches a global random state.
"""

from __future__ import annotations

import numpy as np

Dataset = tuple[np.ndarray, np.ndarray]


def _check(n_samples: int, noise: float) -> None:
    if not isinstance(n_samples, int | np.integer) or n_samples < 2:
        raise ValueError(f"n_samples must be an integer >= 2, got {n_samples!r}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")


def _finish(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> Dataset:
    order = rng.permutation(len(y))
    return x[order].astype(np.float32), y[order].astype(np.int64)


def make_xor(n_samples: int = 200, noise: float = 0.1, seed: int | None = None) -> Dataset:
    """Four clusters at the corners of a square; label 1 where exactly one coordinate is
    positive (XOR of the signs): not linearly separable."""
    _check(n_samples, noise)
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n_samples, 2))
    x = (2 * corners - 1) * 0.5 + rng.normal(0, noise, (n_samples, 2))
    return _finish(x, corners[:, 0] ^ corners[:, 1], rng)


def make_moons(n_samples: int = 200, noise: float = 0.1, seed: int | None = None) -> Dataset:
    """Two interleaving half circles (as scikit-learn's make_moons)."""
    _check(n_samples, noise)
    rng = np.random.default_rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    outer = np.c_[np.cos(t_out), np.sin(t_out)]
    inner = np.c_[1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]
    x = np.vstack([outer, inner]) + rng.normal(0, noise, (n_samples, 2))
    return _finish(x, np.r_[np.zeros(n_out), np.ones(n_in)], rng)


def make_circles(
    n_samples: int = 200, noise: float = 0.05, seed: int | None = None, factor: float = 0.5
) -> Dataset:
    """A small circle (label 1) inside a large one (label 0)."""
    _check(n_samples, noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor}")
    rng = np.random.default_rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    x = np.vstack([np.c_[np.cos(t_out), np.sin(t_out)], factor * np.c_[np.cos(t_in), np.sin(t_in)]])
    x += rng.normal(0, noise, (n_samples, 2))
    return _finish(x, np.r_[np.zeros(n_out), np.ones(n_in)], rng)


def make_spirals(
    n_samples: int = 300, noise: float = 0.2, seed: int | None = None, n_classes: int = 3
) -> Dataset:
    """Interleaved spiral arms, one class per arm (the CS231n spiral set)."""
    _check(n_samples, noise)
    rng = np.random.default_rng(seed)
    per_class = np.array_split(np.arange(n_samples), n_classes)
    x = np.zeros((n_samples, 2))
    y = np.zeros(n_samples)
    for label, index in enumerate(per_class):
        r = np.linspace(0.0, 1.0, len(index))
        t = np.linspace(label * 4, (label + 1) * 4, len(index)) + rng.normal(0, noise, len(index))
        x[index] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[index] = label
    return _finish(x, y, rng)


def make_planar(n_samples: int = 400, noise: float = 0.2, seed: int | None = None) -> Dataset:
    """The "flower" of the course's week 3: two classes of petals, r = 4 sin(4 t)."""
    _check(n_samples, noise)
    rng = np.random.default_rng(seed)
    halves = np.array_split(np.arange(n_samples), 2)
    x = np.zeros((n_samples, 2))
    y = np.zeros(n_samples)
    for label, index in enumerate(halves):
        n = len(index)
        t = np.linspace(label * 3.12, (label + 1) * 3.12, n) + rng.normal(0, noise, n)
        r = 4 * np.sin(4 * t) + rng.normal(0, noise, n)
        x[index] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[index] = label
    return _finish(x, y, rng)
