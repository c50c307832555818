"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate.

ONNX broadcasts as NumPy does, as numnet's merges do. Inputs that all arrive in one
layout (two NCHW branches of a residual block) are merged in it; otherwise every input
is brought back to numnet's own axis order first.
"""

from __future__ import annotations

from functools import reduce

from numnet.onnx import layout as layouts
from numnet.onnx.calls import LayerCall
from numnet.onnx.layout import Layout

# Merges that are one ONNX operator over all the inputs (these take any number).
VARIADIC = {"Add": "Sum", "Average": "Mean", "Maximum": "Max", "Minimum": "Min"}


def _shared_inputs(call: LayerCall) -> tuple[list[str], Layout]:
    """The inputs' names in one layout: theirs when they agree (and have one rank),
    numnet's own order otherwise."""
    values = [call.value(i) for i in range(len(call.input_shapes))]
    ranks = {len(call.shape(i)) for i in range(len(call.input_shapes))}
    layout_set = {v.layout for v in values}
    if len(layout_set) == 1 and len(ranks) == 1:
        return [v.name for v in values], values[0].layout
    return [call.input(i) for i in range(len(call.input_shapes))], layouts.NATIVE


def convert_variadic(call: LayerCall) -> None:
    """Sum, Mean, Max or Min of all the inputs."""
    names, layout = _shared_inputs(call)
    call.output(call.op(VARIADIC[type(call.layer).__name__], *names), layout)


def convert_subtract(call: LayerCall) -> None:
    """inputs[0] - inputs[1]."""
    names, layout = _shared_inputs(call)
    call.output(call.op("Sub", *names), layout)


def convert_multiply(call: LayerCall) -> None:
    """The product, one Mul per extra input (ONNX's Mul takes two)."""
    names, layout = _shared_inputs(call)
    call.output(reduce(lambda a, b: call.op("Mul", a, b), names), layout)


def convert_concatenate(call: LayerCall) -> None:
    """Concat along the layer's axis, mapped into the inputs' layout."""
    names, layout = _shared_inputs(call)
    axis = layouts.onnx_axis(layout, call.layer.axis, len(call.shape()))
    call.output(call.op("Concat", *names, axis=axis), layout)


CONVERTERS = {
    "Add": convert_variadic,
    "Average": convert_variadic,
    "Maximum": convert_variadic,
    "Minimum": convert_variadic,
    "Subtract": convert_subtract,
    "Multiply": convert_multiply,
    "Concatenate": convert_concatenate,
}
