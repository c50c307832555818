"""Keras-style layers: callables on Tensors that build their weights on first use."""

from numnet.layers.base import Layer
from numnet.layers.core import Activation, Dense, Flatten, Input
from numnet.layers.normalization import BatchNormalization
from numnet.layers.regularization import Dropout

LAYERS: dict[str, type[Layer]] = {
    cls.__name__: cls for cls in (Input, Dense, Activation, Flatten, Dropout, BatchNormalization)
}

__all__ = [
    "LAYERS",
    "Activation",
    "BatchNormalization",
    "Dense",
    "Dropout",
    "Flatten",
    "Input",
    "Layer",
]
