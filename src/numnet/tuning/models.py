"""The network and the optimizer a drawn configuration describes.

For ``mlp`` the configuration shapes the network: the notes' MLP (Dense, activation,
dropout, with an L2 penalty on the kernels) with `layers` hidden layers of `units` each.
Every other network of numnet.zoo is built as the zoo builds it, with its own recipe
(learning-rate decay, gradient clipping), and only its training is drawn.
"""

from __future__ import annotations

from typing import Any

from numnet import layers, regularizers, zoo
from numnet.models import Sequential
from numnet.naming import lookup
from numnet.optimizers import OPTIMIZERS, Optimizer


def searched_mlp(config: dict[str, Any]) -> Sequential:
    """784 inputs, then `layers` times Dense(`units`) with an L2 penalty of
    `weight_decay` on its kernel, `activation` and Dropout(`dropout`), then a 10-way
    softmax: the shape of the notes' MLP (784-512-512-10, ReLU, dropout 0.2, L2)."""
    stack: list[layers.Layer] = [layers.Input((784,))]
    for _ in range(config["layers"]):
        penalty = regularizers.l2(config["weight_decay"])
        stack.append(layers.Dense(config["units"], kernel_regularizer=penalty))
        stack.append(layers.Activation(config["activation"]))
        if config["dropout"] > 0:
            stack.append(layers.Dropout(config["dropout"]))
    stack.append(layers.Dense(10, activation="softmax"))
    return Sequential(stack)


def make_optimizer(config: dict[str, Any], entry: zoo.ZooEntry, steps_per_epoch: int) -> Optimizer:
    """The drawn optimizer at the drawn learning rate, decayed each epoch and clipped as
    the zoo entry's recipe says (as `numnet train` does)."""
    optimizer_cls = lookup("optimizer", config["optimizer"], OPTIMIZERS)
    return entry.optimizer(optimizer_cls, config["learning_rate"], steps_per_epoch)


def build_model(model: str, config: dict[str, Any], train_samples: int) -> Sequential:
    """The compiled network `config` describes for zoo model `model`, ready to `fit` on
    `train_samples` images in batches of ``config['batch_size']``."""
    entry = lookup("model", model, zoo.MODELS)
    network = searched_mlp(config) if model.lower() == "mlp" else entry.build()
    steps_per_epoch = -(-train_samples // config["batch_size"])
    network.compile(
        optimizer=make_optimizer(config, entry, steps_per_epoch),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return network
