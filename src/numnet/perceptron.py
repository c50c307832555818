"""Perceptrons, the first chapter of "Deep Learning from Scratch".

A perceptron outputs 1 when w . x + b > 0 and 0 otherwise. AND, NAND and OR are single
perceptrons with hand-set weights; XOR is not linearly separable, so it takes two layers
of them: XOR(a, b) = AND(NAND(a, b), OR(a, b)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from numnet import random


def _fire(x: Sequence[float], w: Sequence[float], b: float) -> int:
    return int(np.dot(np.asarray(x, dtype=np.float64), w) + b > 0)


def AND(x1: float, x2: float) -> int:
    """1 only when both inputs are 1 (w = (0.5, 0.5), b = -0.7)."""
    return _fire((x1, x2), (0.5, 0.5), -0.7)


def NAND(x1: float, x2: float) -> int:
    """0 only when both inputs are 1 (w = (-0.5, -0.5), b = 0.7)."""
    return _fire((x1, x2), (-0.5, -0.5), 0.7)


def OR(x1: float, x2: float) -> int:
    """1 when either input is 1 (w = (0.5, 0.5), b = -0.2)."""
    return _fire((x1, x2), (0.5, 0.5), -0.2)


def XOR(x1: float, x2: float) -> int:
    """1 when exactly one input is 1: a two-layer perceptron, AND(NAND, OR)."""
    return AND(NAND(x1, x2), OR(x1, x2))


GATE_INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float64)


@dataclass
class Perceptron:
    """A single perceptron trained with Rosenblatt's rule: w += lr * (t - y) * x.

    The rule converges whenever the classes are linearly separable (the perceptron
    convergence theorem) and never settles for XOR, which is not.
    """

    n_inputs: int = 2
    learning_rate: float = 0.1
    rng: np.random.Generator = field(default_factory=random.default_rng)

    def __post_init__(self) -> None:
        if self.learning_rate <= 0:
            raise ValueError(f"learning_rate must be positive, got {self.learning_rate}")
        self.w = self.rng.normal(0.0, 0.01, self.n_inputs)
        self.b = 0.0
        self.converged = False
        self.epochs_run = 0

    def predict(self, x: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
        """0/1 output for each row of x."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        return (x @ self.w + self.b > 0).astype(int)

    def fit(self, x: np.ndarray, t: np.ndarray, max_epochs: int = 100) -> Perceptron:
        """Apply the perceptron rule until every sample is right or `max_epochs` pass.

        Sets `converged` (True when an epoch made no mistake) and `epochs_run`.
        """
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        t = np.asarray(t).astype(int).ravel()
        if x.shape != (len(t), self.n_inputs):
            raise ValueError(f"expected x of shape ({len(t)}, {self.n_inputs}), got {x.shape}")
        self.converged = False
        for epoch in range(1, max_epochs + 1):
            mistakes = 0
            for xi, ti in zip(x, t, strict=True):
                error = ti - int(xi @ self.w + self.b > 0)
                if error:
                    self.w += self.learning_rate * error * xi
                    self.b += self.learning_rate * error
                    mistakes += 1
            self.epochs_run = epoch
            if mistakes == 0:
                self.converged = True
                break
        return self


def learn_gate(truth_table: Sequence[int], max_epochs: int = 100, seed: int = 0) -> Perceptron:
    """Train a Perceptron on a 2-input gate given its outputs for (0,0), (1,0), (0,1), (1,1)."""
    perceptron = Perceptron(rng=np.random.default_rng(seed))
    return perceptron.fit(GATE_INPUTS, np.asarray(truth_table), max_epochs=max_epochs)
