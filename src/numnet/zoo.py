"""Named networks for `numnet train --model NAME`.

Each entry builds an uncompiled Sequential for 28x28 grey images and 10 classes, says
whether it takes flat (784,) vectors, (28, 28, 1) images or (28, 28) sequences (28 steps
of one 28-pixel row each, for the recurrent networks), and brings its own default number
of epochs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from numnet import layers, regularizers
from numnet.models import Sequential
from numnet.optimizers import Optimizer, schedules


@dataclass(frozen=True)
class ZooEntry:
    """How to build one named network, and how to feed it."""

    build: Callable[[], Sequential]
    sample_shape: tuple[int, ...]
    epochs: int
    description: str
    lr_decay: float | None = None  # learning rate multiplied by this after every epoch
    batch_size: int = 128
    learning_rate: float | None = None  # tuned for Adam (the default --optimizer); --lr wins
    clipnorm: float | None = None  # each gradient's L2 norm is cut to this (Keras' clipnorm)

    def optimizer(
        self, optimizer_cls: type[Optimizer], learning_rate: float, steps_per_epoch: int
    ) -> Optimizer:
        """`optimizer_cls` at `learning_rate` with this entry's recipe: the rate shrinks by
        `lr_decay` after every epoch of `steps_per_epoch` steps, `clipnorm` clips."""
        rate: float | schedules.LearningRateSchedule = learning_rate
        if self.lr_decay:
            rate = schedules.ExponentialDecay(
                learning_rate, steps_per_epoch, self.lr_decay, staircase=True
            )
        return optimizer_cls(learning_rate=rate, clipnorm=self.clipnorm)


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


def row_reader(cell: Callable[[int], layers.Layer], units: int) -> Sequential:
    """A recurrent network that reads an image row by row: 28 steps of 28 pixels into
    `units` units of `cell`, whose last output feeds a 10-way softmax."""
    return Sequential([layers.Input((28, 28)), cell(units), layers.Dense(10, activation="softmax")])


def lstm() -> Sequential:
    """LSTM(128) over the 28 rows, then softmax: the row-by-row MNIST classifier."""
    return row_reader(layers.LSTM, 128)


def gru() -> Sequential:
    """GRU(128) over the 28 rows (Keras 3's reset_after form), then softmax."""
    return row_reader(layers.GRU, 128)


def rnn() -> Sequential:
    """SimpleRNN(128) over the 28 rows, then softmax: the Elman network the LSTM improves on."""
    return row_reader(layers.SimpleRNN, 128)


def row_by_row(build: Callable[[], Sequential], description: str) -> ZooEntry:
    """The recurrent networks' recipe: 4 epochs of Adam at 3e-3, times 0.6 after each
    epoch, batch 128, each gradient's norm clipped to 1 against the exploding steps of BPTT."""
    return ZooEntry(build, (28, 28), 4, description, lr_decay=0.6, learning_rate=3e-3, clipnorm=1.0)


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
    "lstm": row_by_row(lstm, "LSTM(128) reading the image row by row"),
    "gru": row_by_row(gru, "GRU(128) reading the image row by row"),
    "rnn": row_by_row(
        rnn, "SimpleRNN(128) reading the image row by row; short memory, below the LSTM"
    ),
}
