"""Max and average pooling over kh x kw windows of NCHW arrays (strided views, no loops
over samples, channels or pixels)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from numnet.autograd.function import Function
from numnet.functional.conv import (
    Padding,
    Pair,
    _pad,
    check_window,
    is_channels_last,
    output_shape,
    pads,
    pair,
    windows,
    zeros_nchw,
)

if TYPE_CHECKING:
    from numnet.autograd.tensor import Tensor


def _scatter(
    per_offset: Any,
    shape: tuple[int, ...],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    p: Any,
    dtype: Any,
    channels_last: bool,
) -> np.ndarray:
    """Add per_offset(i, j) (an (N, C, OH, OW) array) onto every window's (i, j) pixel."""
    n, c, h, w = shape
    top, bottom, left, right = p
    padded = zeros_nchw((n, c, h + top + bottom, w + left + right), dtype, channels_last)
    (kh, kw), (sh, sw) = kernel, stride
    for i in range(kh):
        for j in range(kw):
            contribution = per_offset(i, j)
            oh, ow = contribution.shape[2:]
            padded[:, :, i : i + sh * oh : sh, j : j + sw * ow : sw] += contribution
    return padded[:, :, top : top + h, left : left + w]


def _offsets(
    xp: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, int]
):
    """(k, window pixel (i, j) of every window) for each of the kh * kw kernel offsets."""
    (kh, kw), (sh, sw), (oh, ow) = kernel, stride, out_hw
    for i in range(kh):
        for j in range(kw):
            yield i * kw + j, xp[:, :, i : i + sh * oh : sh, j : j + sw * ow : sw]


class MaxPool2D(Function):
    """out = max over each window; the gradient goes to the (first) maximum of the window.

    A loop over the kh * kw offsets keeps the running maximum and where it came from, so
    nothing is copied per window and the data keeps its memory layout. The common case of
    windows that tile the image exactly (stride = kernel, no padding, sizes divisible) takes
    a shorter road: a reshape turns the tiles into two extra axes, and the backward pass
    finds each window's first maximum again by comparing with the output.
    """

    def __init__(self, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> None:
        self.kernel = pair(kernel_size, "kernel_size")
        self.stride = self.kernel if stride is None else pair(stride, "stride")
        self.pads = pads(pad)

    def forward(self, x: np.ndarray) -> np.ndarray:
        check_window(x.shape, self.kernel, self.pads, "max_pool2d")
        self.x_shape, self.dtype, self.channels_last = x.shape, x.dtype, is_channels_last(x)
        (kh, kw), (h, w) = self.kernel, x.shape[2:]
        self.tiled = (
            self.stride == self.kernel and not any(self.pads) and h % kh == 0 and w % kw == 0
        )
        if self.tiled:
            return self._tiled_forward(x)
        out_hw = output_shape(x.shape, self.kernel, self.stride, self.pads)
        best = self.argmax = None
        for k, candidate in _offsets(_pad(x, self.pads, -np.inf), self.kernel, self.stride, out_hw):
            if best is None:
                best = candidate.copy(order="K")
                self.argmax = np.zeros_like(best, dtype=np.int16)
                continue
            better = candidate > best
            np.copyto(best, candidate, where=better)
            np.copyto(self.argmax, k, where=better)
        return best

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        if self.tiled:
            return (self._tiled_backward(grad_out),)
        kw = self.kernel[1]

        def at(i: int, j: int) -> np.ndarray:
            return grad_out * (self.argmax == i * kw + j)

        grad = _scatter(
            at, self.x_shape, self.kernel, self.stride, self.pads, self.dtype, self.channels_last
        )
        return (grad,)

    # Tiled windows. In memory order, NHWC data reshapes to (N, OH, kh, OW, kw, C) and NCHW
    # to (N, C, OH, kh, OW, kw); tile(i, j) is the (i, j) pixel of every window.
    def _tiles(self, x: np.ndarray) -> np.ndarray:
        n, c, h, w = x.shape
        (kh, kw), (oh, ow) = self.kernel, (h // self.kernel[0], w // self.kernel[1])
        if self.channels_last:
            return x.transpose(0, 2, 3, 1).reshape(n, oh, kh, ow, kw, c)
        return x.reshape(n, c, oh, kh, ow, kw)

    def _tile(self, tiles: np.ndarray, i: int, j: int) -> np.ndarray:
        return tiles[:, :, i, :, j] if self.channels_last else tiles[:, :, :, i, :, j]

    def _memory_order(self, a: np.ndarray) -> np.ndarray:
        return a.transpose(0, 2, 3, 1) if self.channels_last else a

    def _tiled_forward(self, x: np.ndarray) -> np.ndarray:
        self.tiles = self._tiles(x)
        best = None
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                tile = self._tile(self.tiles, i, j)
                if best is None:
                    best = tile.copy()
                else:
                    np.maximum(best, tile, out=best)
        self.best = best
        return best.transpose(0, 3, 1, 2) if self.channels_last else best

    def _tiled_backward(self, grad_out: np.ndarray) -> np.ndarray:
        grad_tiles = np.empty(self.tiles.shape, dtype=self.dtype)  # the tiles cover it all
        g = self._memory_order(grad_out)
        taken = None
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                hit = self._tile(self.tiles, i, j) == self.best
                if taken is None:
                    taken = hit.copy()
                else:
                    hit &= ~taken  # only the first maximum of a window gets the gradient
                    taken |= hit
                np.multiply(g, hit, out=self._tile(grad_tiles, i, j))
        n, c, h, w = self.x_shape
        if self.channels_last:
            return grad_tiles.reshape(n, h, w, c).transpose(0, 3, 1, 2)
        return grad_tiles.reshape(n, c, h, w)


class AvgPool2D(Function):
    """out = mean over each window (zero padding counts); every pixel of a window gets
    grad_out / (kh * kw)."""

    def __init__(self, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> None:
        self.kernel = pair(kernel_size, "kernel_size")
        self.stride = self.kernel if stride is None else pair(stride, "stride")
        self.pads = pads(pad)

    def forward(self, x: np.ndarray) -> np.ndarray:
        check_window(x.shape, self.kernel, self.pads, "avg_pool2d")
        self.x_shape, self.dtype, self.channels_last = x.shape, x.dtype, is_channels_last(x)
        return windows(x, self.kernel, self.stride, self.pads).mean(axis=(-2, -1))

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        share = grad_out / (self.kernel[0] * self.kernel[1])
        grad = _scatter(
            lambda i, j: share,
            self.x_shape,
            self.kernel,
            self.stride,
            self.pads,
            self.dtype,
            self.channels_last,
        )
        return (grad,)


def max_pool2d(x: Any, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> Tensor:
    """Maximum over kernel_size windows of NCHW x (stride defaults to kernel_size)."""
    return MaxPool2D(kernel_size, stride, pad)(x)


def avg_pool2d(x: Any, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> Tensor:
    """Mean over kernel_size windows of NCHW x (stride defaults to kernel_size)."""
    return AvgPool2D(kernel_size, stride, pad)(x)
