"""Max and average pooling over kh x kw windows of NCHW arrays (strided views, no loops
over samples, channels or pixels)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from numnet.autograd.function import Function
from numnet.functional.conv import Padding, Pair, check_window, pads, pair, windows

if TYPE_CHECKING:
    from numnet.autograd.tensor import Tensor


def _scatter(
    per_offset: Any,
    shape: tuple[int, ...],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    p: Any,
    dtype: Any,
) -> np.ndarray:
    """Add per_offset(i, j) (an (N, C, OH, OW) array) onto every window's (i, j) pixel."""
    n, c, h, w = shape
    top, bottom, left, right = p
    padded = np.zeros((n, c, h + top + bottom, w + left + right), dtype=dtype)
    (kh, kw), (sh, sw) = kernel, stride
    for i in range(kh):
        for j in range(kw):
            contribution = per_offset(i, j)
            oh, ow = contribution.shape[2:]
            padded[:, :, i : i + sh * oh : sh, j : j + sw * ow : sw] += contribution
    return padded[:, :, top : top + h, left : left + w]


class MaxPool2D(Function):
    """out = max over each window; the gradient goes to the (first) maximum of the window."""

    def __init__(self, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> None:
        self.kernel = pair(kernel_size, "kernel_size")
        self.stride = self.kernel if stride is None else pair(stride, "stride")
        self.pads = pads(pad)

    def forward(self, x: np.ndarray) -> np.ndarray:
        check_window(x.shape, self.kernel, self.pads, "max_pool2d")
        view = windows(x, self.kernel, self.stride, self.pads, value=-np.inf)
        flat = view.reshape(*view.shape[:4], -1)
        self.argmax = flat.argmax(axis=-1)
        self.x_shape, self.dtype = x.shape, x.dtype
        return np.take_along_axis(flat, self.argmax[..., None], axis=-1)[..., 0]

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        kw = self.kernel[1]

        def at(i: int, j: int) -> np.ndarray:
            return grad_out * (self.argmax == i * kw + j)

        return (_scatter(at, self.x_shape, self.kernel, self.stride, self.pads, self.dtype),)


class AvgPool2D(Function):
    """out = mean over each window (zero padding counts); every pixel of a window gets
    grad_out / (kh * kw)."""

    def __init__(self, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> None:
        self.kernel = pair(kernel_size, "kernel_size")
        self.stride = self.kernel if stride is None else pair(stride, "stride")
        self.pads = pads(pad)

    def forward(self, x: np.ndarray) -> np.ndarray:
        check_window(x.shape, self.kernel, self.pads, "avg_pool2d")
        self.x_shape, self.dtype = x.shape, x.dtype
        return windows(x, self.kernel, self.stride, self.pads).mean(axis=(-2, -1))

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        share = grad_out / (self.kernel[0] * self.kernel[1])
        return (
            _scatter(
                lambda i, j: share, self.x_shape, self.kernel, self.stride, self.pads, self.dtype
            ),
        )


def max_pool2d(x: Any, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> Tensor:
    """Maximum over kernel_size windows of NCHW x (stride defaults to kernel_size)."""
    return MaxPool2D(kernel_size, stride, pad)(x)


def avg_pool2d(x: Any, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> Tensor:
    """Mean over kernel_size windows of NCHW x (stride defaults to kernel_size)."""
    return AvgPool2D(kernel_size, stride, pad)(x)
