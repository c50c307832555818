"""The set-ups of Andrew Ng's Deep Learning Specialization notebooks, for the tests that
check numnet against the numbers those notebooks print.

Transcribed from the course's helper files: `planar_utils.py` ("Planar data classification
with one hidden layer", Course 1 week 3), `init_utils.py` ("Initialization", Course 2
week 1) and `opt_utils.py` ("Optimization methods", Course 2 week 2). The course seeds
NumPy's global generator (`np.random.seed(s)`, then `np.random.randn`, `permutation`, or
scikit-learn with `random_state=None`, which draws from that same global generator);
`np.random.RandomState(s)` draws the very same numbers without touching global state, so
these helpers use it.

The course keeps samples in columns (X of shape (features, m), W of shape (n_l, n_{l-1}));
numnet keeps them in rows. The helpers return data as (m, features), labels as (m, 1),
and a numnet Dense kernel is the course's W transposed.

Every model ends in a linear layer trained with `BinaryCrossentropy(from_logits=True)`:
its gradient is the course's dZ = (A - Y) / m exactly, even where the sigmoid saturates,
and float64 weights keep the course's float64 arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import sklearn.datasets

from numnet import layers, losses
from numnet.models import Sequential
from numnet.optimizers import Optimizer


def circles() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """init_utils.load_dataset: `np.random.seed(1); make_circles(n_samples=300, noise=.05)`
    for training, `np.random.seed(2); make_circles(n_samples=100, noise=.05)` for testing."""
    x_train, y_train = sklearn.datasets.make_circles(
        n_samples=300, noise=0.05, random_state=np.random.RandomState(1)
    )
    x_test, y_test = sklearn.datasets.make_circles(
        n_samples=100, noise=0.05, random_state=np.random.RandomState(2)
    )
    return x_train, labels(y_train), x_test, labels(y_test)


def moons() -> tuple[np.ndarray, np.ndarray]:
    """opt_utils.load_dataset: `np.random.seed(3); make_moons(n_samples=300, noise=.2)`."""
    x, y = sklearn.datasets.make_moons(
        n_samples=300, noise=0.2, random_state=np.random.RandomState(3)
    )
    return x, labels(y)


def flower() -> tuple[np.ndarray, np.ndarray]:
    """planar_utils.load_planar_dataset: 400 points, two classes of 200 petals,
    t = linspace(j 3.12, (j+1) 3.12) + 0.2 noise, r = 4 sin(4 t) + 0.2 noise,
    x = (r sin t, r cos t), drawn after `np.random.seed(1)` in this order."""
    rs = np.random.RandomState(1)
    m, a = 400, 4
    n = m // 2
    x, y = np.zeros((m, 2)), np.zeros((m, 1))
    for j in range(2):
        index = slice(n * j, n * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rs.randn(n) * 0.2
        r = a * np.sin(4 * t) + rs.randn(n) * 0.2
        x[index] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[index] = j
    return x, y


def labels(y: np.ndarray) -> np.ndarray:
    """The course's (1, m) labels, as numnet's (m, 1) float column."""
    return np.asarray(y, dtype=np.float64).reshape(-1, 1)


def course_weights(
    layers_dims: Sequence[int], seed: int | None, scale: Callable[[int], float]
) -> list[np.ndarray]:
    """W1, W2, ... as the course draws them: `np.random.seed(seed)`, then for l = 1, 2, ...
    `randn(layers_dims[l], layers_dims[l-1]) * scale(l)` (biases are zeros and draw
    nothing). `seed=None` gives the course's zero initialisation."""
    shapes = [(layers_dims[l], layers_dims[l - 1]) for l in range(1, len(layers_dims))]
    if seed is None:
        return [np.zeros(shape) for shape in shapes]
    rs = np.random.RandomState(seed)
    return [rs.randn(*shape) * scale(l) for l, shape in enumerate(shapes, start=1)]


def he_scale(layers_dims: Sequence[int]) -> Callable[[int], float]:
    """The assignments' He factor for layer l: sqrt(2 / layers_dims[l-1])."""
    return lambda l: math.sqrt(2 / layers_dims[l - 1])


def numnet_mlp(weights: Sequence[np.ndarray], hidden: str, optimizer: Optimizer) -> Sequential:
    """A compiled float64 numnet network holding the course's weights: Dense layers with
    activation `hidden`, a linear last layer read as logits, zero biases."""
    dense = [
        layers.Dense(w.shape[0], None if last else hidden, dtype="float64")
        for last, w in zip([False] * (len(weights) - 1) + [True], weights, strict=True)
    ]
    model = Sequential([layers.InputLayer((weights[0].shape[1],), dtype="float64"), *dense])
    model.set_weights([array for w in weights for array in (w.T, np.zeros(w.shape[0]))])
    model.compile(optimizer, loss=losses.BinaryCrossentropy(from_logits=True))
    return model


def course_accuracy(model: Sequential, x: np.ndarray, y: np.ndarray) -> float:
    """The course's predict(): a = sigmoid(z), p = (a > 0.5), mean(p == y)."""
    logits = model.predict(x, batch_size=len(x))
    with np.errstate(over="ignore"):  # exp(-z) = inf is a = 0, as in the course
        probabilities = 1 / (1 + np.exp(-logits))
    return float(np.mean((probabilities > 0.5) == y))


def random_mini_batches(
    x: np.ndarray, y: np.ndarray, mini_batch_size: int, seed: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """opt_utils.random_mini_batches: `np.random.seed(seed); permutation(m)`, then
    consecutive batches of mini_batch_size, the last one smaller."""
    order = np.random.RandomState(seed).permutation(len(x))
    for start in range(0, len(x), mini_batch_size):
        index = order[start : start + mini_batch_size]
        yield x[index], y[index]
