"""`LayerCall`: what a converter sees of one layer call, and `ExportError`.

A converter is a function ``convert(call)`` that reads the layer's settings and weights,
asks for its inputs in the layout it wants, adds ONNX nodes, and hands back its outputs
with the layout they are in:

```python
def convert_dense(call: LayerCall) -> None:
    y = call.op("MatMul", call.input(), call.weight(call.layer.kernel))
    call.output(call.op("Add", y, call.weight(call.layer.bias)))
```

A setting it cannot express in ONNX is ``raise call.unsupported("what")``, never a
graph that computes something else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from numnet.autograd.tensor import Tensor
from numnet.layers.base import Layer
from numnet.onnx import layout as layouts
from numnet.onnx.builder import GraphBuilder, Value
from numnet.onnx.layout import Layout

Shape = tuple[int | None, ...]


class ExportError(ValueError):
    """A model that cannot be written as ONNX: the message names the layer (class and
    name) and what about it has no ONNX form."""


def unsupported(layer: Layer, what: str) -> ExportError:
    """The error for a layer, or a setting of one, that has no ONNX form."""
    return ExportError(f"cannot export {type(layer).__name__} layer {layer.name!r} to ONNX: {what}")


class LayerCall:
    """One call of one layer in the graph being exported.

    `input_shapes` and `output_shapes` are numnet's (None for the batch axis and free
    lengths); `converters` is the table by layer class name, for layers that wrap others.
    """

    def __init__(
        self,
        builder: GraphBuilder,
        converters: dict[str, Callable[[LayerCall], None]],
        layer: Layer,
        input_shapes: Sequence[Shape],
        input_values: Sequence[Value],
        output_shapes: Sequence[Shape],
        prefix: str,
        training: bool | None,
    ) -> None:
        self.builder, self.converters, self.layer = builder, converters, layer
        self.input_shapes, self.input_values = list(input_shapes), list(input_values)
        self.output_shapes = list(output_shapes)
        self.prefix = prefix  # the layer's name, behind its enclosing models' names
        self.training = training  # an explicit training= at this call (or an enclosing one)
        self.output_values: list[Value | None] = [None] * len(output_shapes)

    # --- inputs --------------------------------------------------------------------------
    def shape(self, index: int = 0) -> Shape:
        """numnet's shape of input `index`."""
        return tuple(self.input_shapes[index])

    def value(self, index: int = 0) -> Value:
        """Input `index` in whatever layout it arrives."""
        return self.input_values[index]

    def input(self, index: int = 0, layout: Layout = layouts.NATIVE) -> str:
        """The ONNX name of input `index` in `layout` (a Transpose is added if needed)."""
        rank = len(self.shape(index))
        return self.builder.relaid(self.value(index), layout, rank, f"{self.prefix}/Transpose")

    # --- nodes ---------------------------------------------------------------------------
    def op(self, op_type: str, *inputs: str, **attributes: Any) -> str:
        """Add an ONNX node named "<layer>/<op_type>"; returns its output's name."""
        return self.builder.add_node(
            op_type, list(inputs), f"{self.prefix}/{op_type}", **attributes
        )

    def ops(self, op_type: str, *inputs: str, outputs: int, **attributes: Any) -> list[str]:
        """Add an ONNX node with several outputs; returns their names."""
        name = f"{self.prefix}/{op_type}"
        return self.builder.add_node(op_type, list(inputs), name, outputs, **attributes)

    def weight(self, weight: Tensor, array: np.ndarray | None = None) -> str:
        """The initializer holding a weight (as `array` when rearranged for ONNX)."""
        return self.builder.weight(weight, array)

    def constant(self, name: str, array: Any, dtype: Any = np.float32) -> str:
        """A constant named "<layer>/<name>"."""
        return self.builder.constant(f"{self.prefix}/{name}", array, dtype)

    def ints(self, name: str, values: Any) -> str:
        """An int64 constant (shapes, axes, repeats)."""
        return self.constant(name, values, np.int64)

    # --- outputs -------------------------------------------------------------------------
    def output(
        self, name: str, layout: Layout = layouts.NATIVE, index: int = 0, masked: bool = False
    ) -> None:
        """Declare that output `index` of the layer is ONNX tensor `name`, in `layout`
        (`masked`: it carries a mask of padded time steps, as numnet's would)."""
        layout = None if layouts.is_native(layout) else layout
        self.output_values[index] = Value(name, layout, masked)

    def output_value(self, value: Value, index: int = 0) -> None:
        """Output `index` is an existing value, unchanged (Dropout, linear activations)."""
        self.output_values[index] = value

    # --- layers inside layers ------------------------------------------------------------
    def inner(
        self,
        layer: Layer,
        input_shapes: Sequence[Shape],
        input_values: Sequence[Value],
        output_shapes: Sequence[Shape],
    ) -> LayerCall:
        """A call of `layer`, held by this one, with node names "<this>/<layer>/..."."""
        prefix = f"{self.prefix}/{layer.name}"
        return LayerCall(
            self.builder,
            self.converters,
            layer,
            input_shapes,
            input_values,
            output_shapes,
            prefix,
            self.training,
        )

    def convert(self, call: LayerCall) -> list[Value]:
        """Run the converter of `call`'s layer class on it; its output values."""
        converter = self.converters.get(type(call.layer).__name__)
        if converter is None:
            raise call.unsupported("numnet has no ONNX converter for this layer class")
        converter(call)
        return [v for v in call.output_values if v is not None]

    # --- errors --------------------------------------------------------------------------
    def unsupported(self, what: str) -> ExportError:
        """The error for a setting of this layer that has no ONNX form."""
        return unsupported(self.layer, what)

    def forbid_training(self) -> None:
        """Raise when this call was made with training=True: an exported graph always
        runs in inference mode, so it would compute something else."""
        if self.training:
            raise self.unsupported(
                "it is called with training=True in the model, and an ONNX graph runs in "
                "inference mode only"
            )

    def forbid_mask(self, index: int = 0) -> None:
        """Raise when input `index` carries a mask of padded steps that this layer would
        skip in numnet but cannot skip in ONNX."""
        if self.value(index).masked:
            raise self.unsupported(
                "its input carries a mask of padded time steps (from Embedding(mask_zero="
                "True) or Masking), which the exported graph could not skip"
            )
