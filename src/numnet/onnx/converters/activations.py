"""Activations: the functions of `numnet.activations` (as Dense or Conv2D apply them, or
the Activation layer) and the layers with settings: ReLU, LeakyReLU, Softmax.

Elementwise activations work in any layout, so an activation after a channels-last
convolution stays in the convolution's NCHW layout; softmax maps its axis.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from numnet import activations
from numnet.onnx import layout as layouts
from numnet.onnx.builder import FLOAT, Value
from numnet.onnx.calls import LayerCall
from numnet.onnx.layout import Layout

# Activations that are one ONNX operator with fixed attributes: name -> (op, attributes).
ELEMENTWISE: dict[str, tuple[str, dict[str, Any]]] = {
    "sigmoid": ("Sigmoid", {}),
    "tanh": ("Tanh", {}),
    "relu": ("Relu", {}),
    "leaky_relu": ("LeakyRelu", {"alpha": 0.01}),  # F.leaky_relu's default slope
    "elu": ("Elu", {"alpha": 1.0}),
    "softplus": ("Softplus", {}),
}
AXIS_OPS = {"softmax": "Softmax", "log_softmax": "LogSoftmax"}
IDENTITY = {"linear", "identity"}


def _gelu(call: LayerCall, x: str) -> str:
    """numnet's GELU, the tanh form 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    (ONNX's own Gelu operator arrives only with opset 20)."""
    cube = call.op("Mul", call.op("Mul", x, x), x)
    inner = call.op("Add", x, call.op("Mul", cube, call.constant("gelu_c", 0.044715)))
    t = call.op(
        "Tanh", call.op("Mul", inner, call.constant("sqrt_2_over_pi", math.sqrt(2 / math.pi)))
    )
    half_x = call.op("Mul", x, call.constant("half", 0.5))
    return call.op("Mul", half_x, call.op("Add", t, call.constant("one", 1.0)))


def _step(call: LayerCall, x: str) -> str:
    """1 where x > 0, else 0."""
    return call.op("Cast", call.op("Greater", x, call.constant("zero", 0.0)), to=FLOAT)


COMPOSED: dict[str, Callable[[LayerCall, str], str]] = {
    "gelu": _gelu,
    "step": _step,
    "step_function": _step,
}


def apply_activation(call: LayerCall, activation: Any, value: Value, rank: int) -> Value:
    """`activation` (a function from `numnet.activations`, or None) applied to value."""
    if activation is None:
        return value
    try:
        name = activations.name_of(activation)
    except ValueError:
        raise call.unsupported(
            f"its activation {activation!r} is not one of numnet's named activations"
        ) from None
    x, layout = value.name, value.layout
    if name in IDENTITY:
        return value
    if name in ELEMENTWISE:
        op_type, attributes = ELEMENTWISE[name]
        return Value(call.op(op_type, x, **attributes), layout)
    if name in AXIS_OPS:
        return Value(_softmax(call, AXIS_OPS[name], x, layout, -1, rank), layout)
    if name in COMPOSED:
        return Value(COMPOSED[name](call, x), layout)
    raise call.unsupported(f"the activation {name!r} has no ONNX converter")


def _softmax(call: LayerCall, op_type: str, x: str, layout: Layout, axis: int, rank: int) -> str:
    return call.op(op_type, x, axis=layouts.onnx_axis(layout, axis, rank))


def convert_activation(call: LayerCall) -> None:
    """Activation('relu') and friends."""
    call.output_value(
        apply_activation(call, call.layer.activation, call.value(), len(call.shape()))
    )


def convert_relu(call: LayerCall) -> None:
    """Keras' ReLU: max(x, 0) by default; a slope below a threshold; a ceiling."""
    layer, value = call.layer, call.value()
    x = value.name
    if layer.threshold == 0 and layer.negative_slope == 0:
        y = call.op("Relu", x)
    elif layer.threshold == 0:
        y = call.op("LeakyRelu", x, alpha=float(layer.negative_slope))
    else:
        threshold = call.constant("threshold", layer.threshold)
        above = call.op("GreaterOrEqual", x, threshold)
        below = call.op(
            "Mul", call.op("Sub", x, threshold), call.constant("slope", layer.negative_slope)
        )
        y = call.op("Where", above, x, below)
    if layer.max_value is not None:
        y = call.op("Min", y, call.constant("max_value", layer.max_value))
    call.output(y, value.layout)


def convert_leaky_relu(call: LayerCall) -> None:
    """x for x > 0, negative_slope * x otherwise."""
    value = call.value()
    call.output(
        call.op("LeakyRelu", value.name, alpha=float(call.layer.negative_slope)), value.layout
    )


def convert_softmax(call: LayerCall) -> None:
    """The Softmax layer, on any axis."""
    value = call.value()
    rank = len(call.shape())
    y = _softmax(call, "Softmax", value.name, value.layout, call.layer.axis, rank)
    call.output(y, value.layout)


CONVERTERS = {
    "Activation": convert_activation,
    "ReLU": convert_relu,
    "LeakyReLU": convert_leaky_relu,
    "Softmax": convert_softmax,
}
