"""Transposed convolution ("deconvolution") on NCHW arrays: conv2d's adjoint.

conv2d maps x (N, C, H, W) to y (N, F, OH, OW); its gradient with respect to x maps an
(N, F, OH, OW) array back to (N, C, H, W). Used as a forward op, that gradient is
conv_transpose2d: every input pixel stamps a weighted copy of the kernel onto a
stride-spaced grid of the output, and overlapping stamps add up. It upsamples, which
is how a generator grows a small feature map into an image.

In textbook terms: stamps = x_rows @ W_rows (one kh * kw * F stamp per input pixel),
then col2im adds every stamp onto its window of the output. Backward goes the other way:
im2col of grad_out gives g_col, dx = g_col @ W_rows.T (a plain conv2d of grad_out) and
dW = x_rows.T @ g_col.

Kernel layout: W is (in_channels, out_channels, kh, kw), the layout of the conv2d
kernel whose input gradient this op is (and PyTorch's ConvTranspose2d layout). Keras
stores (kh, kw, out_channels, in_channels): `layers.Conv2DTranspose` transposes.

Sizes: the stamps cover (H - 1) * stride + kh rows; `pad` crops rows off the top and
bottom of that, and `output_padding` adds zero rows at the bottom (likewise columns):
OH = (H - 1) * stride_h + kh - pad_top - pad_bottom + output_padding_h.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module
from numnet.functional.window import Padding, Pair, is_channels_last, pads, pair


def non_negative_pair(value: Pair, name: str) -> tuple[int, int]:
    """(v, v) for an int, the pair itself otherwise; each must be an int >= 0."""
    a, b = (value, value) if isinstance(value, int | np.integer) else tuple(value)
    if int(a) < 0 or int(b) < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return int(a), int(b)


def transpose_output_size(size: int, kernel: int, stride: int, crop: int, extra: int) -> int:
    """Length of conv_transpose2d's output along one axis (crop = pad before + after)."""
    return (size - 1) * stride + kernel - crop + extra


class ConvTranspose2D(Function):
    """out = col2im(x_rows @ W_rows) + b. Backward: g_col = im2col(grad_out),
    dx = g_col @ W_rows.T, dW = x_rows.T @ g_col, db = sum(grad_out).

    Stamps are ordered (kh, kw, F) so that output channels are the innermost,
    contiguous run: the scatter below then adds whole channel vectors at a time.
    """

    def __init__(self, stride: Pair = 1, pad: Padding = 0, output_padding: Pair = 0) -> None:
        self.stride, self.pads = pair(stride, "stride"), pads(pad)
        self.output_padding = non_negative_pair(output_padding, "output_padding")

    def _geometry(self, x_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> None:
        """Check the shapes; keep the output size and the frame the stamps land in."""
        if len(x_shape) != 4 or len(w_shape) != 4:
            raise ValueError(
                f"conv_transpose2d expects NCHW input and a (C_in, C_out, kh, kw) kernel, "
                f"got shapes {x_shape} and {w_shape}"
            )
        if x_shape[1] != w_shape[0]:
            raise ValueError(
                f"conv_transpose2d: input has {x_shape[1]} channels but the kernel "
                f"(C_in, C_out, kh, kw) = {w_shape} expects {w_shape[0]}"
            )
        (h, w), (kh, kw) = x_shape[2:], w_shape[2:]
        (sh, sw), (top, bottom, left, right) = self.stride, self.pads
        (eh, ew) = self.output_padding
        self.out_hw = (
            transpose_output_size(h, kh, sh, top + bottom, eh),
            transpose_output_size(w, kw, sw, left + right, ew),
        )
        if min(self.out_hw) < 1:
            raise ValueError(
                f"conv_transpose2d: padding {self.pads} crops away the whole "
                f"{(h - 1) * sh + kh}x{(w - 1) * sw + kw} output (input shape {x_shape})"
            )
        # The stamps cover (h - 1) * sh + kh rows; output_padding beyond `bottom` needs more.
        self.frame_hw = (
            (h - 1) * sh + kh + max(eh - bottom, 0),
            (w - 1) * sw + kw + max(ew - right, 0),
        )

    def forward(self, x: np.ndarray, W: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
        xp = get_array_module(x)
        self._geometry(x.shape, W.shape)
        n, c_in, h, w = x.shape
        _, c_out, kh, kw = W.shape
        (sh, sw), (top, _, left, _) = self.stride, self.pads
        self.x_shape, self.W_shape = x.shape, W.shape
        self.channels_last = is_channels_last(x)
        self.x_rows = x.transpose(0, 2, 3, 1).reshape(n * h * w, c_in)
        self.W_rows = W.transpose(0, 2, 3, 1).reshape(c_in, kh * kw * c_out)
        stamps = (self.x_rows @ self.W_rows).reshape(n, h, w, kh, kw, c_out)
        frame = xp.zeros((n, *self.frame_hw, c_out), dtype=stamps.dtype)  # NHWC
        for i in range(kh):
            for j in range(kw):
                frame[:, i : i + sh * h : sh, j : j + sw * w : sw] += stamps[:, :, :, i, j]
        oh, ow = self.out_hw
        out = frame[:, top : top + oh, left : left + ow]
        if b is not None:
            out += b  # out is a view of our own frame: adding in place copies nothing
        return out.transpose(0, 3, 1, 2)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        xp = get_array_module(grad_out)
        n, c_in, h, w = self.x_shape
        _, c_out, kh, kw = self.W_shape
        (sh, sw), (top, _, left, _) = self.stride, self.pads
        oh, ow = self.out_hw
        # Put grad_out back into the frame the stamps were added in (zeros where cropped).
        frame = xp.zeros((n, *self.frame_hw, c_out), dtype=grad_out.dtype)
        frame[:, top : top + oh, left : left + ow] = grad_out.transpose(0, 2, 3, 1)
        view = xp.lib.stride_tricks.sliding_window_view(frame, (kh, kw), axis=(1, 2))
        view = view[:, : sh * h : sh, : sw * w : sw]  # (N, H, W, F, kh, kw), one per stamp
        g_col = view.transpose(0, 1, 2, 4, 5, 3).reshape(n * h * w, kh * kw * c_out)
        need_x, need_w = self.needs_input_grad[:2]
        grad_x = grad_w = None
        if need_x:
            grad_x = (g_col @ self.W_rows.T).reshape(n, h, w, c_in).transpose(0, 3, 1, 2)
            grad_x = grad_x if self.channels_last else xp.ascontiguousarray(grad_x)
        if need_w:
            grad_w = (self.x_rows.T @ g_col).reshape(c_in, kh, kw, c_out).transpose(0, 3, 1, 2)
        if len(self.needs_input_grad) == 2:
            return grad_x, grad_w
        return grad_x, grad_w, grad_out.sum(axis=(0, 2, 3))


def conv_transpose2d(
    x: Any, W: Any, b: Any = None, stride: Pair = 1, pad: Padding = 0, output_padding: Pair = 0
) -> Tensor:
    """Transposed convolution of NCHW x with W of shape (in_channels, out_channels, kh, kw).

    The output is (N, out_channels, OH, OW) with
    OH = (H - 1) * stride + kh - pad_top - pad_bottom + output_padding (likewise OW);
    conv_transpose2d(y, W) is the gradient of conv2d(x, W) with respect to x, applied to y.
    """
    op = ConvTranspose2D(stride, pad, output_padding)
    return apply(op, x, W) if b is None else apply(op, x, W, b)
