"""The `seq2seq-addition` experiment's figures: exact-answer accuracy and loss per epoch
for the three variants, and a few test questions with each variant's greedy answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numnet import plot
from numnet.experiments.common import Figure, save_figure

LABELS = {
    "plain": "plain",
    "reversed": "reversed input",
    "reversed_peeky": "reversed input + peeky decoder",
}
SHORT = {"plain": "plain", "reversed": "reversed", "reversed_peeky": "reversed + peeky"}
COLOURS = {"plain": "tab:grey", "reversed": "tab:orange", "reversed_peeky": "tab:blue"}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """seq2seq_accuracy.png and seq2seq_examples.png."""
    numbers = measured["numbers"]
    return [accuracy(numbers, out_dir), examples(numbers, out_dir)]


def accuracy(numbers: dict, out_dir: Path) -> Figure:
    """Exact-answer test accuracy (left) and training loss (right) per epoch."""
    plt = plot.pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    for name, label in LABELS.items():
        values = numbers[name]["test_exact_accuracy"]
        epochs = np.arange(1, len(values) + 1)
        left.plot(epochs, values, "o-", ms=3, color=COLOURS[name], label=label)
        right.plot(epochs, numbers[name]["loss"], "o-", ms=3, color=COLOURS[name], label=label)
    left.axhline(numbers["target"], color="k", linestyle=":")
    left.set(title="test questions answered exactly (greedy decoding)", xlabel="epoch",
             ylabel="exact-answer accuracy", ylim=(-0.02, 1.02))  # fmt: skip
    right.set(title="training loss (teacher forcing)", xlabel="epoch",
              ylabel="cross-entropy per character")  # fmt: skip
    right.set_yscale("log")
    for ax in (left, right):
        _whole_epochs(ax)
        ax.grid(alpha=0.3)
    left.text(1, numbers["target"] + 0.01, "95%", va="bottom")
    right.legend(fontsize=9, loc="lower left")  # the colours are the same on the left
    finals = ", ".join(
        f"{label} {numbers[name]['test_exact_accuracy'][-1]:.1%}" for name, label in LABELS.items()
    )
    means = ", ".join(
        f"{label} {np.mean(numbers[name]['test_exact_accuracy']):.1%}"
        for name, label in LABELS.items()
    )
    recipe = numbers["recipe"]
    caption = (
        f"Share of the {recipe['test_questions']:,} test questions whose whole answer the "
        "decoder writes right, reading its own previous character at each step, after each "
        f"epoch of {recipe['train_questions']:,} training questions. After the last epoch: "
        f"{finals}. Mean over the epochs (how fast each learns): {means}. First epoch at 95% "
        f"or more: {_first_at(numbers, numbers['target'])}."
    )
    return save_figure(fig, out_dir, "seq2seq_accuracy.png", caption)


def _first_at(numbers: dict, level: float) -> str:
    """The first epoch at which each variant's accuracy reached `level`, as a list."""
    parts = []
    for name, label in LABELS.items():
        reached = [i + 1 for i, a in enumerate(numbers[name]["test_exact_accuracy"]) if a >= level]
        parts.append(f"{label} {reached[0]}" if reached else f"{label} never")
    return ", ".join(parts)


def examples(numbers: dict, out_dir: Path) -> Figure:
    """A table: test questions, true answers and each variant's answer (green if right)."""
    plt = plot.pyplot()
    questions = numbers["example_questions"]
    truth = numbers["example_true_answers"]
    rows, colours = [], []
    for i, question in enumerate(questions):
        row, shades = [question.strip(), truth[i].strip()], ["white", "white"]
        for name in LABELS:
            answer = numbers[name]["example_answers"][i]
            row.append(answer.strip())
            shades.append("#c7e9c0" if answer == truth[i] else "#fcbba1")
        rows.append(row)
        colours.append(shades)
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(rows) + 1.0))
    ax.axis("off")
    headers = ["question", "true answer", *SHORT.values()]
    table = ax.table(cellText=rows, cellColours=colours, colLabels=headers, cellLoc="center",
                     bbox=[0, 0, 1, 1])  # fmt: skip
    table.auto_set_font_size(False)
    table.set_fontsize(11)
    for column in range(len(headers)):
        table[0, column].set_text_props(fontweight="bold")
    ax.set_title("the first test questions, answered after the last epoch", fontsize=12)
    right = {
        label: sum(a == t for a, t in zip(numbers[name]["example_answers"], truth, strict=True))
        for name, label in LABELS.items()
    }
    caption = (
        f"The first {len(rows)} test questions with each variant's greedy answer after the "
        "last epoch (green: every character right; red: not). Right here: "
        + ", ".join(f"{label} {n} of {len(rows)}" for label, n in right.items())
        + "."
    )
    return save_figure(fig, out_dir, "seq2seq_examples.png", caption)


def _whole_epochs(ax) -> None:
    """Tick the epoch axis at whole epochs only."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
