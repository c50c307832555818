"""The notes' Keras MLP on MNIST: its training curves, its confusion matrix, and the test
digits it gets wrong with the most confidence."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot, zoo
from numnet.experiments.common import Figure, Result, mnist_subset, prepare

DESCRIPTION = "the notes' Keras MLP: curves, confusion matrix, most confident mistakes"


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Train the notes' network (4 epochs; quick: 1 epoch on 10,000 images)."""
    out = prepare(out_dir)
    (x, y), (xt, yt) = mnist_subset(10000 if quick else 60000, 10000, seed)
    numnet.random.seed(seed)
    model = zoo.mlp()
    model.compile(
        optimizer=optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(
        x,
        y,
        batch_size=128,
        epochs=1 if quick else 4,
        verbose=0,
        validation_data=(xt, yt),
        seed=seed,
    )
    probabilities = model.predict(xt, batch_size=1000)
    predicted = probabilities.argmax(1)
    matrix = np.zeros((10, 10), dtype=np.int64)
    np.add.at(matrix, (yt, predicted), 1)
    wrong = np.flatnonzero(predicted != yt)
    worst = wrong[np.argsort(-probabilities[wrong, predicted[wrong]])][:12]

    plot.training_curves(history.history, out / "curves.png", "the notes' MLP on MNIST", "test set")
    plot.confusion_matrix(matrix, out / "confusion.png")
    plt = plot.pyplot()
    fig, axes = plt.subplots(2, 6, figsize=(12, 6))
    for ax, index in zip(axes.flat, worst, strict=False):
        ax.imshow(xt[index].reshape(28, 28), cmap="gray")
        ax.set_title(
            f"label {yt[index]}, said {predicted[index]}\n({probabilities[index, predicted[index]]:.0%} sure)",
            fontsize=8,
        )
        ax.axis("off")
    fig.suptitle("the most confidently misclassified test digits")
    fig.tight_layout()
    fig.savefig(out / "mistakes.png", dpi=100)
    plt.close(fig)
    accuracy = float((predicted == yt).mean())
    result = Result(
        name="mnist-mlp",
        claim=(
            f"the notes' MLP reaches {accuracy:.1%} test accuracy in 4 epochs (Keras and "
            "PyTorch: 97.3-97.9%); its errors are mostly look-alikes"
        ),
        numbers={
            "test_accuracy": accuracy,
            "history": history.history,
            "most_confused_pair": [
                int(i)
                for i in np.unravel_index(
                    np.argmax(matrix - np.diag(np.diag(matrix))), matrix.shape
                )
            ],
        },
        figures=[
            Figure("curves.png", "Loss and accuracy per epoch, training against the test set."),
            Figure(
                "confusion.png",
                "Confusion matrix: rows are true digits, columns predictions; off-diagonal cells are errors.",
            ),
            Figure(
                "mistakes.png",
                "The test digits the network got wrong with the highest confidence: many are ambiguous even to a person.",
            ),
        ],
    )
    result.save(out)
    return result
