"""`SampleGrid`: a callback that draws a generative model's samples as training goes.

The noise is drawn from the same seed every time, so the grids show one fixed set of
latent points turning from noise into digits, epoch by epoch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numnet import plot
from numnet.models.callbacks import Callback, Logs
from numnet.visualize import image_grid


class SampleGrid(Callback):
    """After every `every`-th epoch (and the last), writes ``model.generate(n, seed=seed)``
    as a PNG grid to `path_pattern`, formatted like ModelCheckpoint's: ``{epoch}``
    (1-based) and the epoch's logs, e.g. ``samples/epoch_{epoch:03d}-{g_loss:.2f}.png``.

    The model must have ``generate(n, seed)`` returning images in [0, 1] (a `GAN`);
    `fit` fails at its start, before any training, when it has none or when matplotlib
    is missing. `paths` lists the files written, in order."""

    def __init__(
        self,
        path_pattern: str | Path = "samples/epoch_{epoch:03d}.png",
        n: int = 64,
        seed: int = 0,
        every: int = 1,
        columns: int | None = None,
    ) -> None:
        for name, value in (("n", n), ("every", every)):
            if not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(f"SampleGrid: {name} must be a positive integer, got {value!r}")
        self.path_pattern, self.n, self.seed = str(path_pattern), int(n), seed
        self.every, self.columns = int(every), columns
        self.paths: list[Path] = []

    def on_train_begin(self, logs: Logs | None = None) -> None:
        if not callable(getattr(self.model, "generate", None)):
            name = getattr(self.model, "name", "")
            raise TypeError(
                f"SampleGrid needs a model with generate(n, seed), such as a GAN; "
                f"{type(self.model).__name__} {name!r} has none"
            )
        plot.pyplot()  # say what to install before training, not after the first epoch
        self.paths = []

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        last = getattr(self.model, "fit_state", {}).get("epochs") == epoch + 1
        if (epoch + 1) % self.every and not last:
            return
        images = self.model.generate(self.n, seed=self.seed)
        path = Path(self.path_pattern.format(epoch=epoch + 1, **(logs or {})))
        self.paths.append(image_grid(images, path, f"epoch {epoch + 1}", self.columns))
