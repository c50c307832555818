"""Random search of hyperparameters on a log scale ("Deep Learning from Scratch" 6.5):
sample the learning rate from 10**U(-6, -1) and the weight decay from 10**U(-8, -4),
judge each on a validation split (never the test set), then evaluate the best once on
the test set."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot, regularizers
from numnet.experiments.common import Figure, Result, dense_stack, mnist_subset, prepare

DESCRIPTION = "random search of learning rate and weight decay on a log scale, validation split"


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Try random (learning rate, weight decay) pairs and keep the best by validation accuracy."""
    out = prepare(out_dir)
    (x, y), (xt, yt) = mnist_subset(500 if quick else 1000, 2000, seed)
    trials = 6 if quick else 50
    epochs = 10 if quick else 40
    rng = np.random.default_rng(seed)
    records = []
    for _ in range(trials):
        lr, decay = 10 ** rng.uniform(-6, -1), 10 ** rng.uniform(-8, -4)
        numnet.random.seed(seed)
        model = dense_stack(
            [784, 100, 100, 100, 10], "relu", kernel_regularizer=regularizers.l2(decay)
        )
        model.compile(
            optimizer=optimizers.SGD(lr),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        history = model.fit(
            x, y, epochs=epochs, batch_size=100, validation_split=0.2, verbose=0, seed=seed
        )
        records.append(
            {
                "learning_rate": lr,
                "weight_decay": decay,
                "val_accuracy": history.history["val_accuracy"][-1],
                "model": model,
            }
        )
    best = max(records, key=lambda r: r["val_accuracy"])
    test_accuracy = float(best["model"].evaluate(xt, yt)[1])
    plt = plot.pyplot()
    fig, ax = plt.subplots(figsize=(7, 5))
    points = ax.scatter([r["learning_rate"] for r in records], [r["weight_decay"] for r in records],
                        c=[r["val_accuracy"] for r in records], cmap="viridis", s=60, label="trial")  # fmt: skip
    ax.scatter(
        [best["learning_rate"]], [best["weight_decay"]], marker="*", s=300, c="red", label="best"
    )
    fig.colorbar(points, ax=ax, label="validation accuracy")
    ax.set(xscale="log", yscale="log", xlabel="learning rate", ylabel="weight decay (L2)",
           title=f"random search, {trials} trials: best test accuracy {test_accuracy:.1%}")  # fmt: skip
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "hyperparameter_search.png", dpi=100)
    plt.close(fig)
    table = sorted(
        ({k: v for k, v in r.items() if k != "model"} for r in records),
        key=lambda r: -r["val_accuracy"],
    )
    result = Result(
        name="hyperparameter-search",
        claim="good learning rates form a band on the log scale; weight decay matters less here",
        numbers={"best": table[0], "best_test_accuracy": test_accuracy, "trials": table},
        figures=[
            Figure(
                "hyperparameter_search.png",
                "Each dot is one trial, coloured by validation accuracy: too small a learning rate "
                "learns nothing in the time given, and accuracy rises toward the top of the range; "
                "the star marks the best, whose test accuracy is in the title.",
            )
        ],
    )
    result.save(out)
    return result
