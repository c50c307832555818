"""Why normalise the data? The question the notes ask beside their Keras program, which
divides the pixels by 255 before training.

The notes' MLP (784-512-512-10, ReLU, dropout 0.2, L2 1e-3 and batch norm on the second
layer, batches of 128) is trained on the same MNIST images fed three ways: raw 0-255
pixels, scaled to [0, 1], and standardised per pixel (each pixel's mean and std taken from
the training set only). Three settings: the notes' network with Adam as the notes train it,
the same network without its BatchNormalization layer with Adam, and without it with plain
SGD at rate 0.1. Same seeds everywhere: only the inputs change within a setting.

What it shows: the batch norm after the second layer undoes the input's scale (ReLU is
scale-free and BN divides the scale out), so the notes' own network hardly cares. Without
it, raw pixels make the first layer's outputs 255 times larger: Adam, whose steps do not
grow with the gradient, stumbles through a huge first-epoch loss and recovers most of the
way; SGD, whose steps do, diverges at a rate that suits [0, 1] pixels."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

import numnet
from numnet import layers, optimizers, plot, regularizers
from numnet.experiments.common import Figure, Result, finish, mnist_subset, prepare, save_figure
from numnet.models import Sequential

NAME = "input-normalization"
INPUTS = ("raw 0-255", "scaled to [0, 1]", "standardised per pixel")
SETTINGS: dict[str, tuple[bool, Callable[[], optimizers.Optimizer]]] = {
    # name -> (with the notes' batch norm, optimizer)
    "the notes' MLP, Adam": (True, lambda: optimizers.Adam()),
    "without its batch norm, Adam": (False, lambda: optimizers.Adam()),
    "without its batch norm, SGD 0.1": (False, lambda: optimizers.SGD(0.1)),
}
SAME = 0.01  # raw and [0, 1] pixels "end the same": within one point of test accuracy
LEARNS = 0.8  # test accuracy that counts as learning: eight times chance


def network(batch_norm: bool) -> Sequential:
    """The notes' MLP (`zoo.mlp`), with or without its BatchNormalization layer."""
    stack: list[layers.Layer] = [
        layers.Dense(512, input_shape=(784,)),
        layers.Activation("relu"),
        layers.Dropout(0.2),
        layers.Dense(512, kernel_regularizer=regularizers.l2(0.001)),
    ]
    if batch_norm:
        stack.append(layers.BatchNormalization())
    stack += [layers.Activation("relu"), layers.Dropout(0.2), layers.Dense(10)]
    return Sequential([*stack, layers.Activation("softmax")])


def feeds(x: np.ndarray, x_test: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The three ways to feed (x, x_test), given in [0, 1]: {input name: (train, test)}."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    # Border pixels are 0 in every training image: std 0. Dividing by 1 leaves them 0.
    std = np.where(std > 0, std, 1).astype(np.float32)
    raw, scaled, standardised = INPUTS
    return {
        raw: (x * 255, x_test * 255),
        scaled: (x, x_test),
        standardised: ((x - mean) / std, (x_test - mean) / std),
    }


def train(data: tuple, setting: str, epochs: int, seed: int) -> dict:
    """One run: training loss per epoch (up to a NaN), final test accuracy, and whether the
    loss became NaN (fit then stops)."""
    (x, y), (xt, yt) = data
    batch_norm, optimizer = SETTINGS[setting]
    numnet.random.seed(seed)
    model = network(batch_norm)
    model.compile(optimizer(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings():
        # A diverging run overflows; fit stops it with a NaN warning, which we record instead.
        warnings.simplefilter("ignore", RuntimeWarning)
        history = model.fit(x, y, batch_size=128, epochs=epochs, verbose=0, seed=seed).history
        accuracy = float(model.evaluate(xt, yt, batch_size=1000)[1])
    loss = [float(v) for v in history["loss"]]
    finite = [v for v in loss if np.isfinite(v)]
    return {"loss": finite, "test_accuracy": accuracy, "diverged": len(finite) < len(loss)}


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Every setting on every input: 10,000 training images for 5 epochs, tested on 10,000
    (quick: 2,000 images for 2 epochs, tested on 2,000)."""
    (x, y), (xt, yt) = mnist_subset(2000 if quick else 10000, 2000 if quick else 10000, seed)
    epochs = 2 if quick else 5
    runs = {
        setting: {
            name: train(((a, y), (b, yt)), setting, epochs, seed)
            for name, (a, b) in feeds(x, xt).items()
        }
        for setting in SETTINGS
    }
    return {"numbers": {"runs": runs, "epochs": epochs, "train_images": len(x)}}


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when (1) in the notes' MLP raw and [0, 1] pixels end within SAME of each
    other's test accuracy; (2) without its batch norm, Adam's first-epoch training loss on
    raw pixels is at least 5 times that on [0, 1] and its test accuracy lower; (3) SGD
    diverges on raw pixels or ends 20 points or more below [0, 1]; and (4) [0, 1] and
    standardised pixels reach LEARNS in every setting."""
    raw, scaled, standardised = INPUTS
    runs = [numbers["runs"][setting] for setting in SETTINGS]
    notes_acc, adam_acc, sgd_acc = (
        {name: run["test_accuracy"] for name, run in by_input.items()} for by_input in runs
    )
    # Adam without batch norm; a run that diverged in its first epoch has no finite loss.
    first = [(runs[1][name]["loss"] or [np.inf])[0] for name in (raw, scaled)]
    sgd_diverged = runs[2][raw]["diverged"]
    sgd_fails = sgd_diverged or sgd_acc[raw] <= sgd_acc[scaled] - 0.2
    sgd_text = "diverge (the loss became NaN)" if sgd_diverged else f"end at {sgd_acc[raw]:.1%}"
    text = (
        f"the notes' MLP (Adam, batch norm after layer 2) ends at {notes_acc[raw]:.1%} test "
        f"accuracy on raw 0-255 pixels, {notes_acc[scaled]:.1%} on [0, 1] and "
        f"{notes_acc[standardised]:.1%} standardised: its batch norm undoes the input's scale. "
        f"Without that layer raw pixels cost Adam "
        f"{100 * (adam_acc[scaled] - adam_acc[raw]):.1f} points "
        f"({adam_acc[raw]:.1%} vs {adam_acc[scaled]:.1%}; first-epoch loss {first[0]:.2f} vs "
        f"{first[1]:.2f}) and make SGD at rate 0.1 {sgd_text}, where [0, 1] pixels reach "
        f"{sgd_acc[scaled]:.1%} and standardised ones {sgd_acc[standardised]:.1%}"
    )
    holds = (
        abs(notes_acc[raw] - notes_acc[scaled]) <= SAME
        and first[0] >= 5 * first[1]
        and adam_acc[raw] < adam_acc[scaled]
        and sgd_fails
        and all(
            by[name] >= LEARNS
            for by in (notes_acc, adam_acc, sgd_acc)
            for name in (scaled, standardised)
        )
    )
    return text, holds


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """input_normalization.png: training loss per epoch in each setting, and the test
    accuracies side by side."""
    plt = plot.pyplot()
    numbers = measured["numbers"]
    runs = numbers["runs"]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    for ax, (setting, by_input) in zip(axes.flat, runs.items(), strict=False):
        for (name, run), style in zip(by_input.items(), ("o-", "s--", "^:"), strict=True):
            label = f"{name}: {run['test_accuracy']:.1%} test"
            if run["diverged"]:
                label = f"{name}: diverged (NaN) in epoch {len(run['loss']) + 1}"
            ax.plot(range(1, len(run["loss"]) + 1), run["loss"], style, label=label)
        ax.set(title=setting, xlabel="epoch", ylabel="training loss (log scale)", yscale="log")
        # Ticks at 0.5, 0.7, 1, 1.5, 2, 3, 5, ... written plainly (not 5 x 10^-1); a locator
        # serves one axis only, so each gets its own.
        ax.yaxis.set_major_locator(plt.LogLocator(subs=(1, 1.5, 2, 3, 5, 7), numticks=30))
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(plt.NullFormatter())
        ax.set_xticks(range(1, numbers["epochs"] + 1))
        ax.legend(fontsize=9, loc="upper right")
    accuracy_bars(axes[1, 1], runs)
    fig.suptitle(
        "Raw pixels: the notes' MLP shrugs them off (its batch norm);\n"
        "without that layer Adam stumbles and SGD diverges"
    )
    caption = (
        f"The notes' MLP on {numbers['train_images']:,} of MNIST's 60,000 training images "
        f"(for speed) for {numbers['epochs']} epochs, batch 128; the same "
        "network without its BatchNormalization layer, with Adam and with SGD at rate 0.1. "
        "Raw 0-255 pixels, pixels scaled to [0, 1], and pixels standardised with the "
        "training set's per-pixel mean and std; same seed for every run. A run whose loss "
        "became NaN stops: its curve ends before it."
    )
    return [save_figure(fig, out_dir, "input_normalization.png", caption)]


def accuracy_bars(ax, runs: dict) -> None:
    """Test accuracy per setting (groups) and input (bars), each bar labelled."""
    width = 0.27
    for k, name in enumerate(INPUTS):
        heights = [by_input[name]["test_accuracy"] for by_input in runs.values()]
        bars = ax.bar(np.arange(len(runs)) + (k - 1) * width, heights, width, label=name)
        ax.bar_label(bars, [f"{h:.0%}" for h in heights], fontsize=9)
    ax.set_xticks(range(len(runs)), ["notes' MLP, Adam", "no BN, Adam", "no BN, SGD 0.1"])
    ax.set(title="test accuracy after the last epoch", ylim=(0, 1.25), ylabel="accuracy")
    ax.legend(fontsize=9, loc="upper center", ncol=3)


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
