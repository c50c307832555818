"""The notes' Keras MLP on MNIST: its training curves, its confusion matrix, and the test
digits it gets wrong with the most confidence."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot, zoo
from numnet.experiments.common import Figure, Result, finish, mnist_subset, prepare, save_figure

NAME = "mnist-mlp"
KERAS_LOW = 0.973  # the low end of what Keras and PyTorch reach with it in 4 epochs


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when the test accuracy reaches the Keras and PyTorch band (97.3% or more).
    "Its errors are mostly look-alikes" is left to the eye: see mistakes.png."""
    accuracy = numbers["test_accuracy"]
    text = (
        f"the notes' MLP reaches {accuracy:.1%} test accuracy in 4 epochs (Keras and "
        "PyTorch: 97.3-97.9%); its errors are mostly look-alikes"
    )
    return text, accuracy >= KERAS_LOW


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train the notes' network (4 epochs; quick: 1 epoch on 10,000 images); its confusion
    matrix and the 12 test digits it gets wrong most confidently."""
    (x, y), (xt, yt) = mnist_subset(10000 if quick else 60000, 10000, seed)
    numnet.random.seed(seed)
    model = zoo.mlp()
    model.compile(
        optimizer=optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(x, y, batch_size=128, epochs=1 if quick else 4, verbose=0,
                        validation_data=(xt, yt), seed=seed)  # fmt: skip
    probabilities = model.predict(xt, batch_size=1000)
    predicted = probabilities.argmax(1)
    matrix = np.zeros((10, 10), dtype=np.int64)
    np.add.at(matrix, (yt, predicted), 1)
    wrong = np.flatnonzero(predicted != yt)
    worst = wrong[np.argsort(-probabilities[wrong, predicted[wrong]])][:12]
    off_diagonal = matrix - np.diag(np.diag(matrix))
    numbers = {
        "test_accuracy": float((predicted == yt).mean()),
        "history": history.history,
        "most_confused_pair": [
            int(i) for i in np.unravel_index(np.argmax(off_diagonal), matrix.shape)
        ],
    }
    mistakes = {
        "images": xt[worst].reshape(-1, 28, 28),
        "labels": yt[worst],
        "predicted": predicted[worst],
        "confidence": probabilities[worst, predicted[worst]],
    }
    return {"numbers": numbers, "confusion": matrix, "mistakes": mistakes}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """curves.png, confusion.png and mistakes.png."""
    history = measured["numbers"]["history"]
    plot.training_curves(history, out_dir / "curves.png", "the notes' MLP on MNIST", "test set")
    plot.confusion_matrix(measured["confusion"], out_dir / "confusion.png")
    plt = plot.pyplot()
    fig, axes = plt.subplots(2, 6, figsize=(12, 6))
    m = measured["mistakes"]
    for ax, image, label, said, sure in zip(
        axes.flat, m["images"], m["labels"], m["predicted"], m["confidence"], strict=False
    ):
        ax.imshow(image, cmap="gray")
        ax.set_title(f"label {label}, said {said}\n({sure:.0%} sure)", fontsize=8)
        ax.axis("off")
    fig.suptitle("the most confidently misclassified test digits")
    return [
        Figure("curves.png", "Loss and accuracy per epoch, training against the test set."),
        Figure(
            "confusion.png",
            "Confusion matrix: rows are true digits, columns predictions; off-diagonal cells are errors.",
        ),
        save_figure(
            fig,
            out_dir,
            "mistakes.png",
            "The test digits the network got wrong with the highest confidence: many are ambiguous even to a person.",
        ),
    ]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
