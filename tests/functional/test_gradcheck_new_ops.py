"""conv_transpose2d, upsample2d, maximum and minimum: float64 gradient checks over several
shapes, strides and paddings, and forward values against explicit loops and identities."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest

import numnet
from numnet import functional as F
from numnet.functional.conv_transpose import conv_transpose2d
from numnet.functional.minmax import maximum, minimum
from numnet.functional.upsampling import upsample2d
from numnet.functional.window import pads

# (x shape NCHW, W shape (C_in, C_out, kh, kw), stride, pad, output_padding)
CONV_T = [
    ((2, 3, 4, 5), (3, 2, 3, 2), 1, 0, 0),
    ((2, 3, 4, 5), (3, 2, 3, 3), 2, 0, 0),
    ((1, 2, 3, 3), (2, 3, 3, 3), 2, 1, 1),
    ((2, 1, 3, 2), (1, 2, 2, 4), (3, 1), ((1, 2), (0, 1)), (2, 0)),
    ((1, 2, 2, 3), (2, 1, 1, 1), 3, 0, (1, 2)),
    ((1, 2, 3, 3), (2, 2, 4, 4), 2, 1, 0),
]


def conv_transpose_reference(x, W, b, stride, pad, output_padding):
    """conv_transpose2d by loops over input pixels: each stamps W onto the output."""
    (sh, sw), (eh, ew) = (
        (stride, stride) if isinstance(stride, int) else stride,
        (output_padding,) * 2 if isinstance(output_padding, int) else output_padding,
    )
    p = pads(pad)
    n, _, h, w = x.shape
    _, c_out, kh, kw = W.shape
    full = np.zeros((n, c_out, (h - 1) * sh + kh + eh, (w - 1) * sw + kw + ew))
    for i, j in itertools.product(range(h), range(w)):
        stamp = np.einsum("nc,cfij->nfij", x[:, :, i, j], W)
        full[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += stamp
    oh = (h - 1) * sh + kh - p[0] - p[1] + eh
    ow = (w - 1) * sw + kw - p[2] - p[3] + ew
    return full[:, :, p[0] : p[0] + oh, p[2] : p[2] + ow] + b[None, :, None, None]


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "pad", "extra"), CONV_T)
def test_conv_transpose2d_gradient(x_shape, w_shape, stride, pad, extra):
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[1])

    def fn(x, W, b):
        return conv_transpose2d(x, W, b, stride=stride, pad=pad, output_padding=extra)

    assert numnet.gradcheck(fn, x, W, b)
    assert numnet.gradcheck(lambda x, W: conv_transpose2d(x, W, stride=stride, pad=pad), x, W)


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "pad", "extra"), CONV_T)
def test_conv_transpose2d_matches_loops(x_shape, w_shape, stride, pad, extra):
    rng = np.random.default_rng(1)
    x, W, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[1])
    y = conv_transpose2d(x, W, b, stride=stride, pad=pad, output_padding=extra)
    np.testing.assert_allclose(y.data, conv_transpose_reference(x, W, b, stride, pad, extra))


@pytest.mark.parametrize(("stride", "pad"), [(1, 0), (2, 0), (2, 1), (3, 2), ((2, 1), (1, 0))])
def test_conv_transpose2d_is_the_adjoint_of_conv2d(stride, pad):
    """<conv2d(z, W), x> = <z, conv_transpose2d(x, W)> for every z and x."""
    rng = np.random.default_rng(2)
    W = rng.normal(size=(3, 2, 3, 3))
    x = rng.normal(size=(2, 3, 4, 4))
    y = conv_transpose2d(x, W, stride=stride, pad=pad)
    z = rng.normal(size=(2, 2, *y.shape[2:]))
    conv = F.conv2d(z, W, stride=stride, pad=pad)
    assert conv.shape == x.shape
    np.testing.assert_allclose(np.sum(conv.data * x), np.sum(z * y.data))


def test_conv_transpose2d_keeps_dtype_and_channels_last_memory():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 4, 4, 3)).astype(np.float32).transpose(0, 3, 1, 2)  # NHWC memory
    W = numnet.tensor(rng.normal(size=(3, 2, 3, 3)).astype(np.float32), requires_grad=True)
    xt = numnet.tensor(x, requires_grad=True)
    y = conv_transpose2d(xt, W, stride=2)
    assert y.dtype == np.float32 and y.shape == (2, 2, 9, 9)
    y.sum().backward()
    assert xt.grad.dtype == np.float32 and W.grad.dtype == np.float32
    y64 = conv_transpose2d(x.astype(np.float64), W.data.astype(np.float64), stride=2)
    np.testing.assert_allclose(y.data, y64.data, rtol=1e-5, atol=1e-5)


def test_conv_transpose2d_errors():
    with pytest.raises(ValueError, match="input has 3 channels but the kernel"):
        conv_transpose2d(np.zeros((1, 3, 2, 2)), np.zeros((2, 1, 3, 3)))
    with pytest.raises(ValueError, match="NCHW input"):
        conv_transpose2d(np.zeros((3, 2, 2)), np.zeros((3, 1, 3, 3)))
    with pytest.raises(ValueError, match="crops away the whole"):
        conv_transpose2d(np.zeros((1, 1, 1, 1)), np.zeros((1, 1, 2, 2)), pad=1)
    with pytest.raises(ValueError, match="output_padding must be >= 0"):
        conv_transpose2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 2, 2)), output_padding=-1)


UPSAMPLE = [((2, 3, 2, 2), 2), ((1, 2, 3, 1), (2, 3)), ((2, 1, 2, 3), (1, 2))]


@pytest.mark.parametrize(("shape", "size"), UPSAMPLE)
@pytest.mark.parametrize("channels_last", [False, True])
def test_upsample2d_gradient_and_values(shape, size, channels_last):
    rng = np.random.default_rng(4)
    x = rng.normal(size=shape)
    if channels_last:  # an NCHW view of NHWC memory, as channels-last layers pass
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    assert numnet.gradcheck(lambda t: upsample2d(t, size), x)
    sh, sw = (size, size) if isinstance(size, int) else size
    expected = np.repeat(np.repeat(x, sh, axis=2), sw, axis=3)
    np.testing.assert_array_equal(upsample2d(x, size).data, expected)


def test_upsample2d_float32_and_errors():
    y = upsample2d(np.ones((1, 2, 2, 2), dtype=np.float32), 3)
    assert y.dtype == np.float32 and y.shape == (1, 2, 6, 6)
    with pytest.raises(ValueError, match="NCHW input with 4 axes"):
        upsample2d(np.ones((2, 2, 2)), 2)
    with pytest.raises(ValueError, match="size must be positive"):
        upsample2d(np.ones((1, 1, 2, 2)), 0)


PAIRWISE: list[tuple[str, Callable, tuple[int, ...], tuple[int, ...]]] = [
    ("maximum", maximum, (3, 4), (3, 4)),
    ("maximum_broadcast", maximum, (3, 1, 4), (2, 1)),
    ("minimum", minimum, (3, 4), (3, 4)),
    ("minimum_broadcast", minimum, (4,), (3, 4)),
]


@pytest.mark.parametrize(
    ("name", "fn", "shape_a", "shape_b"), PAIRWISE, ids=[p[0] for p in PAIRWISE]
)
def test_maximum_minimum_gradient(name, fn, shape_a, shape_b):
    rng = np.random.default_rng(5)
    assert numnet.gradcheck(fn, rng.normal(size=shape_a), rng.normal(size=shape_b))


def test_maximum_minimum_values_and_ties():
    a = numnet.tensor([1.0, 5.0, 2.0], requires_grad=True)
    b = numnet.tensor([3.0, 4.0, 2.0], requires_grad=True)
    y = maximum(a, b)
    np.testing.assert_array_equal(y.data, [3.0, 5.0, 2.0])
    np.testing.assert_array_equal(minimum(a, b).data, [1.0, 4.0, 2.0])
    y.sum().backward()
    np.testing.assert_array_equal(a.grad, [0.0, 1.0, 0.5])  # a tie splits the gradient
    np.testing.assert_array_equal(b.grad, [1.0, 0.0, 0.5])
    assert maximum(np.float32([1, 2]), 1.5).dtype == np.float32
