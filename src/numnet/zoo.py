"""Named networks for `numnet train --model NAME`.

Each entry builds an uncompiled Sequential for 28x28 grey images and 10 classes, says
whether it takes flat (784,) vectors or (28, 28, 1) images, and brings its own default
number of epochs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from numnet import layers, regularizers
from numnet.models import Sequential


@dataclass(frozen=True)
class ZooEntry:
    """How to build one named network, and how to feed it."""

    build: Callable[[], Sequential]
    sample_shape: tuple[int, ...]
    epochs: int
    description: str


def mlp() -> Sequential:
    """The notes' MLP: 784-512-512-10, ReLU, dropout 0.2, L2 1e-3 and batch norm on layer 2."""
    return Sequential(
        [
            layers.Dense(512, input_shape=(784,)),
            layers.Activation("relu"),
            layers.Dropout(0.2),
            layers.Dense(512, kernel_regularizer=regularizers.l2(0.001)),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.Dropout(0.2),
            layers.Dense(10),
            layers.Activation("softmax"),
        ]
    )


def logistic() -> Sequential:
    """Softmax regression: one Dense layer from pixels to class probabilities."""
    return Sequential([layers.Dense(10, activation="softmax", input_shape=(784,))])


def shallow() -> Sequential:
    """One hidden layer of 100 ReLU units (the network of DLFS chapter 4, with ReLU)."""
    return Sequential(
        [
            layers.Dense(
                100, activation="relu", input_shape=(784,), kernel_initializer="he_normal"
            ),
            layers.Dense(10, activation="softmax"),
        ]
    )


MODELS: dict[str, ZooEntry] = {
    "mlp": ZooEntry(
        mlp, (784,), 4, "784-512-512-10 MLP with dropout, L2 and batch norm (the notes')"
    ),
    "logistic": ZooEntry(logistic, (784,), 4, "softmax regression, 784-10"),
    "shallow": ZooEntry(shallow, (784,), 4, "one hidden layer, 784-100-10"),
}
