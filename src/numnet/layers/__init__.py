"""Keras-style layers: callables on Tensors that build their weights on first use."""

from numnet.layers.activation_layers import LeakyReLU, ReLU, Softmax
from numnet.layers.base import Layer
from numnet.layers.convolutional import Conv2D
from numnet.layers.convolutional_transpose import Conv2DTranspose
from numnet.layers.core import Activation, Dense, Flatten
from numnet.layers.input_layer import Input, InputLayer
from numnet.layers.merging import (
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)
from numnet.layers.normalization import BatchNormalization
from numnet.layers.pooling import (
    AveragePooling2D,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    MaxPooling2D,
)
from numnet.layers.regularization import Dropout
from numnet.layers.reshaping import Permute, RepeatVector, Reshape, UpSampling2D

LAYERS: dict[str, type[Layer]] = {
    cls.__name__: cls
    for cls in (
        InputLayer,
        Dense,
        Activation,
        Flatten,
        Dropout,
        BatchNormalization,
        Conv2D,
        MaxPooling2D,
        AveragePooling2D,
        GlobalAveragePooling2D,
        GlobalMaxPooling2D,
        Conv2DTranspose,
        UpSampling2D,
        Reshape,
        Permute,
        RepeatVector,
        ReLU,
        LeakyReLU,
        Softmax,
        Add,
        Subtract,
        Multiply,
        Average,
        Maximum,
        Minimum,
        Concatenate,
    )
}

__all__ = [
    "LAYERS",
    "Activation",
    "Add",
    "Average",
    "AveragePooling2D",
    "BatchNormalization",
    "Concatenate",
    "Conv2D",
    "Conv2DTranspose",
    "Dense",
    "Dropout",
    "Flatten",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling2D",
    "Input",
    "InputLayer",
    "Layer",
    "LeakyReLU",
    "MaxPooling2D",
    "Maximum",
    "Minimum",
    "Multiply",
    "Permute",
    "ReLU",
    "RepeatVector",
    "Reshape",
    "Softmax",
    "Subtract",
    "UpSampling2D",
    "add",
    "average",
    "concatenate",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
