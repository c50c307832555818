"""The `rnn-memory` experiment's figures: test MSE by length, the test MSE per epoch at
each length, and how much of the gradient survives back to the first step."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numnet import plot
from numnet.experiments.common import Figure, save_figure

COLOURS = {"SimpleRNN": "tab:red", "GRU": "tab:green", "LSTM": "tab:blue"}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """rnn_memory_mse.png, rnn_memory_curves.png and rnn_memory_gradients.png."""
    numbers = measured["numbers"]
    return [
        mse_by_length(numbers, out_dir),
        curves(numbers, out_dir),
        gradients(numbers, measured["survival"], out_dir),
    ]


def mse_by_length(numbers: dict, out_dir: Path) -> Figure:
    """Grouped bars: each cell's final test MSE at each length, on a log scale."""
    plt = plot.pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    lengths, cells = numbers["lengths"], numbers["cells"]
    width = 0.8 / len(cells)
    positions = np.arange(len(lengths))
    for i, cell in enumerate(cells):
        values = [numbers["test_mse"][str(n)][cell] for n in lengths]
        ax.bar(positions + (i - 1) * width, values, width, color=COLOURS[cell], label=cell)
    baseline = np.mean(list(numbers["mean_prediction_mse"].values()))
    ax.axhline(baseline, color="k", linestyle="--", label=f"always the mean ({baseline:.3f})")
    ax.axhline(numbers["solved_below"], color="grey", linestyle=":", label="solved below 0.01")
    ax.set_yscale("log")
    ax.set_xticks(positions, [f"length {n}" for n in lengths])
    ax.set(ylabel="test MSE (log scale)", title="test MSE after training: lower is better")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=9, loc="upper left")
    caption = "Test MSE after training, by sequence length. " + _verdicts(numbers)
    return save_figure(fig, out_dir, "rnn_memory_mse.png", caption)


def curves(numbers: dict, out_dir: Path) -> Figure:
    """Test MSE per epoch, one panel per length."""
    plt = plot.pyplot()
    from matplotlib.ticker import MaxNLocator  # after pyplot(): it says if matplotlib is missing

    lengths = numbers["lengths"]
    fig, axes = plt.subplots(1, len(lengths), figsize=(5 * len(lengths), 4.2), squeeze=False)
    for ax, length in zip(axes[0], lengths, strict=True):
        for cell in numbers["cells"]:
            values = numbers["test_mse_per_epoch"][str(length)][cell]
            ax.plot(range(1, len(values) + 1), values, "o-", ms=3, color=COLOURS[cell],
                    label=cell)  # fmt: skip
        ax.axhline(numbers["mean_prediction_mse"][str(length)], color="k", linestyle="--",
                   label="always the mean")  # fmt: skip
        ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(title=f"length {length}", xlabel="epoch", ylabel="test MSE (log scale)")
        ax.grid(alpha=0.3)
    # One legend, where the longest length's panel is empty: the colours are shared.
    axes[0, -1].legend(fontsize=9, loc="center right")
    recipe = numbers["recipe"]
    caption = (
        f"Test MSE after each epoch ({recipe['train_sequences']:,} training sequences, batch "
        f"{recipe['batch_size']}, the same recipe for every cell). A cell that has not found "
        "the marked values sits on the dashed line of always predicting the mean. "
        + " ".join(_plateaus(numbers, length) for length in lengths)
    )
    return save_figure(fig, out_dir, "rnn_memory_curves.png", caption)


def gradients(numbers: dict, survival: dict, out_dir: Path) -> Figure:
    """||dy/dx_t|| relative to the last step's, before and after training."""
    plt = plot.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
    titles = {"untrained": "at initialisation", "trained": "after training"}
    for ax, (when, title) in zip(axes, titles.items(), strict=True):
        for cell, profile in survival[when].items():
            steps = np.arange(1, len(profile) + 1)
            ax.semilogy(steps, profile, color=COLOURS[cell], label=cell)
        ax.set(title=f"{title}, length {numbers['gradient_profile_length']}",
               xlabel="input step t", ylabel="|dy/dx_t| / |dy/dx_T|")  # fmt: skip
        ax.grid(alpha=0.3)
        ax.legend(fontsize=9, loc="lower right")
    caption = (
        "How much the prediction y depends on each input step: the mean size of the "
        "gradient dy/dx_t over test sequences, divided by the last step's (log scale). A "
        "cell that can use step 1 keeps this near 1 all the way back. " + _survival(numbers)
    )
    return save_figure(fig, out_dir, "rnn_memory_gradients.png", caption)


def _verdicts(numbers: dict) -> str:
    """Each length's MSEs as a sentence, against the baseline and the 0.01 threshold."""
    parts = []
    for length in numbers["lengths"]:
        key = str(length)
        mse = numbers["test_mse"][key]
        solved = [cell for cell in numbers["cells"] if mse[cell] < numbers["solved_below"]]
        values = ", ".join(f"{cell} {mse[cell]:.2g}" for cell in numbers["cells"])
        parts.append(
            f"Length {length}: {values} (always the mean: "
            f"{numbers['mean_prediction_mse'][key]:.3f}); "
            + (f"solved by {', '.join(solved)}." if solved else "solved by none.")
        )
    return " ".join(parts)


def _survival(numbers: dict) -> str:
    """What reaches step 1 before and after training, as sentences."""
    first = numbers["gradient_surviving_to_step_1"]
    cells = numbers["cells"]

    def listed(when: str, chosen: list[str]) -> str:
        return ", ".join(f"{cell} {first[when][cell]:.2g}" for cell in chosen)

    faded = [cell for cell in cells if first["untrained"][cell] < 0.01]
    kept = [cell for cell in cells if first["trained"][cell] >= 0.1]
    lost = [cell for cell in cells if cell not in kept]
    parts = [
        f"At initialisation what reaches step 1 is {listed('untrained', cells)}"
        + (
            ": it fades in every cell (the gated cells start with their gates half shut: a "
            "GRU keeps about half of h per step, an LSTM about sigmoid(1) = 0.73 of c)."
            if faded == cells
            else "."
        )
    ]
    if kept:
        parts.append(
            f"After training, {' and '.join(kept)} {'keeps' if len(kept) == 1 else 'keep'} it "
            f"({listed('trained', kept)}): the gates have learned to hold the state."
        )
    if lost:
        parts.append(
            f"In {' and '.join(lost)} it still fades after training ({listed('trained', lost)})."
        )
    return " ".join(parts)


def _plateaus(numbers: dict, length: int) -> str:
    """When each cell first got below the 0.01 threshold at `length`, as a sentence."""
    curves = numbers["test_mse_per_epoch"][str(length)]
    below = numbers["solved_below"]
    parts = []
    for cell in numbers["cells"]:
        epochs = [i + 1 for i, mse in enumerate(curves[cell]) if mse < below]
        lowest = min(curves[cell])
        parts.append(
            f"{cell} after epoch {epochs[0]}" if epochs else f"{cell} never (best {lowest:.3f})"
        )
    return f"Length {length}, first below {below}: {', '.join(parts)}."
