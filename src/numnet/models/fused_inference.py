"""Inference through a Dense layer and the per-unit layers after it, in one step.

`Sequential` runs this when nothing is recorded (under `no_grad`: predict, evaluate)
and the layers are in inference mode. A Dense layer followed by Dropout (the identity
in inference), one BatchNormalization and a ReLU or softmax is one affine map and one
activation:

* Batch norm's inference form is y * scale + shift, scale = gamma / sqrt(var + eps) and
  shift = beta - moving_mean * scale. After a Dense layer it folds into the weights,
  (x @ W + b) * scale + shift = x @ (W * scale) + (b * scale + shift): one pass over W in
  place of two over the output, so it is folded when the batch has at least half as many
  rows as W, and applied in place on the output otherwise.
* The activation runs in place on the product, which nothing else holds.

Sequential keeps the values between these layers to itself, so only rounding can change,
and only where batch norm is folded: tests/models/test_fused_inference.py checks runs
against the layers called one by one. Inference engines fold batch norm into the
preceding product the same way (ONNX Runtime's Conv/Gemm + BatchNormalization fusion).
"""

from __future__ import annotations

from typing import Any

from numnet import functional as F
from numnet.autograd.mode import is_grad_enabled
from numnet.autograd.ops.reduction import row_max
from numnet.autograd.tensor import Tensor
from numnet.backend import get_array_module
from numnet.functional.normalization import inference_affine
from numnet.layers.activation_layers import ReLU, Softmax
from numnet.layers.base import Layer, check_features
from numnet.layers.core import Activation, Dense
from numnet.layers.normalization import BatchNormalization
from numnet.layers.regularization import Dropout


def dense_run(stack: list[Layer], start: int, x: Any) -> int:
    """How many layers from stack[start] `run_dense` computes as one on x (0: none).

    The run is a Dense layer (its own activation none, ReLU or softmax), then, when it
    has no activation of its own, at most one BatchNormalization over its units and at
    most one ReLU or softmax after that, with Dropouts anywhere after the Dense layer."""
    dense = stack[start]
    if is_grad_enabled() or not isinstance(x, Tensor) or type(dense) is not Dense:
        return 0
    activation = _activation_of(dense)
    if not dense.built or dense.training or activation is False:
        return 0
    end, norm = start + 1, None
    while end < len(stack) and not stack[end].training:
        layer = stack[end]
        if type(layer) is Dropout:
            end += 1
        elif activation is None and norm is None and _folds(layer, dense, x.ndim):
            norm, end = layer, end + 1
        elif activation is None and (closing := _activation_of(layer)) not in (None, False):
            activation, end = closing, end + 1
        else:
            break
    return end - start


def run_dense(run: list[Layer], x: Tensor) -> Tensor:
    """The layers of a `dense_run` applied to x, with each layer's `output_shape` set as
    its own call would set it."""
    dense = run[0]
    dense._check_input_shape(x)
    check_features(dense, x, dense.kernel.shape[0])
    kernel = dense.kernel.data
    bias = None if dense.bias is None else dense.bias.data
    norm = next((layer for layer in run if type(layer) is BatchNormalization), None)
    scale = shift = None
    if norm is not None:
        result_type = get_array_module(x.data).result_type(x.data, kernel)
        scale, shift = inference_affine(
            norm.gamma.data,
            norm.beta.data,
            norm.moving_mean.data,
            norm.moving_variance.data,
            norm.epsilon,
            result_type,
        )
        if 2 * (x.size // x.shape[-1]) >= kernel.shape[0]:  # W's pass is the smaller
            kernel, bias = fold(kernel, bias, scale, shift)
            scale = shift = None
    y = x.data @ kernel
    if bias is not None:
        y += bias
    if scale is not None:
        y *= scale
        y += shift
    activation = _activation_of(dense) or next(filter(None, map(_activation_of, run[1:])), None)
    _activate_in_place(y, activation)
    for layer in run:
        object.__setattr__(layer, "output_shape", y.shape)
    return Tensor.from_array(y)


def fold(kernel: Any, bias: Any, scale: Any, shift: Any) -> tuple[Any, Any]:
    """The kernel and bias of (x @ kernel + bias) * scale + shift as one affine map."""
    return kernel * scale, shift if bias is None else bias * scale + shift


def _activation_of(layer: Layer) -> Any:
    """F.relu or F.softmax (over the last axis) when that is what the layer applies
    after its own work, None when it applies nothing, False for anything else."""
    if type(layer) is ReLU:
        plain = layer.max_value is None and layer.negative_slope == 0 and layer.threshold == 0
        return F.relu if plain else False
    if type(layer) is Softmax:
        return F.softmax if layer.axis == -1 else False
    if type(layer) not in (Dense, Activation):
        return False
    activation = layer.activation
    if activation is None or activation is F.identity:
        return None
    return activation if activation in (F.relu, F.softmax) else False


def _folds(layer: Layer, dense: Dense, ndim: int) -> bool:
    """Whether `layer` is a batch norm over the Dense layer's units (its last axis)."""
    return (
        type(layer) is BatchNormalization
        and layer.built
        and layer.axis % ndim == ndim - 1
        and layer.gamma.shape == (dense.units,)
    )


def _activate_in_place(y: Any, activation: Any) -> None:
    """y = activation(y), as F.relu and F.softmax compute it, written over y."""
    xp = get_array_module(y)
    if activation is F.relu:
        xp.maximum(y, 0, out=y)
    elif activation is F.softmax:
        y -= row_max(y)  # subtract the max so exp cannot overflow, as F.softmax does
        xp.exp(y, out=y)
        y /= y.sum(axis=-1, keepdims=True)
