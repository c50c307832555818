"""Window geometry of convolution and pooling on NCHW arrays: kernel and stride pairs,
padding, output sizes, and strided views of every window.

Shapes: x (N, C, H, W) and a kh x kw window give OH x OW window positions, with
OH = (H + pad_top + pad_bottom - kh) // stride_h + 1 (and likewise OW).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.backend import get_array_module

Pair = int | tuple[int, int]
Padding = int | tuple[int, int] | tuple[tuple[int, int], tuple[int, int]]
Pads = tuple[int, int, int, int]  # top, bottom, left, right


def pair(value: Pair, name: str = "value") -> tuple[int, int]:
    """(v, v) for an int, the pair itself otherwise; each must be a positive int."""
    a, b = (value, value) if isinstance(value, int | np.integer) else tuple(value)
    if int(a) < 1 or int(b) < 1:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return int(a), int(b)


def pads(pad: Padding) -> Pads:
    """(top, bottom, left, right) from an int, an (h, w) pair or ((top, bottom), (left, right))."""
    if isinstance(pad, int | np.integer):
        result = (int(pad),) * 4
    else:
        h, w = pad
        top, bottom = (h, h) if isinstance(h, int | np.integer) else h
        left, right = (w, w) if isinstance(w, int | np.integer) else w
        result = (int(top), int(bottom), int(left), int(right))
    if min(result) < 0:
        raise ValueError(f"padding must be >= 0, got {pad!r}")
    return result


def output_size(size: int, kernel: int, stride: int, before: int, after: int) -> int:
    """Number of window positions along one axis."""
    return (size + before + after - kernel) // stride + 1


def output_shape(
    x_shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int], p: Pads
) -> tuple[int, int]:
    """(OH, OW) of a window op on an NCHW input."""
    return (
        output_size(x_shape[2], kernel[0], stride[0], p[0], p[1]),
        output_size(x_shape[3], kernel[1], stride[1], p[2], p[3]),
    )


def check_window(x_shape: tuple[int, ...], kernel: tuple[int, int], p: Pads, what: str) -> None:
    """Raise a clear error for a non-NCHW input or an image smaller than the window."""
    if len(x_shape) != 4:
        raise ValueError(f"{what} expects NCHW input with 4 axes, got shape {x_shape}")
    h, w = x_shape[2] + p[0] + p[1], x_shape[3] + p[2] + p[3]
    if h < kernel[0] or w < kernel[1]:
        raise ValueError(
            f"{what}: the (padded) input is {h}x{w}, smaller than the "
            f"{kernel[0]}x{kernel[1]} window (input shape {x_shape})"
        )


def is_channels_last(x: np.ndarray) -> bool:
    """True when an NCHW array's memory is NHWC (a channels-last layer's view of its data)."""
    return x.ndim == 4 and x.strides[1] < x.strides[3]


def zeros_nchw(
    xp: Any, shape: tuple[int, int, int, int], dtype: Any, channels_last: bool
) -> np.ndarray:
    """NCHW zeros from array module `xp`, with NHWC memory when channels_last is True.

    Keeping a channels-last layer's memory order through every op lets the window loops
    of conv and pooling read and write runs of contiguous channels instead of single
    scattered values.
    """
    if not channels_last:
        return xp.zeros(shape, dtype=dtype)
    n, c, h, w = shape
    return xp.zeros((n, h, w, c), dtype=dtype).transpose(0, 3, 1, 2)


def pad_nchw(x: np.ndarray, p: Pads, value: float = 0.0) -> np.ndarray:
    """x with p = (top, bottom, left, right) rows and columns of `value` around each image."""
    if not any(p):
        return x
    n, c, h, w = x.shape
    shape = (n, c, h + p[0] + p[1], w + p[2] + p[3])
    out = zeros_nchw(get_array_module(x), shape, x.dtype, is_channels_last(x))
    if value:
        out.fill(value)
    out[:, :, p[0] : p[0] + h, p[2] : p[2] + w] = x
    return out


def windows(
    x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], p: Pads, value: float = 0.0
) -> np.ndarray:
    """A strided view (N, C, OH, OW, kh, kw) of every window of the padded input."""
    sliding_window_view = get_array_module(x).lib.stride_tricks.sliding_window_view
    view = sliding_window_view(pad_nchw(x, p, value), kernel, axis=(2, 3))
    return view[:, :, :: stride[0], :: stride[1]]
