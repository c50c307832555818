"""The converters, one module per layer family, looked up by layer class name.

A new family is a module with a ``CONVERTERS = {"ClassName": convert_fn}`` dict, merged
in below. For a layer of your own, pass ``converters={"MyLayer": convert_fn}`` to
`numnet.onnx.export`.
"""

from __future__ import annotations

from collections.abc import Callable

from numnet.onnx.calls import LayerCall
from numnet.onnx.converters import (
    activations,
    convolutional,
    core,
    merging,
    recurrent,
    reshaping,
    sequences,
)

Converter = Callable[[LayerCall], None]

CONVERTERS: dict[str, Converter] = {
    **activations.CONVERTERS,
    **core.CONVERTERS,
    **convolutional.CONVERTERS,
    **reshaping.CONVERTERS,
    **merging.CONVERTERS,
    **recurrent.CONVERTERS,
    **sequences.CONVERTERS,
}
