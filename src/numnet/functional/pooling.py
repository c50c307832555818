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

    def _row(self, tiles: np.ndarray, i: int) -> np.ndarray:
        """Row i of every window: (N, OH, OW, kw, C) or (N, C, OH, OW, kw), each image row
        one contiguous run."""
        return tiles[:, :, i] if self.channels_last else tiles[:, :, :, i]

    def _column(self, rows: np.ndarray, j: int) -> np.ndarray:
        return rows[:, :, :, j] if self.channels_last else rows[..., j]

    def _spread(self, a: np.ndarray) -> np.ndarray:
        """An (N, OH, OW, C) or (N, C, OH, OW) array seen once per pixel of its window."""
        return a[:, :, None, :, None] if self.channels_last else a[:, :, :, None, :, None]

    def _memory_order(self, a: np.ndarray) -> np.ndarray:
        return a.transpose(0, 2, 3, 1) if self.channels_last else a

    def _tiled_forward(self, x: np.ndarray) -> np.ndarray:
        # The maximum over the window's rows first, whose pixels lie in long contiguous
        # runs, then over the columns of what is left: the same maximum in fewer passes.
        self.tiles = self._tiles(x)
        rows = running_max([self._row(self.tiles, i) for i in range(self.kernel[0])])
        self.best = running_max([self._column(rows, j) for j in range(self.kernel[1])])
        return self.best.transpose(0, 3, 1, 2) if self.channels_last else self.best

    def _tiled_backward(self, grad_out: np.ndarray) -> np.ndarray:
        xp = get_array_module(grad_out)
        # Every pixel equal to its window's maximum gets the window's gradient...
        hit = xp.equal(self.tiles, self._spread(self.best))
        if xp.count_nonzero(hit) > self.best.size:  # ...unless a window has two maxima
            self._keep_first_hits(hit, xp)
        g = self._spread(self._memory_order(grad_out))
        grad_tiles = xp.multiply(g, hit, dtype=self.dtype)
        n, c, h, w = self.x_shape
        if self.channels_last:
            return grad_tiles.reshape(n, h, w, c).transpose(0, 3, 1, 2)
        return grad_tiles.reshape(n, c, h, w)

    def _keep_first_hits(self, hit: np.ndarray, xp: Any) -> None:
        """Keep, in each window, only the first of its maxima (row by row): the one pixel
        the forward's maximum is taken from, as in PyTorch and the loops of the tests."""
        taken = None  # the windows whose first maximum has been seen
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                tile = self._tile(hit, i, j)
                if taken is None:
                    taken = tile.copy()
                else:
                    xp.greater(tile, taken, out=tile)  # a hit, and none before it
                    taken |= tile


def running_max(parts: list[np.ndarray]) -> np.ndarray:
    """The element-wise maximum of equally shaped arrays, as a new array."""
    xp = get_array_module(parts[0])
    if len(parts) == 1:
        return parts[0].copy()
    best = xp.maximum(parts[0], parts[1])
    for part in parts[2:]:
        xp.maximum(best, part, out=best)
    return best


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
