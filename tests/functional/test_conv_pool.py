"""conv2d, max_pool2d and avg_pool2d against explicit-loop references (values and
gradients, float64), for strides 1 and 2, paddings 0/1/2 and non-square inputs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import numnet
from numnet import functional as F

CONFIGS = list(itertools.product([1, 2], [0, 1, 2]))


def padded(x: np.ndarray, p: int) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))


def conv_reference(x, W, b, s, p):
    """Forward and backward of convolution by four nested loops."""
    xp = padded(x, p)
    n, _c, h, w = xp.shape
    f, _, kh, kw = W.shape
    oh, ow = (h - kh) // s + 1, (w - kw) // s + 1
    out = np.zeros((n, f, oh, ow))
    for i, j in itertools.product(range(oh), range(ow)):
        patch = xp[:, :, i * s : i * s + kh, j * s : j * s + kw]
        for k in range(f):
            out[:, k, i, j] = (patch * W[k]).sum(axis=(1, 2, 3)) + b[k]
    g = np.random.default_rng(5).normal(size=out.shape)
    dxp, dW, db = np.zeros_like(xp), np.zeros_like(W), g.sum(axis=(0, 2, 3))
    for i, j in itertools.product(range(oh), range(ow)):
        patch = xp[:, :, i * s : i * s + kh, j * s : j * s + kw]
        for k in range(f):
            dW[k] += np.einsum("n,nchw->chw", g[:, k, i, j], patch)
            dxp[:, :, i * s : i * s + kh, j * s : j * s + kw] += (
                g[:, k, i, j][:, None, None, None] * W[k]
            )
    return out, g, dxp[:, :, p : p + x.shape[2], p : p + x.shape[3]], dW, db


def pool_reference(x, k, s, p, mode):
    xp = np.pad(
        x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf if mode == "max" else 0
    )
    n, c, h, w = xp.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, c, oh, ow))
    g = np.random.default_rng(6).normal(size=out.shape)
    dxp = np.zeros_like(xp)
    for a, b_, i, j in itertools.product(range(n), range(c), range(oh), range(ow)):
        window = xp[a, b_, i * s : i * s + k, j * s : j * s + k]
        if mode == "max":
            out[a, b_, i, j] = window.max()
            r, q = np.unravel_index(window.argmax(), window.shape)
            dxp[a, b_, i * s + r, j * s + q] += g[a, b_, i, j]
        else:
            out[a, b_, i, j] = window.mean()
            dxp[a, b_, i * s : i * s + k, j * s : j * s + k] += g[a, b_, i, j] / k**2
    return out, g, dxp[:, :, p : p + x.shape[2], p : p + x.shape[3]]


@pytest.mark.parametrize(("stride", "pad"), CONFIGS)
@pytest.mark.parametrize("channels", [1, 3])  # one channel builds its columns another way
def test_conv2d_matches_loops(stride, pad, channels):
    rng = np.random.default_rng(stride * 10 + pad)
    x = rng.normal(size=(2, channels, 7, 5))  # non-square
    W = rng.normal(size=(4, channels, 3, 2))  # non-square kernel
    b = rng.normal(size=4)
    expected, g, dx, dW, db = conv_reference(x, W, b, stride, pad)
    tx, tW, tb = (numnet.Tensor(a, requires_grad=True) for a in (x, W, b))
    out = F.conv2d(tx, tW, tb, stride=stride, pad=pad)
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-12)
    out.backward(g)
    np.testing.assert_allclose(tx.grad, dx, atol=1e-12)
    np.testing.assert_allclose(tW.grad, dW, atol=1e-12)
    np.testing.assert_allclose(tb.grad, db, atol=1e-12)
    assert numnet.gradcheck(lambda a, w, c: F.conv2d(a, w, c, stride=stride, pad=pad), x, W, b)


@pytest.mark.parametrize(("stride", "pad"), CONFIGS)
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pooling_matches_loops(stride, pad, mode):
    rng = np.random.default_rng(stride * 10 + pad)
    x = rng.permutation(2 * 3 * 8 * 6).reshape(2, 3, 8, 6) / 7.0  # distinct values: no ties
    kernel = 3 if pad == 2 else 2 if pad == 1 else 3
    expected, g, dx = pool_reference(x, kernel, stride, pad, mode)
    op = F.max_pool2d if mode == "max" else F.avg_pool2d
    tx = numnet.Tensor(x, requires_grad=True)
    out = op(tx, kernel, stride=stride, pad=pad)
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-12)
    out.backward(g)
    np.testing.assert_allclose(tx.grad, dx, atol=1e-12)
    assert numnet.gradcheck(lambda a: op(a, kernel, stride=stride, pad=pad), x)


@pytest.mark.parametrize("kernel", [2, (2, 3)])
@pytest.mark.parametrize("channels_last", [False, True])
@pytest.mark.parametrize("ties", [True, False])
def test_max_pool_on_exact_tiles_matches_loops(kernel, channels_last, ties):
    """Windows that tile the image (stride = kernel) take the reshape road, in either
    memory layout. The gradient goes to each window's maximum; with ties, to the first
    (the backward keeps first hits only when some window has two)."""
    rng = np.random.default_rng(3)
    if ties:
        x = rng.integers(0, 3, size=(2, 8, 6, 3)).astype(np.float64)  # NHWC, many ties
    else:
        x = rng.permutation(2 * 8 * 6 * 3).reshape(2, 8, 6, 3).astype(np.float64)
    x = x.transpose(0, 3, 1, 2)  # NCHW view of NHWC memory
    if not channels_last:
        x = np.ascontiguousarray(x)
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    expected = np.zeros((2, 3, 8 // kh, 6 // kw))
    g = rng.normal(size=expected.shape)
    dx = np.zeros_like(x)
    for a, c, i, j in itertools.product(range(2), range(3), range(8 // kh), range(6 // kw)):
        window = x[a, c, i * kh : (i + 1) * kh, j * kw : (j + 1) * kw]
        expected[a, c, i, j] = window.max()
        r, q = np.unravel_index(window.argmax(), window.shape)  # the first maximum
        dx[a, c, i * kh + r, j * kw + q] = g[a, c, i, j]
    tx = numnet.Tensor(x, requires_grad=True)
    out = F.max_pool2d(tx, kernel)
    np.testing.assert_array_equal(out.numpy(), expected)
    out.backward(g)
    np.testing.assert_array_equal(tx.grad, dx)


def test_im2col_col2im_are_adjoint():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 6, 5))
    col = F.im2col(x, 3, 2, stride=2, pad=1)
    assert col.shape == (2 * 3 * 3, 3 * 3 * 2)
    y = rng.normal(size=col.shape)
    # <im2col(x), y> == <x, col2im(y)> for the adjoint pair.
    assert np.sum(col * y) == pytest.approx(np.sum(x * F.col2im(y, x.shape, 3, 2, stride=2, pad=1)))


def test_conv_errors_are_clear():
    with pytest.raises(ValueError, match="smaller than the 5x5 window"):
        F.conv2d(np.zeros((1, 1, 3, 3)), np.zeros((2, 1, 5, 5)))
    with pytest.raises(ValueError, match="3 channels but the kernels expect 1"):
        F.conv2d(np.zeros((1, 3, 8, 8)), np.zeros((2, 1, 3, 3)))
    with pytest.raises(ValueError, match="NCHW"):
        F.max_pool2d(np.zeros((8, 8)), 2)
