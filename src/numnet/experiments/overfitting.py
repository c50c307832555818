"""Overfitting and its cures ("Deep Learning from Scratch" 6.4): a 7-layer network on only
300 MNIST images memorises them (train accuracy 100%, test far lower); L2 weight decay
and dropout narrow the gap between training and test accuracy."""

from __future__ import annotations

from pathlib import Path

import numnet
from numnet import layers, optimizers, plot, regularizers
from numnet.experiments.common import Figure, Result, finish, mnist_subset, prepare, save_figure
from numnet.models import Sequential
from numnet.models.callbacks import Callback

NAME = "overfitting"


def network(l2: float = 0.0, dropout: float = 0.0) -> Sequential:
    """6 hidden layers of 100 ReLU units."""
    stack: list[layers.Layer] = [layers.Input((784,))]
    for _ in range(6):
        stack.append(layers.Dense(100, activation="relu", kernel_initializer="he_normal",
                                  kernel_regularizer=regularizers.l2(l2) if l2 else None))  # fmt: skip
        if dropout:
            stack.append(layers.Dropout(dropout))
    stack.append(
        layers.Dense(
            10, activation="softmax", kernel_regularizer=regularizers.l2(l2) if l2 else None
        )
    )
    return Sequential(stack)


class TrainAccuracy(Callback):
    """Accuracy on the training images after each epoch, in inference mode (dropout off),
    as the book measures it: fit's own "accuracy" is a running mean over the epoch's
    batches with dropout on, which puts a dropout network's train curve below its test
    curve."""

    def __init__(self, x, y) -> None:
        self.x, self.y, self.values = x, y, []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.values.append(self.model.evaluate(self.x, self.y, batch_size=len(self.x))[1])


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when the plain network's train-test gap is at least 10 points and both weight
    decay and dropout end with a smaller gap."""
    plain = numbers["none"]["gap"]
    holds = plain >= 0.1 and all(
        numbers[name]["gap"] < plain for name in ("L2 weight decay 0.05", "dropout 0.2")
    )
    l2, dropout = numbers["L2 weight decay 0.05"]["gap"], numbers["dropout 0.2"]["gap"]
    text = (
        f"with 300 images the train-test gap is large ({plain:.0%} without a cure); weight "
        f"decay ({l2:.0%}) and dropout ({dropout:.0%}) shrink it"
    )
    return text, holds


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train the same network plainly, with weight decay, and with dropout."""
    (x, y), (xt, yt) = mnist_subset(300, 2000 if quick else 10000, seed)
    epochs = 60 if quick else 200
    settings = {
        "none": network(),
        "L2 weight decay 0.05": network(l2=0.05),
        "dropout 0.2": network(dropout=0.2),
    }
    histories, gaps = {}, {}
    for name, model in settings.items():
        numnet.random.seed(seed)
        model.compile(
            optimizer=optimizers.SGD(0.01),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        train_accuracy = TrainAccuracy(x, y)
        histories[name] = model.fit(x, y, epochs=epochs, batch_size=100, verbose=0, validation_data=(xt, yt),
                                    seed=seed, callbacks=[train_accuracy]).history  # fmt: skip
        histories[name]["train_accuracy"] = train_accuracy.values
        gaps[name] = {
            "train": train_accuracy.values[-1],
            "test": histories[name]["val_accuracy"][-1],
        }
        gaps[name]["gap"] = gaps[name]["train"] - gaps[name]["test"]
    return {"numbers": gaps, "histories": histories}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """overfitting.png: train and test accuracy per epoch, one panel per setting."""
    plt = plot.pyplot()
    histories, gaps = measured["histories"], measured["numbers"]
    fig, axes = plt.subplots(1, len(histories), figsize=(5 * len(histories), 4), sharey=True)
    for ax, (name, history) in zip(axes, histories.items(), strict=True):
        ax.plot(history["train_accuracy"], label="train")
        ax.plot(history["val_accuracy"], label="test")
        ax.set(title=f"{name}: gap {gaps[name]['gap']:.0%}", xlabel="epoch", ylabel="accuracy")
        ax.legend()
    caption = (
        "Train and test accuracy per epoch on 300 MNIST images (both in inference mode, "
        "dropout off, as the book measures them): the plain network memorises its training "
        "set; L2 weight decay and dropout keep train and test closer."
    )
    return [save_figure(fig, out_dir, "overfitting.png", caption)]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
