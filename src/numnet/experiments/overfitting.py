"""Overfitting and its cures ("Deep Learning from Scratch" 6.4): a 7-layer network on only
300 MNIST images memorises them (train accuracy 100%, test far lower); L2 weight decay
and dropout narrow the gap between training and test accuracy."""

from __future__ import annotations

from pathlib import Path

import numnet
from numnet import layers, optimizers, plot, regularizers
from numnet.experiments.common import Figure, Result, mnist_subset, prepare
from numnet.models import Sequential

DESCRIPTION = "300 training images: train vs test accuracy with no regularisation, L2, dropout"


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


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Train the same network plainly, with weight decay, and with dropout."""
    out = prepare(out_dir)
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
        histories[name] = model.fit(x, y, epochs=epochs, batch_size=100, verbose=0, validation_data=(xt, yt),
                                    seed=seed).history  # fmt: skip
        train_accuracy = model.evaluate(x, y)[1]
        gaps[name] = {"train": train_accuracy, "test": histories[name]["val_accuracy"][-1]}
        gaps[name]["gap"] = gaps[name]["train"] - gaps[name]["test"]
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, len(settings), figsize=(5 * len(settings), 4), sharey=True)
    for ax, (name, history) in zip(axes, histories.items(), strict=True):
        ax.plot(history["accuracy"], label="train")
        ax.plot(history["val_accuracy"], label="test")
        ax.set(title=f"{name}: gap {gaps[name]['gap']:.0%}", xlabel="epoch", ylabel="accuracy")
        ax.legend()
    fig.tight_layout()
    fig.savefig(out / "overfitting.png", dpi=100)
    plt.close(fig)
    result = Result(
        name="overfitting",
        claim="with 300 images the train-test gap is large; weight decay and dropout shrink it",
        numbers=gaps,
        figures=[
            Figure(
                "overfitting.png",
                "Train and test accuracy per epoch on 300 MNIST images: the plain network "
                "memorises its training set; L2 weight decay and dropout keep train and test closer.",
            )
        ],
    )
    result.save(out)
    return result
