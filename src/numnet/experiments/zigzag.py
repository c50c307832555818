"""Why zero-centred outputs? The notes list "output not zero-centred -> zigzag" as a
weakness of sigmoid (and ReLU), with a question mark. This experiment shows what it means
and measures how much it matters.

A neuron y = w . x learns by dL/dw = delta * x, delta being dL/dy. When every input x_i is
positive (the outputs of a sigmoid layer are), every component of that gradient has the
sign of delta: one example at a time, all the weights move up together or down together.
To reach weights that need some to grow and others to shrink (a target like (1, -1)) the
path must zigzag. The toy part trains one such neuron (two inputs, squared error, targets
made by w* = (1, -1), SGD at rate 0.5) on sigmoid(z) and on tanh(z), the same standard-
normal z, one example per step and in batches of 32, until it comes within 5% of w*.

Averaging over a batch breaks the one-sign rule (the deltas differ in sign), but positive
inputs also share a mean, which makes the loss surface a long narrow valley (LeCun et al.,
"Efficient BackProp", 1998, sections 4.3-4.4): progress along it stays slow. The network part
asks how much that costs in practice: a 784-100-100-10 MNIST MLP with sigmoid, with the
centred sigmoid sigmoid(z) - 1/2 (the same slope, zero-centred: it is tanh(z / 2) / 2) and
with tanh hidden layers, SGD on batches of 32, each at the best of four learning rates."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import numnet
from numnet import functional as F
from numnet import layers, optimizers
from numnet.autograd.tensor import Tensor
from numnet.experiments.common import Result, finish, mnist_subset, prepare
from numnet.experiments.zigzag_draw import draw
from numnet.models import Sequential

NAME = "zigzag"
TARGET = np.array([1.0, -1.0])  # the minimum: one weight must grow, the other shrink
NEURON_RATE = 0.5
NEAR = 0.05  # "reached": within 5% of the distance from the start (0, 0) to the target
SQUASH = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}
RATES = (0.1, 0.3, 1.0, 3.0)
SAME_RESULT = 0.02  # best test accuracies within 2 points count as the same result


def centred_sigmoid(z: Tensor) -> Tensor:
    """sigmoid(z) - 1/2: sigmoid's slope everywhere, but outputs centred on zero."""
    return F.sigmoid(z) - 0.5


HIDDEN = {"sigmoid": "sigmoid", "centred sigmoid (sigmoid - 1/2)": centred_sigmoid, "tanh": "tanh"}


def neuron_path(x: np.ndarray, batch: int, max_steps: int) -> dict:
    """SGD from w = (0, 0) on 0.5 * mean((w . x - w* . x)**2), `batch` rows of x per step,
    until w is within NEAR of the target (or max_steps): the path, the number of steps,
    the share of steps whose update moved both weights the same way, and the path's
    length over the straight distance it covered."""
    w = np.zeros(2)
    points, one_sign = [w], 0
    for step in range(max_steps):
        xb = x[step * batch : (step + 1) * batch]
        update = -NEURON_RATE * xb.T @ (xb @ (w - TARGET)) / batch
        one_sign += update[0] * update[1] > 0
        w = w + update
        points.append(w)
        if np.linalg.norm(w - TARGET) <= NEAR * np.linalg.norm(TARGET):
            break
    path = np.array(points)
    steps = len(path) - 1
    length = np.linalg.norm(np.diff(path, axis=0), axis=1).sum()
    return {"path": path, "steps": steps, "one_sign_share": one_sign / steps,
            "path_over_straight": float(length / np.linalg.norm(path[-1] - path[0]))}  # fmt: skip


def toy(seed: int, max_steps: int = 2000) -> dict:
    """The neuron on sigmoid and on tanh inputs (the same z), one example and 32 per step;
    with each input kind's loss surface, 0.5 * (w - w*)' E[x x'] (w - w*), for the figure."""
    z = np.random.default_rng(seed).standard_normal((32 * max_steps, 2))
    runs, surfaces = {}, {}
    for kind, squash in SQUASH.items():
        x = squash(z)
        surfaces[kind] = x.T @ x / len(x)
        for batch in (1, 32):
            runs[f"{kind} inputs, batch {batch}"] = neuron_path(x, batch, max_steps)
    return {"paths": runs, "surfaces": surfaces}


def network(hidden: str) -> Sequential:
    """784-100-100-10 with `hidden` (a key of HIDDEN) on both hidden layers."""
    activation = HIDDEN[hidden]
    return Sequential(
        [
            layers.Dense(100, activation=activation, input_shape=(784,)),
            layers.Dense(100, activation=activation),
            layers.Dense(10, activation="softmax"),
        ]
    )


def train(data: tuple, hidden: str, rate: float, epochs: int, seed: int) -> dict:
    """Training loss per epoch and final test accuracy of one network at one rate (its
    final loss None when the loss became NaN)."""
    (x, y), (xt, yt) = data
    numnet.random.seed(seed)
    model = network(hidden)
    model.compile(
        optimizers.SGD(rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the largest rates may overflow
        loss = model.fit(x, y, batch_size=32, epochs=epochs, verbose=0, seed=seed).history["loss"]
        accuracy = float(model.evaluate(xt, yt, batch_size=1000)[1])
    final = loss[-1] if len(loss) == epochs and np.isfinite(loss[-1]) else None
    return {"loss": [float(v) for v in loss if np.isfinite(v)], "final_loss": final,
            "test_accuracy": accuracy}  # fmt: skip


def sweep(seed: int, quick: bool) -> dict:
    """Each hidden activation at each rate of RATES, and its best rate (lowest final
    training loss): 10,000 training images for 5 epochs, tested on 5,000 (quick: 2,000
    images for 2 epochs, tested on 1,000)."""
    data = mnist_subset(2000 if quick else 10000, 1000 if quick else 5000, seed)
    epochs = 2 if quick else 5
    runs = {h: {str(r): train(data, h, r, epochs, seed) for r in RATES} for h in HIDDEN}
    best = {}
    for hidden, by_rate in runs.items():
        rate = min((r for r in by_rate if by_rate[r]["final_loss"] is not None),
                   key=lambda r: by_rate[r]["final_loss"])  # fmt: skip
        best[hidden] = {"rate": float(rate), **by_rate[rate]}
    return {"runs": runs, "best": best, "epochs": epochs, "train_images": len(data[0][0])}


def measure(seed: int = 0, quick: bool = False) -> dict:
    """The toy neuron's paths and the network sweep."""
    neuron = toy(seed)
    numbers = {
        "neuron": {
            name: {k: v for k, v in run.items() if k != "path"}
            for name, run in neuron["paths"].items()
        },
        "network": sweep(seed, quick),
    }
    return {"numbers": numbers, "target": TARGET, **neuron}


def accuracy_verdict(accuracies: list[float]) -> str:
    """How the best rates' test accuracies compare, in words that follow SAME_RESULT."""
    spread = max(accuracies) - min(accuracies)
    if spread <= SAME_RESULT:
        return "but test accuracy hardly moves"
    return f"and test accuracy still differs by {100 * spread:.0f} points"


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when, for the neuron, every one-example update on sigmoid inputs has one sign
    and at most 3 in 4 on tanh inputs do; that path is at least 1.5 times as long (over the
    straight distance) as tanh's; batches of 32 bring the one-sign share on sigmoid inputs
    to one half or less, yet sigmoid inputs still need at least 3 times tanh's steps at both
    batch sizes. And when, in the network, each at its best rate, the centred sigmoid's
    training loss lies below the sigmoid's after the first epoch and after the last, while
    the three activations' test accuracies lie within SAME_RESULT of each other."""
    n = numbers["neuron"]
    s1, t1 = n["sigmoid inputs, batch 1"], n["tanh inputs, batch 1"]
    s32, t32 = n["sigmoid inputs, batch 32"], n["tanh inputs, batch 32"]
    best = numbers["network"]["best"]
    sigmoid, centred, tanh = (best[h] for h in HIDDEN)
    accuracies = [b["test_accuracy"] for b in best.values()]
    text = (
        f"one example per step, {s1['one_sign_share']:.0%} of a neuron's weight updates on "
        f"sigmoid inputs share one sign (tanh inputs: {t1['one_sign_share']:.0%}); its path to "
        f"a mixed-sign target zigzags, {s1['path_over_straight']:.1f} times the straight line "
        f"(tanh: {t1['path_over_straight']:.1f}), in {s1['steps']} steps (tanh: {t1['steps']}). "
        f"Batches of 32 break the one-sign rule ({s32['one_sign_share']:.0%}) and straighten "
        f"the path ({s32['path_over_straight']:.1f}), yet it still takes {s32['steps']} steps "
        f"against {t32['steps']}: the inputs' positive mean slows it. In an MNIST MLP (SGD, "
        f"batch 32, each at its best rate) the centred sigmoid starts faster (first-epoch "
        f"loss {centred['loss'][0]:.2f} against the sigmoid's {sigmoid['loss'][0]:.2f}) and "
        f"ends lower ({centred['final_loss']:.3f} against {sigmoid['final_loss']:.3f}; tanh "
        f"{tanh['final_loss']:.3f}), {accuracy_verdict(accuracies)}: sigmoid "
        f"{sigmoid['test_accuracy']:.1%}, centred {centred['test_accuracy']:.1%}, tanh "
        f"{tanh['test_accuracy']:.1%}"
    )
    holds = (
        s1["one_sign_share"] == 1
        and t1["one_sign_share"] <= 0.75
        and s1["path_over_straight"] >= 1.5 * t1["path_over_straight"]
        and s32["one_sign_share"] <= 0.5
        and s1["steps"] >= 3 * t1["steps"]
        and s32["steps"] >= 3 * t32["steps"]
        and centred["loss"][0] < sigmoid["loss"][0]
        and centred["final_loss"] < sigmoid["final_loss"]
        and max(accuracies) - min(accuracies) <= SAME_RESULT
    )
    return text, holds


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
