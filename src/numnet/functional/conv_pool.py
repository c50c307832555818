"""A convolution and the max pooling after it as one op, for pooling windows that tile
the convolution's output (stride = pool size, no padding, sizes divisible: the usual
2x2 pooling of a CNN).

Pixel (i, j) of pooling window (r, c) is the convolution's output pixel (ph * r + i,
pw * c + j): the convolution at ph and pw times its stride, on the input shifted by i
and j of its strides. So im2col's rows can be ordered by window pixel first: the rows
of every window's pixel (0, 0), then of every pixel (0, 1), and so on. One matrix
product then gives the convolution as ph * pw contiguous arrays, one per window pixel,
and the pooling is their element-wise maximum; its backward compares each with the
maximum, again on long contiguous runs. In the image's own order, the pixels of a
window are interleaved with their neighbours' and every pass over them is a short
strided one: on the notes' SimpleConvNet, the pooling's backward took longer than the
convolution's forward and backward together. The values and gradients are those of
`max_pool2d(conv2d(x, W, b))` (a test checks it, ties included).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module
from numnet.functional.conv import Conv2D, columns
from numnet.functional.window import Padding, Pair, pad_nchw, pair

NO_PADS = (0, 0, 0, 0)


def pool_tiles(size: tuple[int, int], pool: Pair, stride: Pair | None = None) -> bool:
    """Whether max pooling windows `pool` (moved by `stride`, by default their size) tile
    an image of `size` (H, W) exactly: no window overlaps another or needs padding
    ('same' padding is then none either)."""
    pool = pair(pool, "pool_size")
    stride = pool if stride is None else pair(stride, "strides")
    return stride == pool and size[0] % pool[0] == 0 and size[1] % pool[1] == 0


class Conv2DMaxPool(Conv2D):
    """out = max_pool2d(conv2d(x, W, b, stride, pad), pool). Backward: each window's
    gradient goes to its first maximum (row by row, as `max_pool2d`), then through the
    convolution as in `Conv2D`, whose forward and backward this op reuses with its rows
    ordered by window pixel."""

    def __init__(self, stride: Pair = 1, pad: Padding = 0, pool: Pair = 2) -> None:
        super().__init__(stride, pad)
        self.pool = pair(pool, "pool")

    def _pooled_size(self) -> tuple[int, int]:
        """(OH, OW) of the pooled output."""
        (height, width), (ph, pw) = self._conv_size(), self.pool
        if height % ph or width % pw:
            raise ValueError(
                f"conv2d_max_pool: {ph}x{pw} windows do not tile the {height}x{width} "
                f"output of the convolution"
            )
        return height // ph, width // pw

    def _parts(self) -> Iterator[tuple[int, tuple[slice, slice]]]:
        """(k, the padded input's rows and columns that window pixel k reads), k = i * pw + j."""
        (ph, pw), (sh, sw), (kh, kw) = self.pool, self.stride, self.W_shape[2:]
        oh, ow = self._pooled_size()
        for i in range(ph):
            for j in range(pw):
                rows = slice(i * sh, i * sh + (oh - 1) * sh * ph + kh)
                cols = slice(j * sw, j * sw + (ow - 1) * sw * pw + kw)
                yield i * pw + j, (rows, cols)

    def _wide_stride(self) -> tuple[int, int]:
        return self.stride[0] * self.pool[0], self.stride[1] * self.pool[1]

    def _columns(self, x: np.ndarray, ones: bool) -> np.ndarray:
        (ph, pw), (oh, ow), (kh, kw) = self.pool, self._pooled_size(), self.W_shape[2:]
        n, c = x.shape[:2]
        depth, rows = kh * kw * c + ones, n * oh * ow  # of one window pixel's columns
        xp = get_array_module(x)
        if c == 1:  # filled transposed, as `single_channel_columns` builds them
            col = xp.empty((depth, ph * pw, rows), dtype=x.dtype)
        else:
            col = xp.empty((ph * pw, rows, depth), dtype=x.dtype)
        padded, stride = pad_nchw(x, self.pads), self._wide_stride()
        for k, (r, s) in self._parts():
            out = col[:, k] if c == 1 else col[k]
            columns(padded[:, :, r, s], (kh, kw), stride, NO_PADS, ones, out)
        return col.reshape(depth, -1).T if c == 1 else col.reshape(-1, depth)

    def _output(self, rows: np.ndarray) -> np.ndarray:
        n, (oh, ow) = self.x_shape[0], self._pooled_size()
        self.pixels = rows.reshape(self.pool[0] * self.pool[1], -1, rows.shape[-1])
        self.best = self.pixels.max(axis=0)
        return self.best.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)

    def _grad_rows(self, grad_out: np.ndarray) -> np.ndarray:
        xp = get_array_module(grad_out)
        hit = xp.equal(self.pixels, self.best)
        if xp.count_nonzero(hit) > self.best.size:  # some window has two maxima:
            taken = hit[0].copy()  # keep the first (the windows whose first has been seen)
            for later in hit[1:]:
                xp.greater(later, taken, out=later)
                taken |= later
        g = super()._grad_rows(grad_out)
        return xp.multiply(g, hit, dtype=self.best.dtype).reshape(-1, g.shape[-1])

    def _grad_input(self, g: np.ndarray) -> np.ndarray:
        # g's rows back in the image's pixel order, (N, OH, ph, OW, pw): col2im then adds
        # each window once, as for the plain convolution (g has F columns, im2col's
        # matrix kh * kw * C: reordering g is the cheaper side of the product).
        (ph, pw), (oh, ow), f = self.pool, self._pooled_size(), g.shape[-1]
        rows = g.reshape(ph, pw, -1, oh, ow, f).transpose(2, 3, 0, 4, 1, 5).reshape(-1, f)
        return super()._grad_input(rows)


def conv2d_max_pool(
    x: Any, W: Any, b: Any = None, stride: Pair = 1, pad: Padding = 0, pool: Pair = 2
) -> Tensor:
    """max_pool2d(conv2d(x, W, b, stride, pad), pool), in one op, for pooling windows
    that tile the convolution's output (see `pool_tiles`)."""
    op = Conv2DMaxPool(stride, pad, pool)
    return apply(op, x, W) if b is None else apply(op, x, W, b)
