"""Conv2DTranspose: a learnable upsampling, the adjoint of Conv2D.

Sizes and weights follow Keras so that Keras programs and Keras weights carry over
unchanged: the kernel is (kh, kw, filters, in_channels), the bias (filters,), and the
output length along each spatial axis is Keras' `deconv_output_length`:

* 'valid': (size - 1) * stride + max(kernel, stride), or
  (size - 1) * stride + kernel + output_padding when output_padding is given;
* 'same':  size * stride, or
  (size - 1) * stride + kernel % 2 + output_padding when output_padding is given.
"""

from __future__ import annotations

from typing import Any

from numnet import activations, initializers, random, regularizers
from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.functional.conv_transpose import non_negative_pair
from numnet.functional.window import pair
from numnet.layers.base import Layer
from numnet.layers.convolutional import check_data_format, from_nchw, to_nchw


def keras_transpose_padding(
    size: int, kernel: int, stride: int, padding: str, output_padding: int | None
) -> tuple[int, int, int]:
    """(pad_top, pad_bottom, output_padding) that make conv_transpose2d reproduce
    Keras' Conv2DTranspose along one axis (pads crop the full stamp area).

    'same' crops as Keras' JAX and TensorFlow backends do: floor((kernel - stride) / 2)
    rows on top when output_padding is None, the rest at the bottom.
    """
    if padding == "valid":
        extra = max(stride - kernel, 0) if output_padding is None else output_padding
        return 0, 0, extra
    if output_padding is None:
        length, pad_len = size * stride, stride + kernel - 2
    else:
        length = (size - 1) * stride + kernel % 2 + output_padding
        pad_len = kernel + kernel % 2 - 2 + output_padding
    top = kernel - 1 - min(pad_len - pad_len // 2, kernel - 1)
    bottom = (size - 1) * stride + kernel - top - length
    return top, max(bottom, 0), max(-bottom, 0)


def keras_transpose_length(
    size: int | None, kernel: int, stride: int, padding: str, output_padding: int | None
) -> int | None:
    """Keras' output length of a transposed convolution along one axis (None stays None)."""
    if size is None:
        return None
    top, bottom, extra = keras_transpose_padding(size, kernel, stride, padding, output_padding)
    return (size - 1) * stride + kernel - top - bottom + extra


class Conv2DTranspose(Layer):
    """activation(conv_transpose2d(x, kernel) + bias): `filters` output channels, each
    input pixel spreading a kernel_size stamp over a stride-spaced grid."""

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, int],
        strides: int | tuple[int, int] = 1,
        padding: str = "valid",
        output_padding: int | tuple[int, int] | None = None,
        data_format: str | None = None,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"Conv2DTranspose filters must be a positive integer, got {filters!r}")
        if padding not in ("valid", "same"):
            raise ValueError(f"Conv2DTranspose padding must be 'valid' or 'same', got {padding!r}")
        self.filters, self.padding = filters, padding
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.strides = pair(strides, "strides")
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = non_negative_pair(output_padding, "output_padding")
            if any(p >= s for p, s in zip(self.output_padding, self.strides, strict=True)):
                raise ValueError(
                    f"Conv2DTranspose output_padding {self.output_padding} must be smaller "
                    f"than strides {self.strides}"
                )
        self.data_format = check_data_format(data_format or "channels_last")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def _channels(self, shape: tuple[int | None, ...]) -> int | None:
        return shape[-1] if self.data_format == "channels_last" else shape[1]

    def _check_rank(self, shape: tuple[int | None, ...]) -> None:
        if len(shape) != 4:
            layout = "(N, H, W, C)" if self.data_format == "channels_last" else "(N, C, H, W)"
            raise ValueError(
                f"Conv2DTranspose layer {self.name!r} expects image batches {layout}, "
                f"got shape {shape}"
            )

    def build(self, input_shape: tuple[int, ...]) -> None:
        self._check_rank(input_shape)
        kh, kw = self.kernel_size
        channels = self._channels(input_shape)
        self.kernel = self.add_weight(
            "kernel", (kh, kw, self.filters, channels), "zeros", self.kernel_regularizer
        )
        # Drawn as (in, filters, kh, kw), whose fans numnet's initializers compute as Keras
        # does for a transposed kernel (fan_in = filters * kh * kw), then put in Keras' layout.
        drawn = self.kernel_initializer(
            (channels, self.filters, kh, kw), self.kernel.dtype, random.resolve(None)
        )
        self.kernel.data[...] = drawn.transpose(2, 3, 1, 0)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias", (self.filters,), self.bias_initializer, self.bias_regularizer
            )

    def weight_shapes(self, input_shape: tuple[int, ...]) -> list[tuple[int, ...]]:
        self._check_rank(input_shape)
        kernel = (*self.kernel_size, self.filters, self._channels(input_shape))
        return [kernel, (self.filters,)] if self.use_bias else [kernel]

    def _axes(self, spatial: Any) -> list[tuple[Any, int, int, str, int | None]]:
        """Per spatial axis, the arguments of keras_transpose_padding / _length."""
        output_padding = self.output_padding or (None, None)
        return [
            (size, k, s, self.padding, p)
            for size, k, s, p in zip(
                spatial, self.kernel_size, self.strides, output_padding, strict=True
            )
        ]

    def _geometry(self, height: int, width: int) -> tuple[Any, tuple[int, int]]:
        """The (pads, output_padding) arguments of conv_transpose2d for this input size."""
        axes = self._axes((height, width))
        lengths = [keras_transpose_length(*axis) for axis in axes]
        if min(lengths) < 1:
            raise ValueError(
                f"Conv2DTranspose layer {self.name!r} would give an empty {lengths[0]}x"
                f"{lengths[1]} output for a {height}x{width} input (padding={self.padding!r}, "
                f"output_padding={self.output_padding})"
            )
        (top, bottom, extra_h), (left, right, extra_w) = (
            keras_transpose_padding(*axis) for axis in axes
        )
        return ((top, bottom), (left, right)), (extra_h, extra_w)

    def call(self, x: Tensor) -> Tensor:
        self._check_rank(x.shape)
        expected = self.kernel.shape[3]
        if self._channels(x.shape) != expected:
            raise ValueError(
                f"Conv2DTranspose layer {self.name!r} expects {expected} input channels "
                f"({self.data_format}), got input of shape {x.shape}"
            )
        nchw = to_nchw(x, self.data_format)
        pads, extra = self._geometry(*nchw.shape[2:])
        # Keras' (kh, kw, filters, in) kernel is the functional op's (in, filters, kh, kw).
        kernel = F.transpose(self.kernel, (3, 2, 0, 1))
        y = F.conv_transpose2d(
            nchw, kernel, self.bias, stride=self.strides, pad=pads, output_padding=extra
        )
        y = from_nchw(y, self.data_format)
        return y if self.activation is None else self.activation(y)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        self._check_rank(input_shape)
        spatial = input_shape[1:3] if self.data_format == "channels_last" else input_shape[2:]
        h, w = (keras_transpose_length(*axis) for axis in self._axes(spatial))
        if self.data_format == "channels_last":
            return (input_shape[0], h, w, self.filters)
        return (input_shape[0], self.filters, h, w)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "output_padding": None if self.output_padding is None else list(self.output_padding),
            "data_format": self.data_format,
            "activation": activations.name_of(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
        }
