"""Keras-style layers: callables on Tensors that build their weights on first use."""

from numnet.layers.base import Layer
from numnet.layers.convolutional import Conv2D
from numnet.layers.core import Activation, Dense, Flatten, Input
from numnet.layers.normalization import BatchNormalization
from numnet.layers.pooling import AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D
from numnet.layers.regularization import Dropout

LAYERS: dict[str, type[Layer]] = {
    cls.__name__: cls
    for cls in (
        Input,
        Dense,
        Activation,
        Flatten,
        Dropout,
        BatchNormalization,
        Conv2D,
        MaxPooling2D,
        AveragePooling2D,
        GlobalAveragePooling2D,
    )
}

__all__ = [
    "LAYERS",
    "Activation",
    "AveragePooling2D",
    "BatchNormalization",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "GlobalAveragePooling2D",
    "Input",
    "Layer",
    "MaxPooling2D",
]
