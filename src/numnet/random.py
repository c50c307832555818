"""The one owner of numnet's default random state.

Everything random in numnet (weight initialisation, dropout masks, shuffling) takes an
explicit `numpy.random.Generator`; when none is given it uses `default_rng()`.
`seed(n)` resets that generator, which makes a whole training run reproducible.
"""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng()


def seed(n: int | None) -> None:
    """Reset numnet's default generator so later runs repeat exactly."""
    global _generator
    _generator = np.random.default_rng(n)


def default_rng() -> np.random.Generator:
    """Return numnet's default generator (the one `seed` resets)."""
    return _generator


def resolve(rng: np.random.Generator | int | None) -> np.random.Generator:
    """Return `rng` itself, a new generator seeded with it when it is an int, or the default."""
    if rng is None:
        return _generator
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)
