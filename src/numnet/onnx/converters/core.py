"""Core layers: Dense, Dropout and BatchNormalization (with its moving statistics)."""

from __future__ import annotations

import numpy as np

from numnet.onnx import layout as layouts
from numnet.onnx.builder import Value
from numnet.onnx.calls import LayerCall
from numnet.onnx.converters.activations import apply_activation


def convert_dense(call: LayerCall) -> None:
    """activation(x @ kernel + bias): MatMul, Add. MatMul treats every axis but the last
    two as a batch, so the same two nodes serve (N, D) and (N, T, D) inputs."""
    layer = call.layer
    rank = len(call.shape())
    if rank < 2:
        raise call.unsupported(f"its input of shape {call.shape()} has no feature axis")
    y = call.op("MatMul", call.input(), call.weight(layer.kernel))
    if layer.bias is not None:
        y = call.op("Add", y, call.weight(layer.bias))
    call.output_value(apply_activation(call, layer.activation, Value(y), rank))


def convert_dropout(call: LayerCall) -> None:
    """Dropout is the identity at inference: no node at all."""
    call.forbid_training()
    call.output_value(call.value())


def convert_batch_normalization(call: LayerCall) -> None:
    """gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta.

    When the normalised axis is ONNX's axis 1 (a Dense output (N, C), or an image in NCHW
    layout) this is ONNX's BatchNormalization; on any other axis it is the same affine map
    written as x * scale + shift, with scale and shift shaped to broadcast along the axis.
    """
    call.forbid_training()
    layer, value = call.layer, call.value()
    rank = len(call.shape())
    axis = layouts.onnx_axis(value.layout, layer.axis, rank)
    gamma, beta = layer.gamma.data, layer.beta.data
    mean, variance = layer.moving_mean.data, layer.moving_variance.data
    if axis == 1 and rank >= 2:
        inputs = [call.weight(w) for w in (layer.gamma, layer.beta, layer.moving_mean)]
        inputs.append(call.weight(layer.moving_variance))
        y = call.op("BatchNormalization", value.name, *inputs, epsilon=float(layer.epsilon))
        call.output(y, value.layout)
        return
    # Folded in float64, then stored as float32 like every other constant.
    scale = gamma.astype(np.float64) / np.sqrt(variance.astype(np.float64) + layer.epsilon)
    shift = beta.astype(np.float64) - mean.astype(np.float64) * scale
    along_axis = [1] * rank
    along_axis[axis] = -1
    scaled = call.op("Mul", value.name, call.constant("scale", scale.reshape(along_axis)))
    call.output(
        call.op("Add", scaled, call.constant("shift", shift.reshape(along_axis))), value.layout
    )


CONVERTERS = {
    "Dense": convert_dense,
    "Dropout": convert_dropout,
    "BatchNormalization": convert_batch_normalization,
}
