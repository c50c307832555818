"""`conv2d_max_pool` (one op, the convolution's pixels ordered by pooling window) gives
the values and gradients of `max_pool2d(conv2d(...))`, the two ops it replaces: every
input's gradient, ties between window pixels included (the first maximum, row by row)."""

from __future__ import annotations

import numpy as np
import pytest

import numnet
from numnet import functional as F
from numnet.functional.conv_pool import pool_tiles
from numnet.functional.window import pads as four_pads
from numnet.functional.window import pair


def input_size(pooled, pool, stride, pad, kernel=3):
    """The (H, W) whose convolution the `pool` windows tile into `pooled` windows."""
    (ph, pw), (sh, sw), (top, bottom, left, right) = pair(pool), pair(stride), four_pads(pad)
    return (
        (pooled[0] * ph - 1) * sh + kernel - top - bottom,
        (pooled[1] * pw - 1) * sw + kernel - left - right,
    )


def both_ways(x, W, b, stride, pad, pool, upstream):
    """Outputs and gradients (x, W[, b]) of the fused op and of the two ops."""
    results = []
    for fused in (True, False):
        inputs = [numnet.Tensor(a, requires_grad=True) for a in (x, W, b) if a is not None]
        if fused:
            out = F.conv2d_max_pool(*inputs, stride=stride, pad=pad, pool=pool)
        else:
            out = F.max_pool2d(F.conv2d(*inputs, stride=stride, pad=pad), pool)
        (out * numnet.Tensor(upstream)).sum().backward()
        results.append((out.data, [t.grad for t in inputs]))
    return results


@pytest.mark.parametrize("channels", [1, 3])  # one channel builds its columns another way
@pytest.mark.parametrize(("stride", "pad"), [(1, 0), (1, 1), (2, ((1, 0), (2, 1))), ((1, 2), 1)])
@pytest.mark.parametrize("pool", [2, (2, 3)])
@pytest.mark.parametrize("channels_last", [True, False])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("bias", [True, False])
def test_the_fused_op_is_the_two_ops(channels, stride, pad, pool, channels_last, ties, bias):
    rng = np.random.default_rng(0)
    h, w = input_size((3, 2), pool, stride, pad)
    x = rng.standard_normal((3, h, w, channels) if channels_last else (3, channels, h, w))
    x = x.transpose(0, 3, 1, 2) if channels_last else x  # NCHW, NHWC memory
    W, b = rng.standard_normal((4, channels, 3, 3)), rng.standard_normal(4)
    if ties:  # blank images and a zero kernel: every window's pixels are equal
        x[0], W[1] = 0, 0
    upstream = rng.standard_normal((3, 4, 3, 2))
    (fused, fused_grads), (plain, plain_grads) = both_ways(
        x, W, b if bias else None, stride, pad, pool, upstream
    )
    np.testing.assert_array_equal(fused, plain)
    for a, c in zip(fused_grads, plain_grads, strict=True):
        assert a.shape == c.shape
        np.testing.assert_allclose(a, c, rtol=1e-12, atol=1e-12)


def test_float32_keeps_its_dtype_and_layout():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 8, 8, 2)).astype(np.float32).transpose(0, 3, 1, 2)
    W, b = (rng.standard_normal(s).astype(np.float32) for s in ((5, 2, 3, 3), (5,)))
    upstream = rng.standard_normal((2, 5, 3, 3)).astype(np.float32)
    (fused, grads), (plain, plain_grads) = both_ways(x, W, b, 1, 0, 2, upstream)
    assert fused.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)
    np.testing.assert_array_equal(fused, plain)
    for a, c in zip(grads, plain_grads, strict=True):
        np.testing.assert_allclose(a, c, rtol=1e-5, atol=1e-5)


def test_windows_that_do_not_tile_are_refused_clearly():
    x, W = np.zeros((1, 1, 7, 7)), np.zeros((2, 1, 3, 3))
    with pytest.raises(ValueError, match="2x2 windows do not tile the 5x5 output"):
        F.conv2d_max_pool(x, W, pool=2)


def test_pool_tiles():
    assert pool_tiles((24, 24), 2)
    assert pool_tiles((24, 24), (2, 3))
    assert not pool_tiles((25, 24), 2)
    assert not pool_tiles((24, 24), 2, stride=1)  # overlapping windows
    assert pool_tiles((24, 24), 2, stride=2)
