"""Layers around sequences: Embedding, TimeDistributed, and Masking (which has no ONNX
form: it only marks steps for recurrent layers to skip, and the exported graph cannot)."""

from __future__ import annotations

import numpy as np

from numnet.onnx import layout as layouts
from numnet.onnx.builder import INT64, Value
from numnet.onnx.calls import LayerCall

LAST = np.iinfo(np.int64).max


def convert_embedding(call: LayerCall) -> None:
    """Gather rows of the (input_dim, output_dim) table. numnet takes ids as integers or
    as floats holding whole numbers, so they are cast to int64 first. With mask_zero the
    output carries numnet's mask; a recurrent layer that would skip those steps refuses it.
    """
    ids = call.op("Cast", call.input(), to=INT64)
    vectors = call.op("Gather", call.weight(call.layer.embeddings), ids, axis=0)
    call.output(vectors, masked=call.layer.mask_zero)


def convert_masking(call: LayerCall) -> None:
    """Refused: its only purpose is the mask, which the exported graph cannot honour."""
    raise call.unsupported(
        "masks of padded time steps have no ONNX form (ONNX's recurrent operators cannot "
        "skip steps in the middle of a sequence); pad and export without Masking"
    )


def convert_time_distributed(call: LayerCall) -> None:
    """(N, T, ...) folded into (N * T, ...), the wrapped layer's converter, then unfolded
    to (N, T, ...), with sizes read from the data so any N and T serve."""
    inner_layer = call.layer.layer
    x = call.input()
    shape = call.op("Shape", x)
    ints = call.ints
    rest = call.op("Slice", shape, ints("from_2", [2]), ints("end", [LAST]))
    folded = call.op("Reshape", x, call.op("Concat", ints("minus_1", [-1]), rest, axis=0))
    inner = call.inner(
        inner_layer,
        [(None, *call.shape()[2:])],
        [Value(folded)],
        [(None, *call.output_shapes[0][2:])],
    )
    values = call.convert(inner)
    if len(values) != 1:
        raise call.unsupported(f"the wrapped {type(inner_layer).__name__} gives several outputs")
    rank = len(call.output_shapes[0]) - 1
    y = call.builder.relaid(values[0], layouts.NATIVE, rank, f"{inner.prefix}/Transpose")
    n_and_t = call.op("Slice", shape, ints("from_0", [0]), ints("to_2", [2]))
    per_step = call.op("Slice", call.op("Shape", y), ints("from_1", [1]), ints("end", [LAST]))
    unfolded_shape = call.op("Concat", n_and_t, per_step, axis=0)
    call.output(call.op("Reshape", y, unfolded_shape), masked=call.value().masked)


CONVERTERS = {
    "Embedding": convert_embedding,
    "Masking": convert_masking,
    "TimeDistributed": convert_time_distributed,
}
