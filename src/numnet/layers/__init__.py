"""Keras-style layers: callables on Tensors that build their weights on first use."""

from numnet.layers.activation_layers import LeakyReLU, ReLU, Softmax
from numnet.layers.base import Layer
from numnet.layers.convolutional import Conv2D
from numnet.layers.convolutional_transpose import Conv2DTranspose
from numnet.layers.core import Activation, Dense, Flatten
from numnet.layers.embedding import Embedding
from numnet.layers.gru import GRU
from numnet.layers.input_layer import Input, InputLayer
from numnet.layers.lstm import LSTM
from numnet.layers.masking import Masking
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
from numnet.layers.simple_rnn import SimpleRNN
from numnet.layers.wrappers import Bidirectional, TimeDistributed

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
        SimpleRNN,
        LSTM,
        GRU,
        Embedding,
        Masking,
        Bidirectional,
        TimeDistributed,
    )
}

__all__ = [
    "GRU",
    "LAYERS",
    "LSTM",
    "Activation",
    "Add",
    "Average",
    "AveragePooling2D",
    "BatchNormalization",
    "Bidirectional",
    "Concatenate",
    "Conv2D",
    "Conv2DTranspose",
    "Dense",
    "Dropout",
    "Embedding",
    "Flatten",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling2D",
    "Input",
    "InputLayer",
    "Layer",
    "LeakyReLU",
    "Masking",
    "MaxPooling2D",
    "Maximum",
    "Minimum",
    "Multiply",
    "Permute",
    "ReLU",
    "RepeatVector",
    "Reshape",
    "SimpleRNN",
    "Softmax",
    "Subtract",
    "TimeDistributed",
    "UpSampling2D",
    "add",
    "average",
    "concatenate",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
