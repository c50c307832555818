"""Nearest-neighbour upsampling of NCHW arrays: every pixel becomes a size_h x size_w block.

The forward pass is a broadcast and one reshape (no loops); the backward pass is the
adjoint, the sum of grad_out over each block. Both work in the input's memory order, so
a channels-last layer's NHWC data stays NHWC.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module
from numnet.functional.window import Pair, is_channels_last, pair


class Upsample2D(Function):
    """out[n, c, i, j] = x[n, c, i // size_h, j // size_w];
    dx[n, c, i, j] = sum of grad_out over the block that pixel (i, j) was copied to."""

    def __init__(self, size: Pair = 2) -> None:
        self.size = pair(size, "size")

    def forward(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != 4:
            raise ValueError(f"upsample2d expects NCHW input with 4 axes, got shape {x.shape}")
        xp = get_array_module(x)
        self.x_shape, self.channels_last = x.shape, is_channels_last(x)
        (sh, sw), (n, c, h, w) = self.size, x.shape
        if self.channels_last:  # NHWC memory: repeat along axes 1 and 2 of that view
            nhwc = x.transpose(0, 2, 3, 1)
            blocks = xp.broadcast_to(nhwc[:, :, None, :, None], (n, h, sh, w, sw, c))
            return blocks.reshape(n, h * sh, w * sw, c).transpose(0, 3, 1, 2)
        blocks = xp.broadcast_to(x[:, :, :, None, :, None], (n, c, h, sh, w, sw))
        return blocks.reshape(n, c, h * sh, w * sw)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        (sh, sw), (n, c, h, w) = self.size, self.x_shape
        if self.channels_last:
            blocks = grad_out.transpose(0, 2, 3, 1).reshape(n, h, sh, w, sw, c)
            return (blocks.sum(axis=(2, 4)).transpose(0, 3, 1, 2),)
        return (grad_out.reshape(n, c, h, sh, w, sw).sum(axis=(3, 5)),)


def upsample2d(x: Any, size: Pair = 2) -> Tensor:
    """Nearest-neighbour upsampling of NCHW x by `size` (an int or (size_h, size_w)):
    (N, C, H, W) -> (N, C, H * size_h, W * size_w), as Keras' UpSampling2D."""
    return apply(Upsample2D(size), x)
