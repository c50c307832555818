"""Why one-hot targets? The notes' Keras program turns each label into ten 0/1 outputs
(`to_categorical`) before training, and asks why.

The alternative is to regress the digit as one number: one linear output trained with the
mean squared error, its prediction rounded to the nearest digit (clipped to 0..9). That
target tells the network that 4 lies between 3 and 5, and that mistaking a 4 for a 5 costs
less than mistaking it for a 9; neither is true of handwriting. A 4 that looks like a 9
is pulled toward an answer between the two (5, 6 or 7), digits it resembles not at all.
So the numeric target invents confusions between neighbouring digits, and loses accuracy.

Both networks share the notes' MLP body (784-512-512, ReLU, dropout 0.2), Adam, batches
of 128 and the same seed; only the output and the loss differ: 1 linear output with MSE,
or 10 softmax outputs with cross-entropy. The body leaves out the notes' batch norm (and
its L2): after a few hundred steps its moving statistics (momentum 0.99) still hold much
of their starting values, which an argmax shrugs off but a regressed number does not (a
quick run with it rounded 9% of the test digits right)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import layers, optimizers
from numnet.experiments.common import Figure, Result, finish, mnist_subset, prepare
from numnet.experiments.one_hot_draw import draw_confusions, draw_distances
from numnet.models import Sequential

NAME = "one-hot"
METHODS = ("one number, MSE, rounded", "one-hot, softmax cross-entropy")


def network(outputs: int, activation: str | None) -> Sequential:
    """The notes' MLP body, without its batch norm and L2, with `outputs` units on top
    (`activation` on them)."""
    return Sequential(
        [
            layers.Dense(512, activation="relu", input_shape=(784,)),
            layers.Dropout(0.2),
            layers.Dense(512, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(outputs, activation=activation),
        ]
    )


def predict_digits(method: str, data: tuple, epochs: int, seed: int) -> dict:
    """Train one method on data = ((x, y), (x_test, y_test)); return its predicted test
    digits and, for the regression, the raw numbers it output before rounding."""
    (x, y), (xt, _) = data
    numnet.random.seed(seed)
    if method == METHODS[0]:
        model = network(1, None)
        model.compile(optimizers.Adam(), loss="mse")
        model.fit(x, y.astype(np.float32)[:, None], batch_size=128, epochs=epochs, verbose=0,
                  seed=seed)  # fmt: skip
        output = model.predict(xt, batch_size=1000)[:, 0]
        return {"digits": np.clip(np.rint(output), 0, 9).astype(np.int64), "output": output}
    model = network(10, "softmax")
    model.compile(optimizers.Adam(), loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=128, epochs=epochs, verbose=0, seed=seed)
    return {"digits": model.predict(xt, batch_size=1000).argmax(axis=1)}


def error_profile(truth: np.ndarray, predicted: np.ndarray) -> dict:
    """Accuracy, the confusion matrix (rows true, columns predicted), and where the errors
    land: the share on a neighbouring digit (|predicted - true| = 1) against the share an
    even spread would put there (each error on one of the nine other digits at random:
    2 of 9 are neighbours, 1 of 9 for 0 and 9), and the share at each distance 1..9."""
    matrix = np.zeros((10, 10), dtype=np.int64)
    np.add.at(matrix, (truth, predicted), 1)
    wrong = predicted != truth
    distance = np.abs(predicted[wrong] - truth[wrong])
    neighbours_of = np.where(np.isin(np.arange(10), (0, 9)), 1, 2)
    errors = max(int(wrong.sum()), 1)  # a perfect classifier would otherwise divide by 0
    return {
        "test_accuracy": float(1 - wrong.mean()),
        "errors": int(wrong.sum()),
        "neighbour_share": float((distance == 1).sum() / errors),
        "even_spread_share": float(neighbours_of[truth[wrong]].sum() / 9 / errors),
        "share_by_distance": (np.bincount(distance, minlength=10)[1:] / errors).tolist(),
        "confusion": matrix.tolist(),
    }


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Both methods on 20,000 training images for 10 epochs, tested on 10,000 (quick:
    3,000 images for 4 epochs, tested on 2,000)."""
    (x, y), (xt, yt) = mnist_subset(3000 if quick else 20000, 2000 if quick else 10000, seed)
    epochs = 4 if quick else 10
    predictions = {m: predict_digits(m, ((x, y), (xt, yt)), epochs, seed) for m in METHODS}
    numbers = {m: error_profile(yt, p["digits"]) for m, p in predictions.items()}
    numbers.update(epochs=epochs, train_images=len(x))
    return {"numbers": numbers, "output": predictions[METHODS[0]]["output"], "truth": yt}


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when one-hot targets beat the rounded number by 10 points of test accuracy or
    more, and the number's errors land on a neighbouring digit at least twice as often as
    an even spread would put them there and as often as one-hot's do, while one-hot's land
    there no more than 1.5 times as often as an even spread would (its errors do not
    favour neighbours)."""
    number, one_hot = (numbers[m] for m in METHODS)
    text = (
        f"regressing the digit as one number and rounding reaches {number['test_accuracy']:.1%} "
        f"test accuracy, one-hot targets {one_hot['test_accuracy']:.1%}; "
        f"{number['neighbour_share']:.0%} of the number's errors land on a neighbouring digit "
        f"(|predicted - true| = 1), against {one_hot['neighbour_share']:.0%} of one-hot's and "
        f"{number['even_spread_share']:.0%} if its errors were spread evenly: the numeric target "
        "invents an order among the digits"
    )
    holds = (
        one_hot["test_accuracy"] >= number["test_accuracy"] + 0.1
        and number["neighbour_share"] >= 2 * number["even_spread_share"]
        and number["neighbour_share"] >= 2 * one_hot["neighbour_share"]
        and one_hot["neighbour_share"] <= 1.5 * one_hot["even_spread_share"]
    )
    return text, holds


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """confusion.png (where each method's errors go) and distance.png (how far they land,
    and the regressed numbers per true digit)."""
    numbers = measured["numbers"]
    setup = (
        f"The notes' MLP body on {numbers['train_images']:,} of MNIST's 60,000 training images "
        f"(for speed) for {numbers['epochs']} epochs, Adam, batch 128, same seed; tested on "
        f"{len(measured['truth']):,} test images."
    )
    return [
        draw_confusions(numbers, out_dir, METHODS, setup),
        draw_distances(measured, out_dir, METHODS, setup),
    ]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
