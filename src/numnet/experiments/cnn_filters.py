"""What a CNN learns: LeNet-5's first-layer filters and feature maps, before and after
training. Untrained filters are noise; trained ones respond to strokes and edges, so
neighbouring weights in a filter come to agree: their correlation is the number checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot, zoo
from numnet.experiments.common import Figure, Result, finish, mnist_subset, prepare
from numnet.visualize import first_conv, first_conv_maps

NAME = "cnn-filters"


def neighbour_correlation(kernels: np.ndarray) -> float:
    """Mean correlation between horizontally and vertically adjacent weights of each filter.

    kernels: (filters, 1, kh, kw). Near or a little below 0 for noise (taking out each
    filter's mean makes independent weights slightly anti-correlated); positive for smooth
    strokes and edges.
    """
    f = kernels.reshape(kernels.shape[0], *kernels.shape[2:]).astype(np.float64)
    f = f - f.mean(axis=(1, 2), keepdims=True)
    down = (f[:, 1:, :] * f[:, :-1, :]).sum(axis=(1, 2))
    right = (f[:, :, 1:] * f[:, :, :-1]).sum(axis=(1, 2))
    return float(np.mean((down + right) / (2 * (f**2).sum(axis=(1, 2)))))


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when training raises the neighbouring weights' correlation by more than 0.03
    (the quick run measures 0.06-0.09 for seeds 0-2, the full run about 0.3)."""
    before, after = numbers["neighbour_correlation_before"], numbers["neighbour_correlation_after"]
    text = (
        "trained first-layer filters become smooth stroke and edge detectors "
        f"(neighbouring weights' correlation {before:.2f} -> {after:.2f})"
    )
    return text, after - before > 0.03


def snapshot(model, image: np.ndarray) -> dict:
    """The first conv layer's name, its kernel (filters, in_channels, kh, kw), and the
    feature maps (channels, H, W) it makes of `image`."""
    conv = first_conv(model)
    return {
        "layer": conv.name,
        "kernel": conv.kernel.numpy().copy(),  # a copy: training updates the kernel in place
        "maps": first_conv_maps(model, image),
    }


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train LeNet-5 (quick: 1 epoch on 10,000 images; full: 3 epochs on all 60,000);
    its first layer before and after."""
    (x, y), (xt, yt) = mnist_subset(10000 if quick else 60000, 2000, seed, flat=False)
    numnet.random.seed(seed)
    model = zoo.lenet5()
    model.compile(
        optimizer=optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.build((None, *x.shape[1:]))
    before = snapshot(model, xt[0])
    model.fit(x, y, batch_size=128, epochs=1 if quick else 3, verbose=0, seed=seed)
    after = snapshot(model, xt[0])
    numbers = {
        "neighbour_correlation_before": neighbour_correlation(before["kernel"]),
        "neighbour_correlation_after": neighbour_correlation(after["kernel"]),
        "test_accuracy": float(model.evaluate(xt, yt)[1]),
    }
    return {"numbers": numbers, "image": xt[0], "before": before, "after": after}


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """filters_before/after.png and feature_maps_before/after.png."""
    for label in ("before", "after"):
        shot = measured[label]
        plot.filter_grid(shot["kernel"], out_dir / f"filters_{label}.png",
                         f"{shot['layer']} filters ({label})")  # fmt: skip
        plot.feature_maps(measured["image"], shot["maps"], out_dir / f"feature_maps_{label}.png",
                          f"{shot['layer']} feature maps ({label})")  # fmt: skip
    before = measured["numbers"]["neighbour_correlation_before"]
    after = measured["numbers"]["neighbour_correlation_after"]
    return [
        Figure(
            "filters_before.png",
            "LeNet-5's six 5x5 first-layer filters at initialisation: random noise "
            f"(neighbouring weights' correlation {before:.2f}).",
        ),
        Figure(
            "filters_after.png",
            "The same filters after training: patches of like weights form light-dark "
            f"bands, i.e. edge detectors (correlation {after:.2f}; a full "
            "`numnet train --model lenet5` makes them sharper).",
        ),
        Figure(
            "feature_maps_before.png",
            "Feature maps of a test digit before training: blurred copies of the input.",
        ),
        Figure(
            "feature_maps_after.png",
            "After training each map picks out strokes of one orientation.",
        ),
    ]


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
