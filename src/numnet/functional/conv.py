"""Convolution by im2col ("Deep Learning from Scratch" 7.4), on NCHW arrays.

im2col lays every kh x kw window of the (padded) input out as one row, so convolution
becomes one matrix product with the kernels flattened to rows: out = col @ W_col.T + b.
col2im is its adjoint: it adds each row's gradient back onto the window it came from.
Windows are strided views (`window.windows`), so the only copy is the col matrix;
col2im loops over the kh*kw kernel offsets, never over samples or pixels.

Shapes: x (N, C, H, W), W (F, C, kh, kw), out (N, F, OH, OW), with OH and OW as in
`numnet.functional.window`, which also holds `pair` (imported from here by the layers).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.ops.linalg import long_product
from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module
from numnet.functional.window import (
    Padding,
    Pads,
    Pair,
    check_window,
    is_channels_last,
    output_shape,
    output_size,
    pad_nchw,
    pads,
    pair,
    windows,
    zeros_nchw,
)


def single_channel_columns(
    x: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    p: Pads,
    ones: bool = False,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """im2col's matrix, transposed, for a one-channel input: (kh * kw, N * OH * OW), with
    a last row of ones when `ones` (the bias trick: see `Conv2D`); written into `out`
    (of that shape) when given.

    Built one kernel offset at a time (kh * kw plain copies of whole shifted images), which
    is several times faster than gathering windows of a single channel.
    """
    (kh, kw), (sh, sw) = kernel, stride
    n, (oh, ow) = x.shape[0], output_shape(x.shape, kernel, stride, p)
    images = pad_nchw(x, p)[:, 0]
    if out is None:
        out = get_array_module(x).empty((kh * kw + ones, n * oh * ow), dtype=x.dtype)
    planes = out.reshape(len(out), n, oh, ow)  # a view: the last axis is contiguous
    for i in range(kh):
        for j in range(kw):
            planes[i * kw + j] = images[:, i : i + sh * oh : sh, j : j + sw * ow : sw]
    if ones:
        out[-1] = 1
    return out


def window_columns(
    view: np.ndarray, ones: bool = False, out: np.ndarray | None = None
) -> np.ndarray:
    """im2col's matrix with (kh, kw, C)-ordered columns, (N * OH * OW, kh * kw * C), from
    the (N, C, OH, OW, kh, kw) windows `view`, and a last column of ones when `ones`;
    written into `out` when given."""
    n, c, oh, ow, kh, kw = view.shape
    size = kh * kw * c
    if out is None:
        out = get_array_module(view).empty((n * oh * ow, size + ones), dtype=view.dtype)
    out[:, :size].reshape(n, oh, ow, kh, kw, c)[...] = view.transpose(0, 2, 3, 4, 5, 1)
    if ones:
        out[:, size] = 1
    return out


def im2col(x: Any, kh: int, kw: int, stride: Pair = 1, pad: Padding = 0) -> np.ndarray:
    """Rows of windows: (N * OH * OW, C * kh * kw), ordered by sample, row, column."""
    x = x.data if isinstance(x, Tensor) else x
    x = get_array_module(x).asarray(x)
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
    padded = get_array_module(col).zeros((n, c, h + top + bottom, w + left + right), col.dtype)
    for i in range(kh):
        for j in range(kw):
            padded[:, :, i : i + sh * oh : sh, j : j + sw * ow : sw] += blocks[:, :, i, j]
    return padded[:, :, top : top + h, left : left + w]


class Conv2D(Function):
    """out = im2col(x) @ W_col.T + b. Backward: dW = g_col.T @ col, db = sum(g_col),
    dx = col2im(g_col @ W_col).

    Internally the columns are ordered (kh, kw, C) rather than im2col's (C, kh, kw), so
    that channels are the innermost, contiguous run for channels-last data. With a bias,
    col gets a last column of ones and W_col the bias as its last column (the "bias
    trick"): [col 1] @ [W_col b].T is col @ W_col.T + b in one product, and
    [col 1].T @ g_col gives dW and db together, without two more passes over the output.
    """

    def __init__(self, stride: Pair = 1, pad: Padding = 0) -> None:
        self.stride, self.pads = pair(stride, "stride"), pads(pad)

    def forward(self, x: np.ndarray, W: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
        f, c, kh, kw = W.shape
        check_window(x.shape, (kh, kw), self.pads, "conv2d")
        if x.shape[1] != c:
            raise ValueError(f"conv2d: input has {x.shape[1]} channels but the kernels expect {c}")
        with_bias = b is not None
        self.W_col = W.transpose(0, 2, 3, 1).reshape(f, -1)
        self.W_shape, self.x_shape = W.shape, x.shape
        self.channels_last = is_channels_last(x)
        self.col = self._columns(x, with_bias)
        xp = get_array_module(x)
        weights = xp.concatenate([self.W_col, b[:, None]], axis=1) if with_bias else self.W_col
        return self._output(self.col @ weights.T)

    def _columns(self, x: np.ndarray, ones: bool) -> np.ndarray:
        """im2col's matrix (N * OH * OW, kh * kw * C [+ 1]), rows in (N, OH, OW) order."""
        return columns(x, self.W_shape[2:], self.stride, self.pads, ones)

    def _output(self, rows: np.ndarray) -> np.ndarray:
        """The (N, F, OH, OW) output from its rows (N * OH * OW, F): a view, NHWC memory."""
        n, (oh, ow) = self.x_shape[0], self._conv_size()
        return rows.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)

    def _conv_size(self) -> tuple[int, int]:
        """(OH, OW) of the convolution."""
        return output_shape(self.x_shape, self.W_shape[2:], self.stride, self.pads)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        f, c, kh, kw = self.W_shape
        g = self._grad_rows(grad_out)
        need_x, need_w = self.needs_input_grad[:2]
        with_bias = len(self.needs_input_grad) == 3
        grad_x = self._grad_input(g) if need_x else None
        grad_w = grad_b = None
        if need_w or (with_bias and self.needs_input_grad[2]):
            # (kh * kw * C [+ 1], F): dW's rows, then db's when col has its ones column
            grad_wb = long_product(self.col.T, g)
            grad_w = grad_wb[: kh * kw * c].T.reshape(f, kh, kw, c).transpose(0, 3, 1, 2)
            grad_b = grad_wb[-1] if with_bias else None
        return (grad_x, grad_w) if not with_bias else (grad_x, grad_w, grad_b)

    def _grad_rows(self, grad_out: np.ndarray) -> np.ndarray:
        """grad_out as rows (N * OH * OW, F), in the order of col's rows."""
        return grad_out.transpose(0, 2, 3, 1).reshape(-1, self.W_shape[0])

    def _grad_input(self, g: np.ndarray) -> np.ndarray:
        """dx = col2im(g @ W_col): each window's gradient added back onto its pixels.

        The product is taken per kernel offset (one batched matmul), so that the gradient
        of every window's pixel (i, j) is one contiguous (N, OH, OW, C) block: each of the
        kh * kw additions then reads long runs, where the columns of g @ W_col would give
        it runs of C values (6 in LeNet-5's second convolution)."""
        f, c, kh, kw = self.W_shape
        n, _, h, w = self.x_shape
        (sh, sw), (top, bottom, left, right) = self.stride, self.pads
        oh, ow = self._conv_size()
        per_offset = self.W_col.reshape(f, kh * kw, c).transpose(1, 0, 2)  # (kh * kw, F, C)
        blocks = (g @ per_offset).reshape(kh, kw, n, oh, ow, c)
        xp = get_array_module(g)
        padded = zeros_nchw(xp, (n, c, h + top + bottom, w + left + right), g.dtype, True)
        nhwc = padded.transpose(0, 2, 3, 1)
        for i in range(kh):
            for j in range(kw):
                nhwc[:, i : i + sh * oh : sh, j : j + sw * ow : sw, :] += blocks[i, j]
        grad_x = padded[:, :, top : top + h, left : left + w]
        return grad_x if self.channels_last else xp.ascontiguousarray(grad_x)


def columns(
    x: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    p: Pads,
    ones: bool,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """im2col's matrix (N * OH * OW, kh * kw * C [+ a column of ones]) with (kh, kw, C)-
    ordered columns, the road taken depending on the number of channels; into `out`
    (that shape, or its transpose for one channel: see `single_channel_columns`)."""
    if x.shape[1] == 1:
        return single_channel_columns(x, kernel, stride, p, ones, out).T
    return window_columns(windows(x, kernel, stride, p), ones, out)


def conv2d(x: Any, W: Any, b: Any = None, stride: Pair = 1, pad: Padding = 0) -> Tensor:
    """2-D convolution (cross-correlation, as in every deep-learning library) of NCHW x
    with kernels W of shape (out_channels, in_channels, kh, kw)."""
    op = Conv2D(stride, pad)
    return apply(op, x, W) if b is None else apply(op, x, W, b)
