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
    lr_decay: float | None = None  # learning rate multiplied by this after every epoch
    batch_size: int = 128


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


def lenet5() -> Sequential:
    """LeNet-5 (LeCun et al. 1998) with today's ReLU and max pooling in place of its
    sigmoid-like units and trainable subsampling: 6 5x5 convs (padding 2), pool, 16 5x5
    convs, pool, 120, 84, 10."""
    return Sequential(
        [
            layers.Conv2D(6, 5, padding="same", activation="relu", input_shape=(28, 28, 1)),
            layers.MaxPooling2D(2),
            layers.Conv2D(16, 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(120, activation="relu"),
            layers.Dense(84, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def simple_cnn() -> Sequential:
    """SimpleConvNet of "Deep Learning from Scratch" 7.5: conv 30 5x5, ReLU, 2x2 max pool,
    100 hidden ReLU units, 10 classes."""
    return Sequential(
        [
            layers.Conv2D(
                30, 5, activation="relu", input_shape=(28, 28, 1), kernel_initializer="he_normal"
            ),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(100, activation="relu", kernel_initializer="he_normal"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def deep_cnn() -> Sequential:
    """DeepConvNet of "Deep Learning from Scratch" 8.1 (VGG style): 3x3 convs 16-16-pool-
    32-32-pool-64-64-pool, 50 hidden units, dropout 0.5, He initialisation."""
    stack: list[layers.Layer] = []
    for filters in (16, 32, 64):
        for _ in range(2):
            stack.append(
                layers.Conv2D(
                    filters, 3, padding="same", activation="relu", kernel_initializer="he_normal"
                )
            )
        stack.append(layers.MaxPooling2D(2))
    return Sequential(
        [
            layers.Input((28, 28, 1)),
            *stack,
            layers.Flatten(),
            layers.Dense(50, activation="relu", kernel_initializer="he_normal"),
            layers.Dropout(0.5),
            layers.Dense(10),
            layers.Dropout(0.5),
            layers.Activation("softmax"),
        ]
    )


MODELS: dict[str, ZooEntry] = {
    "mlp": ZooEntry(
        mlp, (784,), 4, "784-512-512-10 MLP with dropout, L2 and batch norm (the notes')"
    ),
    "logistic": ZooEntry(logistic, (784,), 4, "softmax regression, 784-10"),
    "shallow": ZooEntry(shallow, (784,), 4, "one hidden layer, 784-100-10"),
    "lenet5": ZooEntry(lenet5, (28, 28, 1), 15, "LeNet-5 with ReLU and max pooling", lr_decay=0.85),
    "simple_cnn": ZooEntry(simple_cnn, (28, 28, 1), 5, "DLFS SimpleConvNet: conv30-pool-100-10"),
    "deep_cnn": ZooEntry(
        deep_cnn,
        (28, 28, 1),
        20,
        "DLFS DeepConvNet: six 3x3 convs, dropout",
        batch_size=100,
        lr_decay=0.9,
    ),
}
