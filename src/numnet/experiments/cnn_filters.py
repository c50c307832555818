"""What a CNN learns: LeNet-5's first-layer filters and feature maps, before and after
training. Untrained filters are noise; trained ones respond to strokes and edges, so
neighbouring weights in a filter come to agree: their correlation is the number checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, zoo
from numnet.experiments.common import Figure, Result, mnist_subset, prepare
from numnet.visualize import draw_cnn

DESCRIPTION = "LeNet-5's first-layer filters and feature maps before and after training"


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


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Train LeNet-5 (quick: 1 epoch on 10,000 images; full: 3 epochs on all 60,000)."""
    out = prepare(out_dir)
    (x, y), (xt, yt) = mnist_subset(10000 if quick else 60000, 2000, seed, flat=False)
    numnet.random.seed(seed)
    model = zoo.lenet5()
    model.compile(
        optimizer=optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.build((None, *x.shape[1:]))
    before = neighbour_correlation(model.get_weights()[0])
    draw_cnn(model, xt[0], out, "before")
    model.fit(x, y, batch_size=128, epochs=1 if quick else 3, verbose=0, seed=seed)
    draw_cnn(model, xt[0], out, "after")
    after = neighbour_correlation(model.get_weights()[0])
    result = Result(
        name="cnn-filters",
        claim=(
            "trained first-layer filters become smooth stroke and edge detectors "
            f"(neighbouring weights' correlation {before:.2f} -> {after:.2f})"
        ),
        numbers={
            "neighbour_correlation_before": before,
            "neighbour_correlation_after": after,
            "test_accuracy": float(model.evaluate(xt, yt)[1]),
        },
        figures=[
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
        ],
    )
    result.save(out)
    return result
