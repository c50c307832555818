"""A GAN is two networks in a game: the discriminator D learns to tell real digits from
generated ones, the generator G learns to fool it. As G gets better, D is pushed toward
chance (it cannot tell the two apart), and G draws digits of every class.

Measured, not eyeballed: after every epoch an MNIST classifier scores 1,000 generated
digits (classes present, the largest class share, confidence, Inception score and Fréchet
distance to real digits; see `numnet.generative.scores`). The classic failure is mode
collapse, a generator that draws one digit (or a few) whatever its noise; the recipe is
trained a second time without the batch normalisation of its generator to show what
that ingredient does. The figures are drawn in `gan_draw`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import numnet
from numnet import gan_zoo
from numnet.experiments.common import Result, finish, mnist_subset, prepare
from numnet.experiments.gan_draw import draw
from numnet.generative import (
    classifier_accuracy,
    mnist_classifier,
    reference_scores,
    score_images,
    train_classifier,
)
from numnet.models.callbacks import Callback, Logs

NAME = "gan"
SCORED = 1000  # generated digits scored after every epoch
GRID = 36  # digits in each sample grid (the same noise every time)
VARIANTS = {"recipe": True, "no_batch_norm": False}  # name -> generator has batch norm


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when, after the last epoch, the recipe's digits cover all ten classes with
    none above 20% of the images and a mean classifier confidence of at least 0.9, and D's
    accuracy (the mean of its accuracies on real and on generated digits) has fallen by
    at least 0.1 from the first epoch to at most 0.8."""
    recipe = numbers["recipe"]
    final = recipe["scores"][-1]
    d_accuracy = recipe["d_accuracy"]
    holds = (
        final["classes_present"] == 10
        and final["max_class_share"] <= 0.2
        and final["mean_confidence"] >= 0.9
        and d_accuracy[-1] <= 0.8
        and d_accuracy[-1] <= d_accuracy[0] - 0.1
    )
    text = (
        "the generator learns to produce all ten digits (none above 20%, the classifier at "
        "least 90% confident) while the discriminator is pushed toward chance"
    )
    return text, holds


class EpochScores(Callback):
    """After every epoch: the classifier's scores of `n` generated digits (always from the
    same noise), and a grid's worth of digits at the epochs named in `grid_epochs`."""

    def __init__(self, classifier: Any, n: int, seed: int, grid_epochs: set[int]) -> None:
        self.classifier, self.n, self.seed, self.grid_epochs = classifier, n, seed, grid_epochs
        self.scores: list[dict[str, Any]] = []
        self.grids: dict[int, np.ndarray] = {}

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        images = self.model.generate(self.n, seed=self.seed)
        self.scores.append(score_images(images, self.classifier))
        if epoch + 1 in self.grid_epochs:
            self.grids[epoch + 1] = images[:GRID]


def play(batch_norm: bool, x: np.ndarray, classifier: Any, epochs: int, seed: int) -> dict:
    """Train the MLP GAN (with or without its generator's batch norm) for `epochs`; return
    its history, its untrained and per-epoch scores, and sample grids."""
    numnet.random.seed(seed)
    gan = gan_zoo.mlp_gan(batch_norm=batch_norm)
    untrained = gan.generate(SCORED, seed=seed)
    grid_epochs = {1, 2, 5, 10, 20, epochs} if epochs > 4 else set(range(1, epochs + 1))
    tracker = EpochScores(classifier, SCORED, seed, grid_epochs)
    history = gan.fit(x, batch_size=gan_zoo.GANS["gan"].batch_size, epochs=epochs,
                      seed=seed, callbacks=[tracker], verbose=0).history  # fmt: skip
    real, fake = np.asarray(history["d_acc_real"]), np.asarray(history["d_acc_fake"])
    d_accuracy = [float(mean) for mean in (real + fake) / 2]
    return {
        "history": {key: [float(v) for v in values] for key, values in history.items()},
        "d_accuracy": d_accuracy,
        "untrained": score_images(untrained, classifier),
        "scores": tracker.scores,
        "grids": {0: untrained[:GRID], **tracker.grids},
    }


def judge(quick: bool, seed: int) -> tuple[Any, float]:
    """The classifier that scores the digits, and its test accuracy: numnet's cached LeNet-5
    (about 99.3%), or in a quick run one trained for one epoch on 6,000 digits."""
    if quick:
        (x, y), _ = mnist_subset(6000, 1, seed, flat=False)
        classifier = train_classifier(x, y, epochs=1, seed=seed)
    else:
        classifier = mnist_classifier()
    return classifier, classifier_accuracy(classifier)


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Play the game with and without the generator's batch norm, scoring every epoch."""
    classifier, accuracy = judge(quick, seed)
    n_train, epochs = (6000, 3) if quick else (60000, gan_zoo.GANS["gan"].epochs)
    (x, _), _ = mnist_subset(n_train, 1, seed, flat=False)
    runs = {name: play(bn, x, classifier, epochs, seed) for name, bn in VARIANTS.items()}
    numbers: dict[str, Any] = {
        "epochs": epochs,
        "train_images": n_train,
        "scored_images": SCORED,
        "classifier_test_accuracy": accuracy,
        "real_training_digits": reference_scores(classifier, n=SCORED, seed=seed),
    }
    for name, run_ in runs.items():
        numbers[name] = {key: value for key, value in run_.items() if key != "grids"}
    return {"numbers": numbers, "grids": {name: run_["grids"] for name, run_ in runs.items()}}


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
