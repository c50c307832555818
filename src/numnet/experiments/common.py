"""What every experiment shares: its result record and where its files go."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One picture an experiment drew, and what to see in it."""

    file: str
    caption: str


@dataclass
class Result:
    """The outcome of one experiment: its claim, key numbers and figures."""

    name: str
    claim: str
    numbers: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)

    def save(self, out_dir: Path) -> Path:
        """Write results.json into out_dir."""
        path = Path(out_dir) / "results.json"
        path.write_text(json.dumps(asdict(self), indent=2, default=float))
        return path


def prepare(out_dir: str | Path) -> Path:
    """Create the experiment's output folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return out


def mnist_subset(n_train: int, n_test: int, seed: int = 0, flat: bool = True):
    """A random slice of MNIST scaled to [0, 1]: (x_train, y_train), (x_test, y_test)."""
    import numpy as np

    from numnet.datasets import mnist

    (x, y), (xt, yt) = mnist.load_data()
    rng = np.random.default_rng(seed)
    train = rng.choice(len(x), n_train, replace=False)
    test = rng.choice(len(xt), n_test, replace=False)
    shape = (-1, 784) if flat else (-1, 28, 28, 1)
    scale = np.float32(1 / 255)
    return (
        (x[train].reshape(shape) * scale, y[train].astype(np.int64)),
        (xt[test].reshape(shape) * scale, yt[test].astype(np.int64)),
    )


def dense_stack(
    sizes: list[int],
    activation: str,
    initializer: str = "he_normal",
    final: str = "softmax",
    **dense_kwargs: Any,
):
    """A Sequential of Dense layers: sizes[0] inputs, hidden sizes, sizes[-1] outputs."""
    from numnet import layers
    from numnet.models import Sequential

    stack: list[Any] = [layers.Input((sizes[0],))]
    for units in sizes[1:-1]:
        stack.append(
            layers.Dense(
                units, activation=activation, kernel_initializer=initializer, **dense_kwargs
            )
        )
    stack.append(layers.Dense(sizes[-1], activation=final, kernel_initializer=initializer))
    return Sequential(stack)


def decision_regions(
    ax: Any, predict: Any, x: Any, y: Any, title: str, steps: int = 200, size: float = 8
) -> None:
    """Shade the class a 2-D classifier predicts over the data's box and scatter the data."""
    import numpy as np

    pad = 0.5
    gx, gy = np.meshgrid(
        np.linspace(x[:, 0].min() - pad, x[:, 0].max() + pad, steps),
        np.linspace(x[:, 1].min() - pad, x[:, 1].max() + pad, steps),
    )
    grid = np.c_[gx.ravel(), gy.ravel()].astype(np.float32)
    ax.contourf(gx, gy, predict(grid).reshape(gx.shape), alpha=0.3, cmap="coolwarm")
    labels = np.asarray(y).reshape(-1)
    for value, colour in ((0, "#3b4cc0"), (1, "#b40426")):  # coolwarm's two ends
        points = x[labels == value]
        ax.scatter(points[:, 0], points[:, 1], color=colour, s=size, edgecolors="k",
                   linewidths=0.2, label=f"target {value} (shade: predicted {value})")  # fmt: skip
    ax.set(title=title, xlabel="x1", ylabel="x2")
    ax.legend(fontsize=6, loc="lower right")
