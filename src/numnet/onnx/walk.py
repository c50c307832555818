"""From a numnet model to a `GraphBuilder`: the functional graph walked in run order.

Every Sequential or functional model has a graph of layer calls (`Model.graph`, see
`numnet.models.graph`). Each call goes to the converter registered for its layer's class
name; a call of a model inside the model is replaced by the calls of its own graph, so
the exported graph is flat, its node names prefixed with the inner model's name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from numnet.layers.base import Layer
from numnet.layers.input_layer import InputLayer
from numnet.onnx import layout as layouts
from numnet.onnx.builder import GraphBuilder, Shape, Value
from numnet.onnx.calls import ExportError, LayerCall, unsupported
from numnet.onnx.converters import CONVERTERS

Converters = dict[str, Callable[[LayerCall], None]]


def model_graph(model: Layer) -> Any:
    """The functional graph of a model, or an ExportError saying why it has none."""
    graph = getattr(model, "graph", None)
    if graph is None:
        raise ExportError(
            f"model {model.name!r} has no layer graph to export: build it first (an Input, "
            f"input_shape= on the first layer, or one call on data); a subclassed Model's "
            f"architecture is Python code, so build it as a Sequential or functional model"
        )
    return graph


def onnx_shape(shape: tuple[int | None, ...]) -> Shape:
    """A numnet shape as an ONNX tensor shape: a symbolic "batch" axis, None for free lengths."""
    return ("batch", *shape[1:])


def _dtype(dtype: np.dtype) -> np.dtype:
    """Integer tensors (token ids) keep their dtype; float ones are float32, as the weights."""
    return dtype if dtype.kind in "iu" else np.dtype(np.float32)


def build_graph(model: Layer, converters: Converters | None = None) -> GraphBuilder:
    """The ONNX graph of `model` (inference mode), ready for `numnet.onnx.proto`."""
    graph = model_graph(model)
    table = {**CONVERTERS, **(converters or {})}
    builder = GraphBuilder(model.name)
    values: dict[int, Value] = {}
    for tensor in graph.inputs:
        name = builder.add_input(
            tensor.node.layer.name, _dtype(tensor.dtype), onnx_shape(tensor.shape)
        )
        values[id(tensor)] = Value(name)
    convert_graph(builder, table, graph, values, prefix="", training=None)
    outputs = []
    for tensor, wanted in zip(graph.outputs, model.output_names, strict=True):
        rank = len(tensor.shape)
        source = builder.relaid(values[id(tensor)], layouts.NATIVE, rank, f"{wanted}/Transpose")
        outputs.append((source, wanted, _dtype(tensor.dtype), onnx_shape(tensor.shape)))
    builder.set_outputs(outputs)
    return builder


def convert_graph(
    builder: GraphBuilder,
    converters: Converters,
    graph: Any,
    values: dict[int, Value],
    prefix: str,
    training: bool | None,
) -> None:
    """Convert every layer call of `graph`; `values` maps each symbolic tensor (by id)
    to its ONNX value and must hold the graph's inputs already."""
    for node in graph.nodes:
        layer = node.layer
        if isinstance(layer, InputLayer):
            continue
        # An explicit training= holds for everything inside the call, as in numnet.
        mode = training if node.training is None else node.training
        converter = converters.get(type(layer).__name__)
        inner = getattr(layer, "graph", None)
        if converter is None and inner is not None:  # a model used as a layer: flatten it
            for tensor, outer in zip(inner.inputs, node.input_tensors, strict=True):
                values[id(tensor)] = values[id(outer)]
            convert_graph(builder, converters, inner, values, f"{prefix}{layer.name}/", mode)
            for outer, tensor in zip(node.outputs, inner.outputs, strict=True):
                values[id(outer)] = values[id(tensor)]
        elif converter is None:
            raise unsupported(layer, _no_converter(layer))
        else:
            call = LayerCall(
                builder,
                converters,
                layer,
                [t.shape for t in node.input_tensors],
                [values[id(t)] for t in node.input_tensors],
                [t.shape for t in node.outputs],
                prefix + layer.name,
                mode,
            )
            converter(call)
            for tensor, value in zip(node.outputs, _outputs_of(call), strict=True):
                values[id(tensor)] = value


def _outputs_of(call: LayerCall) -> list[Value]:
    """The values a converter declared, one per output of the layer call."""
    missing = [i for i, value in enumerate(call.output_values) if value is None]
    if missing:
        raise ExportError(
            f"the ONNX converter of {type(call.layer).__name__} declared no output {missing}"
        )
    return [value for value in call.output_values if value is not None]


def _no_converter(layer: Layer) -> str:
    if hasattr(layer, "train_step"):
        return (
            "it is a subclassed Model, whose architecture is Python code; build it as a "
            "Sequential or functional model"
        )
    return "numnet has no ONNX converter for this layer class"
