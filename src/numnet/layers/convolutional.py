"""Conv2D: learnable filters slid over an image.

Image layers take Keras' channels-last input (N, H, W, C) by default and also accept
data_format='channels_first' (N, C, H, W). Kernels are stored as (filters, in_channels,
kh, kw), the layout of "Deep Learning from Scratch" and PyTorch, whatever the data format.
"""

from __future__ import annotations

from typing import Any

from numnet import activations, initializers, regularizers
from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.functional.conv import pair
from numnet.layers.base import Layer

DATA_FORMATS = ("channels_last", "channels_first")


def check_data_format(data_format: str) -> str:
    """Return data_format if valid, else raise a clear ValueError."""
    if data_format not in DATA_FORMATS:
        raise ValueError(
            f"data_format must be 'channels_last' or 'channels_first', got {data_format!r}"
        )
    return data_format


def to_nchw(x: Tensor, data_format: str) -> Tensor:
    """The functional ops' NCHW view of an image batch."""
    return F.transpose(x, (0, 3, 1, 2)) if data_format == "channels_last" else x


def from_nchw(x: Tensor, data_format: str) -> Tensor:
    """Back from NCHW to the layer's data format."""
    return F.transpose(x, (0, 2, 3, 1)) if data_format == "channels_last" else x


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """Keras' 'same' padding: output size ceil(size / stride), extra pixel at the end."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def window_output_shape(
    input_shape: tuple[int | None, ...],
    data_format: str,
    window: tuple[int, int],
    strides: tuple[int, int],
    padding: str,
    channels: int | None,
) -> tuple[int | None, ...]:
    """The output shape of a window slid over an image batch (convolution or pooling):
    ceil(H / stride) positions for 'same', (H - window) // stride + 1 for 'valid'."""
    if data_format == "channels_last":
        n, height, width, _ = input_shape
    else:
        n, _, height, width = input_shape
    lengths: list[int | None] = []
    for size, length, stride in zip((height, width), window, strides, strict=True):
        if size is None:
            lengths.append(None)
        elif padding == "same":
            lengths.append(-(-size // stride))
        elif size >= length:
            lengths.append((size - length) // stride + 1)
        else:
            raise ValueError(
                f"a {height}x{width} image is smaller than the {window[0]}x{window[1]} window"
            )
    if data_format == "channels_last":
        return (n, *lengths, channels)
    return (n, channels, *lengths)


class Conv2D(Layer):
    """activation(conv2d(x, kernel) + bias) with `filters` kernels of kernel_size."""

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, int],
        strides: int | tuple[int, int] = 1,
        padding: str = "valid",
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        data_format: str = "channels_last",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"Conv2D filters must be a positive integer, got {filters!r}")
        if padding not in ("valid", "same"):
            raise ValueError(f"Conv2D padding must be 'valid' or 'same', got {padding!r}")
        self.filters, self.padding = filters, padding
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.strides = pair(strides, "strides")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.data_format = check_data_format(data_format)

    def _channels(self, shape: tuple[int, ...]) -> int:
        return shape[-1] if self.data_format == "channels_last" else shape[1]

    def build(self, input_shape: tuple[int, ...]) -> None:
        self._check_rank(input_shape)
        shape = (self.filters, self._channels(input_shape), *self.kernel_size)
        self.kernel = self.add_weight(
            "kernel", shape, self.kernel_initializer, self.kernel_regularizer
        )
        self.bias = (
            self.add_weight("bias", (self.filters,), self.bias_initializer)
            if self.use_bias
            else None
        )

    def weight_shapes(self, input_shape: tuple[int, ...]) -> list[tuple[int, ...]]:
        self._check_rank(input_shape)
        kernel = (self.filters, self._channels(input_shape), *self.kernel_size)
        return [kernel, (self.filters,)] if self.use_bias else [kernel]

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        self._check_rank(input_shape)
        return window_output_shape(
            input_shape,
            self.data_format,
            self.kernel_size,
            self.strides,
            self.padding,
            self.filters,
        )

    def _check_rank(self, shape: tuple[int, ...]) -> None:
        if len(shape) != 4:
            layout = "(N, H, W, C)" if self.data_format == "channels_last" else "(N, C, H, W)"
            raise ValueError(
                f"Conv2D layer {self.name!r} expects image batches {layout}, got shape {shape}"
            )

    def _pads(self, height: int, width: int) -> Any:
        if self.padding == "valid":
            return 0
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        return same_padding(height, kh, sh), same_padding(width, kw, sw)

    def call(self, x: Tensor, activate: bool = True, pool: Any = None) -> Tensor:
        """activation(conv2d(x) + bias); without the activation when `activate` is False
        (`Sequential` applies a ReLU after the max pooling that follows: see there). With
        `pool`, a (ph, pw) window whose tiles cover the output exactly, the max pooling
        of the output over those windows, in the same op (`F.conv2d_max_pool`)."""
        self._check_rank(x.shape)
        expected = self.kernel.shape[1]
        if self._channels(x.shape) != expected:
            raise ValueError(
                f"Conv2D layer {self.name!r} expects {expected} input channels "
                f"({self.data_format}), got input of shape {x.shape}"
            )
        nchw = to_nchw(x, self.data_format)
        height, width = nchw.shape[2:]
        kh, kw = self.kernel_size
        if self.padding == "valid" and (height < kh or width < kw):
            raise ValueError(
                f"Conv2D layer {self.name!r}: the {height}x{width} input is smaller than its "
                f"{kh}x{kw} kernel (input shape {x.shape}); use padding='same' or a larger image"
            )
        geometry = {"stride": self.strides, "pad": self._pads(height, width)}
        if pool is None:
            y = F.conv2d(nchw, self.kernel, self.bias, **geometry)
        else:
            y = F.conv2d_max_pool(nchw, self.kernel, self.bias, pool=pool, **geometry)
        y = from_nchw(y, self.data_format)
        return y if self.activation is None or not activate else self.activation(y)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "activation": activations.name_of(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "data_format": self.data_format,
        }
