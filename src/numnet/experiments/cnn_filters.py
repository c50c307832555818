"""What a CNN learns: LeNet-5's first-layer filters and feature maps, before and after
training. Untrained filters are noise; trained ones respond to strokes and edges."""

from __future__ import annotations

from pathlib import Path

import numnet
from numnet import optimizers, zoo
from numnet.experiments.common import Figure, Result, mnist_subset, prepare
from numnet.visualize import draw_cnn

DESCRIPTION = "LeNet-5's first-layer filters and feature maps before and after training"


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Train LeNet-5 (quick: 1 epoch on 5,000 images; full: 3 epochs on all 60,000)."""
    out = prepare(out_dir)
    (x, y), (xt, yt) = mnist_subset(5000 if quick else 60000, 2000, seed, flat=False)
    numnet.random.seed(seed)
    model = zoo.lenet5()
    model.compile(
        optimizer=optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    draw_cnn(model, xt[0], out, "before")
    model.fit(x, y, batch_size=128, epochs=1 if quick else 3, verbose=0, seed=seed)
    draw_cnn(model, xt[0], out, "after")
    result = Result(
        name="cnn-filters",
        claim="trained first-layer filters become stroke and edge detectors",
        numbers={"test_accuracy": float(model.evaluate(xt, yt)[1])},
        figures=[
            Figure(
                "filters_before.png",
                "LeNet-5's six 5x5 first-layer filters at initialisation: random noise.",
            ),
            Figure(
                "filters_after.png",
                "The same filters after training: light-dark bands, i.e. oriented edge detectors.",
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
