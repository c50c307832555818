"""Looking inside a trained CNN: its first convolution's filters and feature maps."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numnet import plot
from numnet.autograd.mode import no_grad
from numnet.layers.convolutional import Conv2D
from numnet.models.model import Model


def first_conv(model: Model) -> Conv2D:
    """The model's first Conv2D layer (a clear error when it has none)."""
    for layer in model.layers:
        if isinstance(layer, Conv2D):
            return layer
    raise ValueError(f"model {model.name!r} has no Conv2D layer to show")


def first_conv_maps(model: Model, image: np.ndarray) -> np.ndarray:
    """The first Conv2D layer's output for one image, as (channels, H, W)."""
    conv = first_conv(model)
    layers = model.layers
    x = image[None].astype(np.float32)
    with no_grad():
        for layer in layers[: layers.index(conv) + 1]:
            x = layer(x, training=False)
    maps = x.numpy()[0]
    return np.moveaxis(maps, -1, 0) if conv.data_format == "channels_last" else maps


def draw_cnn(model: Model, image: np.ndarray, out_dir: str | Path, label: str) -> list[Path]:
    """Write filters_<label>.png and feature_maps_<label>.png for the model's first conv."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    conv = first_conv(model)
    if not conv.built:
        model.build(image.shape)
    filters = out_dir / f"filters_{label}.png"
    maps = out_dir / f"feature_maps_{label}.png"
    plot.filter_grid(conv.kernel.numpy(), filters, f"{conv.name} filters ({label})")
    activations = first_conv_maps(model, image)
    plot.feature_maps(image, activations, maps, f"{conv.name} feature maps ({label})")
    return [filters, maps]
