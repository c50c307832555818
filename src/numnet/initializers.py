"""Weight initialisers: why not zeros (symmetry), the 0.01 trick, Xavier and He.

Each initialiser is called as ``init(shape, dtype, rng)``. Fans follow numnet's weight
layouts: Dense kernels are (in, out); convolution kernels are (out, in, kh, kw), whose
fan-in is in * kh * kw. Normal variants draw from a plain (untruncated) normal, as the
papers and "Deep Learning from Scratch" do.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import random
from numnet.naming import lookup

Shape = tuple[int, ...]


def fans(shape: Shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of this shape."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[2:]))
    return shape[1] * receptive, shape[0] * receptive


class Initializer:
    """Base class: a callable that returns a new weight array."""

    def __call__(self, shape: Shape, dtype: Any = np.float32, rng: Any = None) -> np.ndarray:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, for saving."""
        return dict(vars(self))


class Zeros(Initializer):
    """All zeros: fine for biases; for weights every unit would stay identical."""

    def __call__(self, shape: Shape, dtype: Any = np.float32, rng: Any = None) -> np.ndarray:
        return np.zeros(shape, dtype=dtype)


class Ones(Initializer):
    """All ones (batch-norm scales)."""

    def __call__(self, shape: Shape, dtype: Any = np.float32, rng: Any = None) -> np.ndarray:
        return np.ones(shape, dtype=dtype)


class Constant(Initializer):
    """Every element equal to `value`."""

    def __init__(self, value: float = 0.0) -> None:
        self.value = value

    def __call__(self, shape: Shape, dtype: Any = np.float32, rng: Any = None) -> np.ndarray:
        return np.full(shape, self.value, dtype=dtype)


class RandomNormal(Initializer):
    """Normal(mean, stddev); stddev 0.01 is the course's "small random numbers" trick."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.01) -> None:
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape: Shape, dtype: Any = np.float32, rng: Any = None) -> np.ndarray:
        return random.resolve(rng).normal(self.mean, self.stddev, shape).astype(dtype)


class RandomUniform(Initializer):
    """Uniform(minval, maxval)."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05) -> None:
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape: Shape, dtype: Any = np.float32, rng: Any = None) -> np.ndarray:
        return random.resolve(rng).uniform(self.minval, self.maxval, shape).astype(dtype)


class Orthogonal(Initializer):
    """A random orthogonal matrix times `gain` (Saxe, McClelland & Ganguli 2014): the
    default for recurrent kernels, whose repeated products then neither blow up nor die
    out at the start of training.

    The weight is read as a matrix of rows = prod(shape[:-1]) and cols = shape[-1]. Take
    A ~ Normal(0, 1) of shape (max, min) of the two, factor A = QR, and flip the sign of
    each column of Q by the sign of R's diagonal so that Q is uniformly distributed (Haar)
    rather than biased by the factorisation's sign convention. Q has orthonormal columns;
    transposed when rows < cols, the result has orthonormal rows.
    """

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def __call__(self, shape: Shape, dtype: Any = np.float32, rng: Any = None) -> np.ndarray:
        if len(shape) < 2:
            raise ValueError(
                f"the orthogonal initializer needs a shape of 2 or more axes, got {shape}"
            )
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        a = random.resolve(rng).normal(0.0, 1.0, (max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))  # sign(0) would zero a column; R's diagonal is nonzero a.s.
        if rows < cols:
            q = q.T
        return (self.gain * q).reshape(shape).astype(dtype)


class VarianceScaling(Initializer):
    """Variance scale / fan, drawn from a normal or a uniform of that variance.

    fan is fan_in, fan_out or their average ("fan_avg").
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "normal"):
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"mode must be fan_in, fan_out or fan_avg, got {mode!r}")
        if distribution not in ("normal", "uniform"):
            raise ValueError(f"distribution must be normal or uniform, got {distribution!r}")
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape: Shape, dtype: Any = np.float32, rng: Any = None) -> np.ndarray:
        fan_in, fan_out = fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(fan, 1)
        if self.distribution == "normal":
            return random.resolve(rng).normal(0.0, np.sqrt(variance), shape).astype(dtype)
        limit = np.sqrt(3 * variance)
        return random.resolve(rng).uniform(-limit, limit, shape).astype(dtype)


class GlorotUniform(VarianceScaling):
    """Xavier/Glorot uniform (Glorot & Bengio 2010): U(±sqrt(6 / (fan_in + fan_out)))."""

    def __init__(self) -> None:
        super().__init__(1.0, "fan_avg", "uniform")

    def get_config(self) -> dict[str, Any]:
        return {}


class GlorotNormal(VarianceScaling):
    """Xavier/Glorot normal: std sqrt(2 / (fan_in + fan_out)), for sigmoid and tanh."""

    def __init__(self) -> None:
        super().__init__(1.0, "fan_avg", "normal")

    def get_config(self) -> dict[str, Any]:
        return {}


class HeNormal(VarianceScaling):
    """He normal (He et al. 2015): std sqrt(2 / fan_in), for ReLU."""

    def __init__(self) -> None:
        super().__init__(2.0, "fan_in", "normal")

    def get_config(self) -> dict[str, Any]:
        return {}


class HeUniform(VarianceScaling):
    """He uniform: U(±sqrt(6 / fan_in))."""

    def __init__(self) -> None:
        super().__init__(2.0, "fan_in", "uniform")

    def get_config(self) -> dict[str, Any]:
        return {}


class LecunNormal(VarianceScaling):
    """LeCun normal: std sqrt(1 / fan_in) (the "Xavier" of Deep Learning from Scratch)."""

    def __init__(self) -> None:
        super().__init__(1.0, "fan_in", "normal")

    def get_config(self) -> dict[str, Any]:
        return {}


# Keras spells the same classes in lowercase too: initializers.he_normal().
zeros = Zeros
ones = Ones
constant = Constant
random_normal = RandomNormal
random_uniform = RandomUniform
orthogonal = Orthogonal
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal

INITIALIZERS: dict[str, type[Initializer]] = {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "uniform": RandomUniform,  # Keras' alias: U(-0.05, 0.05), Embedding's default
    "orthogonal": Orthogonal,
    "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "xavier_uniform": GlorotUniform,
    "xavier_normal": GlorotNormal,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "lecun_normal": LecunNormal,
}


def get(identifier: str | Initializer | dict[str, Any]) -> Initializer:
    """Resolve a name, a saved config dict or an Initializer into an Initializer."""
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, dict):
        cls = lookup("initializer", identifier["class_name"], _BY_CLASS_NAME)
        return cls(**identifier.get("config", {}))
    if callable(identifier):
        raise TypeError("initializers must be Initializer instances or names")
    return lookup("initializer", identifier, INITIALIZERS)()


def serialize(initializer: Initializer) -> dict[str, Any]:
    """A JSON-able description that `get` turns back into the same initializer."""
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


_BY_CLASS_NAME = {cls.__name__.lower(): cls for cls in INITIALIZERS.values()}
