"""returns.png: every training episode's return, its moving average and the greedy
evaluations, with the kept policy marked. matplotlib is imported only to draw."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numnet.rl.training import TrainingRecord


def moving_average(values: list[float] | np.ndarray, window: int) -> np.ndarray:
    """The mean of the last `window` values at each point (fewer at the start)."""
    values = np.asarray(values, dtype=np.float64)
    sums = np.cumsum(np.insert(values, 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    ends = np.arange(1, len(values) + 1)
    return (sums[ends] - sums[ends - counts]) / counts


def returns_figure(
    record: TrainingRecord, path: str | Path, title: str, threshold: float | None = None
) -> Path:
    """Draw the training returns, their 100-episode moving average, the evaluations of
    the greedy policy and the kept one; `threshold` (the environment's "solved" mark)
    as a dashed line when given."""
    from numnet import plot

    plt = plot.pyplot()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    episodes = np.arange(1, len(record.returns) + 1)
    ax.plot(episodes, record.returns, color="tab:blue", alpha=0.3, lw=0.8,
            label="training episode (exploring)")  # fmt: skip
    ax.plot(episodes, moving_average(record.returns, 100), color="tab:blue",
            label="moving average of 100")  # fmt: skip
    if record.evaluations:
        ax.plot([e.episode for e in record.evaluations], [e.mean for e in record.evaluations],
                ".", color="tab:orange", label="greedy evaluation (mean)")  # fmt: skip
    if record.best is not None:
        ax.plot(record.best.episode, record.best.mean, "*", color="tab:red", ms=14,
                label=f"kept policy (episode {record.best.episode})")  # fmt: skip
    if threshold is not None:
        ax.axhline(threshold, color="grey", ls="--", label=f"solved ({threshold:g})")
    ax.set(xlabel="training episode", ylabel="return", title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)
