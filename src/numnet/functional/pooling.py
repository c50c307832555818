"""Max and average pooling over kh x kw windows of NCHW arrays (strided views, no loops
over samples, channels or pixels)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module
from numnet.functional.window import (
    Padding,
    Pair,
    check_window,
    is_channels_last,
    output_shape,
    pad_nchw,
    pads,
    pair,
    windows,
    zeros_nchw,
)


class _Pool2D(Function):
    """What max and average pooling share: the window geometry, the input's shape, dtype
    and memory order, and the backward scatter onto the windows' pixels."""

    name = "pool2d"

    def __init__(self, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> None:
        self.kernel = pair(kernel_size, "kernel_size")
        self.stride = self.kernel if stride is None else pair(stride, "stride")
        self.pads = pads(pad)

    def _remember_input(self, x: np.ndarray) -> None:
        check_window(x.shape, self.kernel, self.pads, self.name)
        self.x_shape, self.dtype, self.channels_last = x.shape, x.dtype, is_channels_last(x)

    def _offsets(self, padded: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
        """(k, the (i, j) pixel of every window) for each of the kh * kw kernel offsets
        k = i * kw + j of the padded input."""
        (kh, kw), (sh, sw) = self.kernel, self.stride
        oh, ow = output_shape(self.x_shape, self.kernel, self.stride, self.pads)
        for i in range(kh):
            for j in range(kw):
                yield i * kw + j, padded[:, :, i : i + sh * oh : sh, j : j + sw * ow : sw]

    def _scatter(self, per_offset: Callable[[int], np.ndarray], xp: Any) -> np.ndarray:
        """The input's gradient: per_offset(k) (an (N, C, OH, OW) array) added onto the
        pixel of every window at kernel offset k, overlaps summed."""
        n, c, h, w = self.x_shape
        top, bottom, left, right = self.pads
        shape = (n, c, h + top + bottom, w + left + right)
        padded = zeros_nchw(xp, shape, self.dtype, self.channels_last)
        for k, pixels in self._offsets(padded):
            pixels += per_offset(k)
        return padded[:, :, top : top + h, left : left + w]


class MaxPool2D(_Pool2D):
    """out = max over each window; the gradient goes to the (first) maximum of the window.

    A loop over the kh * kw offsets keeps the running maximum and where it came from, so
    nothing is copied per window and the data keeps its memory layout. The common case of
    windows that tile the image exactly (stride = kernel, no padding, sizes divisible) takes
    a shorter road: a reshape turns the tiles into two extra axes, and the backward pass
    finds each window's first maximum again by comparing with the output.
    """

    name = "max_pool2d"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._remember_input(x)
        (kh, kw), (h, w) = self.kernel, x.shape[2:]
        self.tiled = (
            self.stride == self.kernel and not any(self.pads) and h % kh == 0 and w % kw == 0
        )
        if self.tiled:
            return self._tiled_forward(x)
        xp = get_array_module(x)
        best = self.argmax = None
        for k, candidate in self._offsets(pad_nchw(x, self.pads, -np.inf)):
            if best is None:
                best = candidate.copy(order="K")
                self.argmax = xp.zeros_like(best, dtype=np.int16)
                continue
            better = candidate > best
            xp.copyto(best, candidate, where=better)
            xp.copyto(self.argmax, k, where=better)
        return best

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        if self.tiled:
            return (self._tiled_backward(grad_out),)
        xp = get_array_module(grad_out)
        # Each window's gradient goes to the kernel offset its maximum came from.
        return (self._scatter(lambda k: grad_out * (self.argmax == k), xp),)

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
        xp = get_array_module(x)
        self.tiles = self._tiles(x)
        best = None
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                tile = self._tile(self.tiles, i, j)
                if best is None:
                    best = tile.copy()
                else:
                    xp.maximum(best, tile, out=best)
        self.best = best
        return best.transpose(0, 3, 1, 2) if self.channels_last else best

    def _tiled_backward(self, grad_out: np.ndarray) -> np.ndarray:
        xp = get_array_module(grad_out)
        grad_tiles = xp.empty(self.tiles.shape, dtype=self.dtype)  # the tiles cover it all
        g = self._memory_order(grad_out)
        taken = None  # the windows whose maximum has had its gradient
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                hit = self._tile(self.tiles, i, j) == self.best
                if taken is None:
                    taken = hit
                else:
                    # only the first maximum of a window gets the gradient: hit and not taken
                    xp.greater(hit, taken, out=hit)
                    taken |= hit
                xp.multiply(g, hit, out=self._tile(grad_tiles, i, j))
        n, c, h, w = self.x_shape
        if self.channels_last:
            return grad_tiles.reshape(n, h, w, c).transpose(0, 3, 1, 2)
        return grad_tiles.reshape(n, c, h, w)


class AvgPool2D(_Pool2D):
    """out = mean over each window (zero padding counts); every pixel of a window gets
    grad_out / (kh * kw)."""

    name = "avg_pool2d"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._remember_input(x)
        return windows(x, self.kernel, self.stride, self.pads).mean(axis=(-2, -1))

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        share = grad_out / (self.kernel[0] * self.kernel[1])
        return (self._scatter(lambda k: share, get_array_module(grad_out)),)


def max_pool2d(x: Any, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> Tensor:
    """Maximum over kernel_size windows of NCHW x (stride defaults to kernel_size)."""
    return apply(MaxPool2D(kernel_size, stride, pad), x)


def avg_pool2d(x: Any, kernel_size: Pair, stride: Pair | None = None, pad: Padding = 0) -> Tensor:
    """Mean over kernel_size windows of NCHW x (stride defaults to kernel_size)."""
    return apply(AvgPool2D(kernel_size, stride, pad), x)
