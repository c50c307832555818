"""`Sequential`: a plain stack of layers, each feeding the next.

Once the input shape is known (an `Input` first, `input_shape=` on the first layer, or
the first batch), the stack is also a functional graph: weights exist at once,
`summary()` works, and ``layer.output`` / ``model.inputs`` can start new models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from numnet import functional as F
from numnet import nest
from numnet.autograd.tensor import Tensor
from numnet.functional.conv_pool import pool_tiles
from numnet.layers.base import Layer
from numnet.layers.convolutional import Conv2D
from numnet.layers.input_layer import Input, InputLayer
from numnet.layers.pooling import MaxPooling2D
from numnet.layers.symbolic import SymbolicTensor
from numnet.models.fused_inference import dense_run, run_dense
from numnet.models.graph import Graph
from numnet.models.model import Model
from numnet.models.serialization import layer_config, layer_from_config
from numnet.naming import make_unique


class Sequential(Model):
    """``Sequential([numnet.Input((784,)), Dense(512, activation='relu'), Dense(10)])``
    or an empty model grown with `add`."""

    def __init__(
        self,
        layers: Iterable[Any] | None = None,
        name: str | None = None,
        dtype: Any = None,
        trainable: bool = True,
    ) -> None:
        super().__init__(name=name, dtype=dtype, trainable=trainable)
        self._stack: list[Layer] = []
        self.__dict__["_sublayers"] = self._stack
        self._input: SymbolicTensor | None = None
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self) -> list[Layer]:
        return list(self._stack)

    def add(self, layer: Any) -> None:
        """Append a layer (or, first, an `Input`) to the stack."""
        if isinstance(layer, InputLayer):
            layer = layer.output
        if isinstance(layer, SymbolicTensor):
            if self._stack or not isinstance(layer.node.layer, InputLayer):
                raise ValueError(f"Sequential {self.name!r}: an Input can only come first")
            self._start_graph(layer)
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add expects a Layer, got {type(layer).__name__}")
        self._stack.append(layer)
        make_unique(self._stack, f"model {self.name!r}")
        if self._input is not None:
            self._extend_graph(layer)
        elif len(self._stack) == 1 and layer.input_shape is not None:
            self._start_graph(Input(layer.input_shape, dtype=layer.dtype or self.dtype))

    def pop(self) -> Layer:
        """Remove and return the last layer."""
        if not self._stack:
            raise IndexError("pop from an empty Sequential model")
        layer = self._stack.pop()
        if self._input is not None:
            self.graph = Graph(self._input, self._last_output(), f"model {self.name!r}")
        return layer

    def _last_output(self) -> SymbolicTensor:
        return self._stack[-1].inbound_nodes[-1].outputs[0] if self._stack else self._input

    def _start_graph(self, input_tensor: SymbolicTensor) -> None:
        self._input = input_tensor
        self.graph = Graph(input_tensor, input_tensor, f"model {self.name!r}")
        for layer in self._stack:
            self._extend_graph(layer)

    def _extend_graph(self, layer: Layer) -> None:
        output = layer(self.graph.outputs[0])
        if not isinstance(output, SymbolicTensor):
            raise ValueError(
                f"Sequential {self.name!r}: layer {layer.name!r} gives several outputs"
            )
        self.graph = Graph(self._input, output, f"model {self.name!r}")
        self.__dict__["_sublayers"] = self._stack  # Graph lists the same layers; keep the stack

    def _build_on(self, inputs: Any) -> None:
        super()._build_on(inputs)
        if self._input is None:
            first = nest.flatten(inputs)[0]
            dtype = first.dtype if first.dtype.kind in "iu" else self.dtype or first.dtype
            self._start_graph(Input(first.shape[1:], dtype=dtype))

    def call(self, inputs: Any) -> Any:
        x = inputs if self._input is None else self._input.node.layer(inputs)
        stack, i = self._stack, 0
        while i < len(stack):
            if i + 1 < len(stack) and pools_before_relu(stack[i], stack[i + 1]):
                x = F.relu(conv_then_pool(stack[i], stack[i + 1], x))
                i += 2
            elif run := dense_run(stack, i, x):
                x = run_dense(stack[i : i + run], x)
                i += run
            else:
                x = stack[i](x)
                i += 1
        return x

    def get_config(self) -> dict[str, Any]:
        shape = None if self._input is None else list(self._input.shape[1:])
        config: dict[str, Any] = {"name": self.name, "input_shape": shape}
        if self._input is not None and self._input.dtype != np.float32:
            config["input_dtype"] = self._input.dtype.name
        config["dtype"] = None if self.dtype is None else self.dtype.name
        config["layers"] = [layer_config(layer) for layer in self._stack]
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Sequential:
        """Rebuild (and, when the input shape is known, build) a model from `get_config()`."""
        model = cls(name=config.get("name"), dtype=config.get("dtype"))
        shape = config.get("input_shape")
        for spec in config["layers"]:
            if spec["class_name"] in ("Input", "InputLayer"):  # files of numnet 0.1
                shape = spec["config"].get("shape", shape)
                continue
            model.add(layer_from_config(spec, custom_objects))
        if shape is not None and model._input is None:
            model._start_graph(Input(tuple(shape), dtype=config.get("input_dtype") or model.dtype))
        return model


def pools_before_relu(layer: Layer, following: Layer) -> bool:
    """Whether a Conv2D with a ReLU is followed by a max pooling, which then runs first.

    The maximum of a window commutes with any non-decreasing function, so
    max_pool(relu(z)) = relu(max_pool(z)), and the gradients are the same too: both
    reach z at the window's (first) maximum, times relu'(that maximum). Pooling first
    runs the ReLU, forward and backward, on a quarter of the values (2x2 windows): on
    the notes' SimpleConvNet it saves 1.2 ms of an 11 ms training step. Only a Conv2D's
    own ReLU is moved, within `Sequential`, where nothing else sees the value between
    the two layers. Tests check both orders give the same outputs and gradients.
    """
    return type(layer) is Conv2D and layer.activation is F.relu and type(following) is MaxPooling2D


def conv_then_pool(conv: Conv2D, pool: MaxPooling2D, x: Tensor) -> Tensor:
    """pool(conv(x)), without the conv's ReLU (see `pools_before_relu`). When the pooling
    windows tile the conv's output, the conv layer computes both in one op
    (`F.conv2d_max_pool`: on the notes' SimpleConvNet, forward and backward of the two
    take 6.3-6.9 ms a batch instead of 7.4-8.4); each layer's `output_shape` is then set
    as its own call sets it."""
    if not (conv.built and isinstance(x, Tensor) and conv.data_format == pool.data_format):
        return pool(conv(x, activate=False))
    shape = conv.compute_output_shape(x.shape)
    height, width = shape[1:3] if conv.data_format == "channels_last" else shape[2:]
    if not pool_tiles((height, width), pool.pool_size, pool.strides):
        return pool(conv(x, activate=False))
    pooled = conv(x, activate=False, pool=pool.pool_size)
    conv.output_shape, pool.output_shape = shape, pooled.shape
    return pooled
