"""ONNX export: a numnet model as a file that onnxruntime, phones and browsers run.

``numnet.onnx.export(model, "model.onnx")`` (or ``model.export(path)``, or
``numnet export MODEL.npz --out model.onnx``) writes the model's inference graph with
opset 17, float32 weights, a dynamic batch axis, the model's input and output names, and
node names that start with the layer names ("dense_1/MatMul"). Dropout disappears;
BatchNormalization uses its moving statistics.

How it works, in the order data flows:

* `walk` replays the model's graph of layer calls (nested models flattened) and hands
  each call to the converter of its layer class, from `converters/` (one module per
  layer family);
* a converter sees a `LayerCall` (`calls`), adds nodes to a `GraphBuilder` (`builder`),
  and says in which `layout` its outputs are: channels-last images go to ONNX's NCHW
  operators with a Transpose only where the layout changes;
* `proto` turns the builder into an `onnx.ModelProto`: the only module that needs the
  optional `onnx` package, imported when a model is exported.

A layer or setting with no ONNX form raises `ExportError` naming the layer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from numnet.layers.base import Layer
from numnet.onnx.calls import ExportError, LayerCall
from numnet.onnx.proto import OPSET, require_onnx, to_model_proto
from numnet.onnx.walk import Converters, build_graph


def to_onnx(model: Layer, converters: Converters | None = None) -> Any:
    """The `onnx.ModelProto` of a Sequential or functional model, in inference mode.

    `converters` maps more layer class names to converters ``fn(call: LayerCall)``, for
    layers of your own.
    """
    require_onnx()  # before any work, so a missing package is the first thing said
    builder = build_graph(model, converters)
    return to_model_proto(builder, doc_string=f"numnet model {model.name!r}")


def export(model: Layer, path: str | Path, converters: Converters | None = None) -> Path:
    """Write `model` to `path` as an ONNX file; returns the path."""
    proto = to_onnx(model, converters)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(proto.SerializeToString())
    return path


__all__ = ["OPSET", "ExportError", "LayerCall", "export", "to_onnx"]
