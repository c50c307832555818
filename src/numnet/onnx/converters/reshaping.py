"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector.

Flatten and Reshape read the values in numnet's own axis order, so an image held in the
NCHW layout goes back to channels-last first: the exported graph flattens (N, H, W, C)
exactly as numnet does.
"""

from __future__ import annotations

from numnet.onnx import layout as layouts
from numnet.onnx.calls import LayerCall


def convert_flatten(call: LayerCall) -> None:
    """(N, d1, d2, ...) -> (N, d1 * d2 * ...)."""
    call.output(call.op("Flatten", call.input(), axis=1))


def convert_reshape(call: LayerCall) -> None:
    """Reshape to (N, *target_shape); ONNX's 0 keeps the batch size, -1 is inferred."""
    shape = call.ints("shape", [0, *call.layer.target_shape])
    call.output(call.op("Reshape", call.input(), shape))


def convert_permute(call: LayerCall) -> None:
    """One Transpose, composed with the layout the input arrives in."""
    value = call.value()
    rank = len(call.shape())
    dims = (0, *call.layer.dims)
    # The input holds numnet axis layout[j] at axis j; output axis i must hold axis dims[i].
    held = layouts.resolve(value.layout, rank)
    call.output(call.op("Transpose", value.name, perm=[held.index(d) for d in dims]))


def convert_repeat_vector(call: LayerCall) -> None:
    """(N, D) -> (N, 1, D) -> (N, n, D): Unsqueeze, then Tile n times along the new axis."""
    column = call.op("Unsqueeze", call.input(), call.ints("axes", [1]))
    call.output(call.op("Tile", column, call.ints("repeats", [1, call.layer.n, 1])))


CONVERTERS = {
    "Flatten": convert_flatten,
    "Reshape": convert_reshape,
    "Permute": convert_permute,
    "RepeatVector": convert_repeat_vector,
}
