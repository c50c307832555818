"""Convolution by im2col ("Deep Learning from Scratch" 7.4), on NCHW arrays.

im2col lays every kh x kw window of the (padded) input out as one row, so convolution
becomes one matrix product with the kernels flattened to rows: out = col @ W_col.T + b.
col2im is its adjoint: it adds each row's gradient back onto the window it came from.
Windows are strided views (sliding_window_view), so the only copy is the col matrix;
col2im loops over the kh*kw kernel offsets, never over samples or pixels.

Shapes: x (N, C, H, W), W (F, C, kh, kw), out (N, F, OH, OW) with
OH = (H + pad_top + pad_bottom - kh) // stride_h + 1 (and likewise OW).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from numnet.autograd.function import Function

if TYPE_CHECKING:
    from numnet.autograd.tensor import Tensor

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


def is_channels_last(x: np.ndarray) -> bool:
    """True when an NCHW array's memory is NHWC (a channels-last layer's view of its data)."""
    return x.ndim == 4 and x.strides[1] < x.strides[3]


def zeros_nchw(shape: tuple[int, int, int, int], dtype: Any, channels_last: bool) -> np.ndarray:
    """An NCHW array of zeros whose memory is NHWC when channels_last is True.

    Keeping a channels-last layer's memory order through every op lets the window loops
    below read and write runs of contiguous channels instead of single scattered values.
    """
    if not channels_last:
        return np.zeros(shape, dtype=dtype)
    n, c, h, w = shape
    return np.zeros((n, h, w, c), dtype=dtype).transpose(0, 3, 1, 2)


def _pad(x: np.ndarray, p: Pads, value: float = 0.0) -> np.ndarray:
    if not any(p):
        return x
    n, c, h, w = x.shape
    out = zeros_nchw((n, c, h + p[0] + p[1], w + p[2] + p[3]), x.dtype, is_channels_last(x))
    if value:
        out.fill(value)
    out[:, :, p[0] : p[0] + h, p[2] : p[2] + w] = x
    return out


def windows(
    x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], p: Pads, value: float = 0.0
) -> np.ndarray:
    """A strided view (N, C, OH, OW, kh, kw) of every window of the padded input."""
    view = sliding_window_view(_pad(x, p, value), kernel, axis=(2, 3))
    return view[:, :, :: stride[0], :: stride[1]]


def output_shape(
    x_shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int], p: Pads
) -> tuple[int, int]:
    """(OH, OW) of a window op on an NCHW input."""
    return (
        output_size(x_shape[2], kernel[0], stride[0], p[0], p[1]),
        output_size(x_shape[3], kernel[1], stride[1], p[2], p[3]),
    )


def single_channel_columns(
    x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], p: Pads
) -> np.ndarray:
    """im2col's matrix, transposed, for a one-channel input: (kh * kw, N * OH * OW).

    Built one kernel offset at a time (kh * kw plain copies of whole shifted images), which
    is several times faster than gathering windows of a single channel.
    """
    (kh, kw), (sh, sw) = kernel, stride
    oh, ow = output_shape(x.shape, kernel, stride, p)
    images = _pad(x, p)[:, 0]
    columns = np.empty((kh, kw, x.shape[0], oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            columns[i, j] = images[:, i : i + sh * oh : sh, j : j + sw * ow : sw]
    return columns.reshape(kh * kw, -1)


def im2col(x: Any, kh: int, kw: int, stride: Pair = 1, pad: Padding = 0) -> np.ndarray:
    """Rows of windows: (N * OH * OW, C * kh * kw), ordered by sample, row, column."""
    x = np.asarray(getattr(x, "data", x))
    view = windows(x, (kh, kw), pair(stride, "stride"), pads(pad))
    n, c, oh, ow = view.shape[:4]
    return view.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)


def col2im(
    col: np.ndarray,
    input_shape: tuple[int, int, int, int],
    kh: int,
    kw: int,
    stride: Pair = 1,
    pad: Padding = 0,
) -> np.ndarray:
    """The adjoint of im2col: add each row back onto its window; overlaps are summed."""
    n, c, h, w = input_shape
    sh, sw = pair(stride, "stride")
    top, bottom, left, right = pads(pad)
    oh = output_size(h, kh, sh, top, bottom)
    ow = output_size(w, kw, sw, left, right)
    blocks = col.reshape(n, oh, ow, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    padded = np.zeros((n, c, h + top + bottom, w + left + right), dtype=col.dtype)
    for i in range(kh):
        for j in range(kw):
            padded[:, :, i : i + sh * oh : sh, j : j + sw * ow : sw] += blocks[:, :, i, j]
    return padded[:, :, top : top + h, left : left + w]


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


class Conv2D(Function):
    """out = im2col(x) @ W_col.T + b. Backward: dW = g_col.T @ col, db = sum(g_col),
    dx = col2im(g_col @ W_col).

    Internally the columns are ordered (kh, kw, C) rather than im2col's (C, kh, kw), so
    that channels are the innermost, contiguous run for channels-last data.
    """

    def __init__(self, stride: Pair = 1, pad: Padding = 0) -> None:
        self.stride, self.pads = pair(stride, "stride"), pads(pad)

    def forward(self, x: np.ndarray, W: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
        f, c, kh, kw = W.shape
        check_window(x.shape, (kh, kw), self.pads, "conv2d")
        if x.shape[1] != c:
            raise ValueError(f"conv2d: input has {x.shape[1]} channels but the kernels expect {c}")
        if c == 1:
            self.col = single_channel_columns(x, (kh, kw), self.stride, self.pads).T
            n, oh, ow = x.shape[0], *output_shape(x.shape, (kh, kw), self.stride, self.pads)
        else:
            view = windows(x, (kh, kw), self.stride, self.pads)
            n, _, oh, ow = view.shape[:4]
            self.col = view.transpose(0, 2, 3, 4, 5, 1).reshape(n * oh * ow, kh * kw * c)
        self.W_col = W.transpose(0, 2, 3, 1).reshape(f, -1)
        self.W_shape, self.x_shape = W.shape, x.shape
        self.channels_last = is_channels_last(x)
        out = self.col @ self.W_col.T
        if b is not None:
            out += b
        return out.reshape(n, oh, ow, f).transpose(0, 3, 1, 2)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        f, c, kh, kw = self.W_shape
        g = grad_out.transpose(0, 2, 3, 1).reshape(-1, f)
        need_x, need_w = self.needs_input_grad[:2]
        grad_x = self._grad_input(g @ self.W_col) if need_x else None
        grad_w = None
        if need_w:
            grad_w = (g.T @ self.col).reshape(f, kh, kw, c).transpose(0, 3, 1, 2)
        if len(self.needs_input_grad) == 2:
            return grad_x, grad_w
        # db sums g's long columns; as a matrix-vector product BLAS does it several times
        # faster than a reduction over g's short rows.
        return grad_x, grad_w, np.ones(len(g), dtype=g.dtype) @ g

    def _grad_input(self, dcol: np.ndarray) -> np.ndarray:
        """col2im for (kh, kw, C)-ordered columns, summing overlapping windows."""
        n, c, h, w = self.x_shape
        _, _, kh, kw = self.W_shape
        (sh, sw), (top, bottom, left, right) = self.stride, self.pads
        oh, ow = output_size(h, kh, sh, top, bottom), output_size(w, kw, sw, left, right)
        blocks = dcol.reshape(n, oh, ow, kh, kw, c)
        padded = zeros_nchw((n, c, h + top + bottom, w + left + right), dcol.dtype, True)
        nhwc = padded.transpose(0, 2, 3, 1)
        for i in range(kh):
            for j in range(kw):
                nhwc[:, i : i + sh * oh : sh, j : j + sw * ow : sw, :] += blocks[:, :, :, i, j, :]
        grad_x = padded[:, :, top : top + h, left : left + w]
        return grad_x if self.channels_last else np.ascontiguousarray(grad_x)


def conv2d(x: Any, W: Any, b: Any = None, stride: Pair = 1, pad: Padding = 0) -> Tensor:
    """2-D convolution (cross-correlation, as in every deep-learning library) of NCHW x
    with kernels W of shape (out_channels, in_channels, kh, kw)."""
    op = Conv2D(stride, pad)
    return op(x, W) if b is None else op(x, W, b)
