"""Image layers: Conv2D, Conv2DTranspose, max and average pooling, global pooling,
UpSampling2D.

ONNX's Conv, ConvTranspose, MaxPool and AveragePool read (N, C, H, W). A channels-last
layer asks for its input in the NCHW layout and leaves its output in it, so a chain of
image layers has one Transpose in front and one where the chain ends (see `layout`).
Global pooling and upsampling take whatever layout arrives.
"""

from __future__ import annotations

from typing import Any

from numnet.layers.convolutional import same_padding
from numnet.layers.convolutional_transpose import keras_transpose_padding
from numnet.onnx import layout as layouts
from numnet.onnx.builder import Value
from numnet.onnx.calls import LayerCall
from numnet.onnx.converters.activations import apply_activation
from numnet.onnx.layout import Layout


def _image_layout(call: LayerCall) -> Layout:
    """The layout an ONNX image operator needs for this layer's data format."""
    if len(call.shape()) != 4:
        raise call.unsupported(f"it expects image batches, got inputs of shape {call.shape()}")
    return layouts.NCHW if call.layer.data_format == "channels_last" else layouts.NATIVE


def _spatial(call: LayerCall) -> tuple[int | None, int | None]:
    """(H, W) of the input, None where the model leaves them free."""
    shape = call.shape()
    return shape[1:3] if call.layer.data_format == "channels_last" else shape[2:4]


def _window(call: LayerCall, kernel: tuple[int, int], strides: tuple[int, int]) -> dict[str, Any]:
    """kernel_shape, strides and the padding of a Conv or pooling window.

    Keras' 'same' puts the odd pixel at the end, as ONNX's SAME_UPPER does: explicit pads
    when the image size is known, SAME_UPPER when the model leaves it free.
    """
    attributes: dict[str, Any] = {"kernel_shape": list(kernel), "strides": list(strides)}
    if call.layer.padding == "same":
        height, width = _spatial(call)
        if height is None or width is None:
            attributes["auto_pad"] = "SAME_UPPER"
        else:
            (top, bottom), (left, right) = (
                same_padding(size, k, s)
                for size, k, s in zip((height, width), kernel, strides, strict=True)
            )
            attributes["pads"] = [top, left, bottom, right]
    return attributes


def convert_conv2d(call: LayerCall) -> None:
    """Conv with numnet's (filters, in, kh, kw) kernel, which is ONNX's layout already."""
    layer = call.layer
    layout = _image_layout(call)
    inputs = [call.input(layout=layout), call.weight(layer.kernel)]
    if layer.bias is not None:
        inputs.append(call.weight(layer.bias))
    y = call.op("Conv", *inputs, **_window(call, layer.kernel_size, layer.strides))
    call.output_value(apply_activation(call, layer.activation, Value(y, layout), 4))


def convert_conv2d_transpose(call: LayerCall) -> None:
    """ConvTranspose with Keras' (kh, kw, filters, in) kernel rearranged to ONNX's
    (in, filters, kh, kw); Keras' output sizes become pads and output_padding."""
    layer = call.layer
    layout = _image_layout(call)
    kernel = call.weight(layer.kernel, layer.kernel.data.transpose(3, 2, 0, 1))
    inputs = [call.input(layout=layout), kernel]
    if layer.bias is not None:
        inputs.append(call.weight(layer.bias))
    output_padding = layer.output_padding or (None, None)
    # The pads depend on kernel, stride and padding alone, not on the image size.
    (top, bottom, extra_h), (left, right, extra_w) = (
        keras_transpose_padding(size or 1, k, s, layer.padding, p)
        for size, k, s, p in zip(
            _spatial(call), layer.kernel_size, layer.strides, output_padding, strict=True
        )
    )
    y = call.op(
        "ConvTranspose",
        *inputs,
        kernel_shape=list(layer.kernel_size),
        strides=list(layer.strides),
        pads=[top, left, bottom, right],
        output_padding=[extra_h, extra_w],
    )
    call.output_value(apply_activation(call, layer.activation, Value(y, layout), 4))


def convert_max_pooling(call: LayerCall) -> None:
    """MaxPool ('same' pads count as minus infinity, as in numnet)."""
    layer = call.layer
    layout = _image_layout(call)
    y = call.op(
        "MaxPool", call.input(layout=layout), **_window(call, layer.pool_size, layer.strides)
    )
    call.output(y, layout)


def convert_average_pooling(call: LayerCall) -> None:
    """AveragePool; numnet's 'same' padding counts the zeros in the mean."""
    layer = call.layer
    layout = _image_layout(call)
    window = _window(call, layer.pool_size, layer.strides)
    y = call.op("AveragePool", call.input(layout=layout), count_include_pad=1, **window)
    call.output(y, layout)


def _global_pooling(call: LayerCall, op_type: str) -> None:
    """ReduceMean or ReduceMax over H and W, in whatever layout the input arrives."""
    layer, value = call.layer, call.value()
    _image_layout(call)  # checks the rank
    axes = (1, 2) if layer.data_format == "channels_last" else (2, 3)
    onnx_axes = sorted(layouts.onnx_axis(value.layout, a, 4) for a in axes)
    y = call.op(op_type, value.name, axes=onnx_axes, keepdims=int(layer.keepdims))
    call.output(
        y, value.layout if layer.keepdims else layouts.after_reduction(value.layout, axes, 4)
    )


def convert_global_average_pooling(call: LayerCall) -> None:
    """The mean of every feature map."""
    _global_pooling(call, "ReduceMean")


def convert_global_max_pooling(call: LayerCall) -> None:
    """The maximum of every feature map."""
    _global_pooling(call, "ReduceMax")


def convert_upsampling(call: LayerCall) -> None:
    """Resize by whole factors, nearest neighbour: output pixel (i, j) copies input pixel
    (floor(i / size_h), floor(j / size_w)), which is what the asymmetric coordinate
    transform with floor rounding computes. Works in any layout."""
    layer, value = call.layer, call.value()
    _image_layout(call)  # checks the rank
    height_axis = 1 if layer.data_format == "channels_last" else 2
    scales = [1.0] * 4
    for axis, factor in zip((height_axis, height_axis + 1), layer.size, strict=True):
        scales[layouts.onnx_axis(value.layout, axis, 4)] = float(factor)
    y = call.op(
        "Resize",
        value.name,
        "",  # no region of interest
        call.constant("scales", scales),
        mode="nearest",
        coordinate_transformation_mode="asymmetric",
        nearest_mode="floor",
    )
    call.output(y, value.layout)


CONVERTERS = {
    "Conv2D": convert_conv2d,
    "Conv2DTranspose": convert_conv2d_transpose,
    "MaxPooling2D": convert_max_pooling,
    "AveragePooling2D": convert_average_pooling,
    "GlobalAveragePooling2D": convert_global_average_pooling,
    "GlobalMaxPooling2D": convert_global_max_pooling,
    "UpSampling2D": convert_upsampling,
}
