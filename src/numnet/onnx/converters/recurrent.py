"""Recurrent layers: SimpleRNN, LSTM and GRU as ONNX's own RNN, LSTM and GRU operators,
and Bidirectional as two of them.

ONNX's recurrent operators read time-major sequences (T, N, D), so a batch-major numnet
sequence (N, T, D) is held in the layout (1, 0, 2): one Transpose in front of a stack of
recurrent layers, none between them. Their weights differ from Keras' in three ways:

* each weight is transposed, gate blocks along the first axis: W (1, kU, D), R (1, kU, U);
* the bias B (1, 2kU) is an input bias then a recurrent bias (Keras has one, but for the
  GRU with ``reset_after=True``, whose two rows are exactly these);
* ONNX orders the LSTM gates i, o, f, c where Keras has i, f, c, o; the GRU's z, r, h
  agree, and ``reset_after=True`` is ONNX's ``linear_before_reset=1``.

ONNX's output Y is in input order also when running in reverse; Keras' ``go_backwards``
sequence is in processing order, so it is reversed once more.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import activations
from numnet.layers.base import Layer
from numnet.onnx import layout as layouts
from numnet.onnx.calls import LayerCall

TIME_MAJOR = (1, 0, 2)  # (N, T, D) held as (T, N, D)
OPERATORS = {"SimpleRNN": "RNN", "LSTM": "LSTM", "GRU": "GRU"}
ACTIVATIONS = {"tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "Relu"}
KERAS_TO_ONNX_LSTM = (0, 3, 1, 2)  # ONNX's blocks i, o, f, c are Keras' blocks 0, 3, 1, 2
LAST = np.iinfo(np.int64).max


def _activation(call: LayerCall, activation: Any) -> str:
    """The ONNX name of a recurrent layer's activation, or a clear error."""
    try:
        name = activations.name_of(activation)
    except ValueError:
        name = repr(activation)
    if name not in ACTIVATIONS:
        raise call.unsupported(
            f"the activation {name!r} is not one of the recurrent activations numnet exports "
            f"({', '.join(ACTIVATIONS)})"
        )
    return ACTIVATIONS[name]


def _onnx_gate_order(array: np.ndarray, layer: Layer) -> np.ndarray:
    """The gate blocks along the last axis in ONNX's order (only the LSTM's differs)."""
    if type(layer).__name__ != "LSTM":
        return array
    blocks = np.split(array, 4, axis=-1)
    return np.concatenate([blocks[i] for i in KERAS_TO_ONNX_LSTM], axis=-1)


def _weights(call: LayerCall, layer: Layer) -> list[str]:
    """The W (1, kU, D), R (1, kU, U) and B (1, 2kU) inputs of the ONNX operator."""
    kernel, recurrent = layer.kernel, layer.recurrent_kernel
    w = call.weight(kernel, _onnx_gate_order(kernel.data, layer).T[None])
    r = call.weight(recurrent, _onnx_gate_order(recurrent.data, layer).T[None])
    width = kernel.shape[1]
    if layer.bias is None:
        return [w, r, call.constant("B", np.zeros((1, 2 * width)))]
    bias = layer.bias.data
    if bias.ndim == 2:  # the GRU's rows: input bias, recurrent bias
        rows = np.concatenate([bias[0], bias[1]])
    else:
        rows = np.concatenate([_onnx_gate_order(bias, layer), np.zeros(width, bias.dtype)])
    return [w, r, call.weight(layer.bias, rows[None])]


def _attributes(call: LayerCall, layer: Layer) -> dict[str, Any]:
    kind = type(layer).__name__
    attributes: dict[str, Any] = {
        "hidden_size": layer.units,
        "direction": "reverse" if layer.go_backwards else "forward",
    }
    act = _activation(call, layer.activation)
    if kind == "SimpleRNN":
        attributes["activations"] = [act]
    else:
        gate = _activation(call, layer.recurrent_activation)
        attributes["activations"] = [gate, act, act] if kind == "LSTM" else [gate, act]
    if kind == "GRU":
        attributes["linear_before_reset"] = int(layer.reset_after)
    return attributes


def check_layer(call: LayerCall, layer: Layer) -> None:
    """What a recurrent layer cannot carry into ONNX: held states, active dropout, masks."""
    if type(layer).__name__ not in OPERATORS:
        raise call.unsupported(f"it holds a {type(layer).__name__}, not SimpleRNN, LSTM or GRU")
    if layer.stateful:
        raise call.unsupported("stateful=True: its states live between batches, not in a graph")
    if layer.dropout or layer.recurrent_dropout:
        call.forbid_training()
    call.forbid_mask()


def run_recurrent(
    call: LayerCall, layer: Layer, x: str, initial_states: list[str]
) -> tuple[str, list[str]]:
    """Add the ONNX operator of `layer` on time-major x; returns (the sequence (T, N, U),
    time-major in input order, and the final states (N, U): h, and c for an LSTM)."""
    inputs = [x, *_weights(call, layer)]
    if initial_states:
        unsqueezed = [call.op("Unsqueeze", s, call.ints("axis_0", [0])) for s in initial_states]
        inputs += ["", *unsqueezed]  # no sequence_lens: every sequence is T steps long
    states = len(layer.state_names)
    outputs = call.ops(
        OPERATORS[type(layer).__name__], *inputs, outputs=1 + states, **_attributes(call, layer)
    )
    # Y is (T, 1, N, U) and Y_h, Y_c (1, N, U): one direction, whose axis goes.
    sequence = call.op("Squeeze", outputs[0], call.ints("axis_1", [1]))
    finals = [call.op("Squeeze", s, call.ints("axis_0", [0])) for s in outputs[1:]]
    return sequence, finals


def reverse_time(call: LayerCall, sequence: str) -> str:
    """A time-major sequence with its steps in reverse order."""
    ints = call.ints
    return call.op(
        "Slice",
        sequence,
        ints("start", [-1]),
        ints("stop", [-LAST]),
        ints("axis_0", [0]),
        ints("step", [-1]),
    )


def _initial_states(call: LayerCall, first: int, count: int) -> list[str]:
    return [call.input(i) for i in range(first, first + count)]


def convert_recurrent(call: LayerCall) -> None:
    """SimpleRNN, LSTM or GRU: (N, T, U) sequences or the last output, then the states."""
    layer = call.layer
    check_layer(call, layer)
    given = len(call.input_shapes) - 1
    sequence, finals = run_recurrent(
        call, layer, call.input(0, TIME_MAJOR), _initial_states(call, 1, given)
    )
    if layer.return_sequences:
        processed = reverse_time(call, sequence) if layer.go_backwards else sequence
        call.output(processed, TIME_MAJOR)
    else:
        call.output(finals[0])
    if layer.return_state:
        for index, state in enumerate(finals, start=1):
            call.output(state, index=index)


def convert_bidirectional(call: LayerCall) -> None:
    """The forward and backward layers side by side on the same sequence; the backward
    sequence flipped back to input order; then merged by merge_mode."""
    layer = call.layer
    forward, backward = layer.forward_layer, layer.backward_layer
    x = call.input(0, TIME_MAJOR)
    given = (len(call.input_shapes) - 1) // 2
    halves = []
    for index, half in enumerate((forward, backward)):
        inner = call.inner(half, call.input_shapes[:1], call.input_values[:1], [])
        check_layer(inner, half)
        states = _initial_states(call, 1 + index * given, given)
        halves.append((inner, *run_recurrent(inner, half, x, states)))
    (f_call, f_seq, f_finals), (b_call, b_seq, b_finals) = halves
    layout = layouts.NATIVE
    if layer.return_sequences:
        # ONNX gives input order: the forward half wants processing order, the backward
        # half (flipped back, as in numnet) the reverse of its processing order.
        y = reverse_time(f_call, f_seq) if forward.go_backwards else f_seq
        y_rev = b_seq if backward.go_backwards else reverse_time(b_call, b_seq)
        layout = TIME_MAJOR
    else:
        y, y_rev = f_finals[0], b_finals[0]
    outputs = _merge(call, layer.merge_mode, y, y_rev)
    for index, output in enumerate(outputs):
        call.output(output, layout, index)
    if layer.return_state:
        for index, state in enumerate([*f_finals, *b_finals], start=len(outputs)):
            call.output(state, index=index)


def _merge(call: LayerCall, mode: str | None, y: str, y_rev: str) -> list[str]:
    """Both halves merged as numnet's Bidirectional merges them."""
    if mode == "concat":
        return [call.op("Concat", y, y_rev, axis=-1)]  # the features axis is last in both layouts
    if mode == "sum":
        return [call.op("Add", y, y_rev)]
    if mode == "mul":
        return [call.op("Mul", y, y_rev)]
    if mode == "ave":
        return [call.op("Mul", call.op("Add", y, y_rev), call.constant("half", 0.5))]
    return [y, y_rev]


CONVERTERS = {
    "SimpleRNN": convert_recurrent,
    "LSTM": convert_recurrent,
    "GRU": convert_recurrent,
    "Bidirectional": convert_bidirectional,
}
