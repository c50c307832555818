"""What every experiment shares: its result record, the closing steps, data and networks.

An experiment module has three parts. `measure(seed, quick)` trains and computes, and
returns a dict: its "numbers" entry is what results.json records, the other entries are
the arrays the figures need; it never imports matplotlib. `draw(measured, out_dir)` makes
the figures from that dict (no training) and returns their `Figure` records. `claim(numbers)`
gives the claim's text and whether those numbers bear it out. `run()` calls the three and
`finish`, which writes results.json.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Claim = Callable[[dict[str, Any]], tuple[str, bool]]


@dataclass
class Figure:
    """One picture an experiment drew, and what to see in it."""

    file: str
    caption: str


@dataclass
class Result:
    """The outcome of one experiment: its claim, whether it held, key numbers and figures."""

    name: str
    claim: str
    claim_holds: bool
    quick: bool
    numbers: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)

    def save(self, out_dir: str | Path) -> Path:
        """Write results.json into out_dir."""
        path = Path(out_dir) / "results.json"
        path.write_text(json.dumps(asdict(self), indent=2, default=float))
        return path


def prepare(out_dir: str | Path) -> Path:
    """Create the experiment's output folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return out


def save_figure(fig: Any, out_dir: Path, file: str, caption: str, dpi: int = 100) -> Figure:
    """Lay out `fig`, write it to out_dir/file and close it; return its record."""
    from numnet import plot

    fig.tight_layout()
    fig.savefig(Path(out_dir) / file, dpi=dpi)
    plot.pyplot().close(fig)  # pyplot keeps every open figure alive until closed
    return Figure(file, caption)


def finish(
    out_dir: str | Path,
    name: str,
    claim: Claim,
    numbers: dict[str, Any],
    figures: list[Figure],
    quick: bool,
) -> Result:
    """The closing step of every experiment: judge the claim on `numbers`, write
    results.json (name, claim, claim_holds, quick, numbers, figures) into out_dir, and
    return that record."""
    text, holds = claim(numbers)
    # bool(): a NumPy bool would otherwise reach JSON as 1.0 through `default=float`.
    result = Result(name, text, bool(holds), quick, numbers, figures)
    result.save(prepare(out_dir))
    return result


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


def dense_layers(model: Any) -> list[Any]:
    """The model's Dense layers, first to last, whether or not `model.layers` lists the
    Input it was built from."""
    from numnet import layers

    return [layer for layer in model.layers if isinstance(layer, layers.Dense)]


def region_grid(predict: Callable[[Any], Any], x: Any, steps: int = 200) -> dict[str, Any]:
    """The class a 2-D classifier predicts on a steps x steps grid over x's box (plus a
    margin): {"gx", "gy", "classes"}, each (steps, steps), ready for `decision_regions`."""
    import numpy as np

    pad = 0.5
    gx, gy = np.meshgrid(
        np.linspace(x[:, 0].min() - pad, x[:, 0].max() + pad, steps),
        np.linspace(x[:, 1].min() - pad, x[:, 1].max() + pad, steps),
    )
    grid = np.c_[gx.ravel(), gy.ravel()].astype(np.float32)
    return {"gx": gx, "gy": gy, "classes": np.asarray(predict(grid)).reshape(gx.shape)}


def decision_regions(
    ax: Any,
    regions: dict[str, Any],
    x: Any,
    y: Any,
    title: str,
    size: float = 8,
    legend: bool = True,
) -> None:
    """Shade a `region_grid` by predicted class and scatter the data coloured by target
    (with a legend saying so, unless `legend` is False: one legend serves a grid)."""
    import numpy as np

    ax.contourf(regions["gx"], regions["gy"], regions["classes"], alpha=0.3, cmap="coolwarm")
    labels = np.asarray(y).reshape(-1)
    for value, colour in ((0, "#3b4cc0"), (1, "#b40426")):  # coolwarm's two ends
        points = x[labels == value]
        ax.scatter(points[:, 0], points[:, 1], color=colour, s=size, edgecolors="k",
                   linewidths=0.2, label=f"target {value} (shade: predicted {value})")  # fmt: skip
    ax.set(title=title, xlabel="x1", ylabel="x2")
    if legend:
        ax.legend(fontsize=9, loc="lower right", framealpha=0.9)
