"""Fast forms of matrix products against their plain forms: `long_product`, the chunked
a @ b that a convolution's kernel gradient uses when the reduction axis is long."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from numnet.autograd.ops import linalg
from numnet.autograd.ops.linalg import long_product
from numnet.functional.conv import Conv2D


@pytest.mark.parametrize(
    ("m", "k", "n"),
    [
        (26, 57_600, 30),  # the 5x5 one-channel convolution over 100 MNIST images: chunked
        (26, 57_601, 6),  # K not a multiple of the chunk: the remainder is added on
        (5, 1_000, 3),  # too short to cut: the plain product
        (145, 20_000, 32),  # output too large to cut: the plain product
    ],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_long_product_is_the_matrix_product(m, k, n, dtype):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k)).astype(dtype)
    b = rng.standard_normal((k, n)).astype(dtype)
    got = long_product(a, b)
    assert got.shape == (m, n) and got.dtype == dtype
    exact = a.astype(np.float64) @ b.astype(np.float64)
    # float32 sums of K products of unit normals: error grows like sqrt(K) * eps
    tolerance = 1e-9 if dtype == np.float64 else 2e-6 * np.sqrt(k)
    np.testing.assert_allclose(got, exact, atol=tolerance, rtol=0)


def test_long_product_cuts_a_long_reduction_into_chunks(monkeypatch):
    """The chunked road is taken where it is meant to be (not only the plain one)."""
    calls = []
    real_matmul = np.matmul

    def counting_matmul(x, y, *args, **kwargs):
        calls.append(x.ndim)
        return real_matmul(x, y, *args, **kwargs)

    numpy_with_counting = SimpleNamespace(matmul=counting_matmul)
    monkeypatch.setattr(linalg, "get_array_module", lambda _: numpy_with_counting)
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((26, 57_600)), rng.standard_normal((57_600, 30))
    np.testing.assert_allclose(long_product(a, b), a @ b, atol=1e-9)
    assert calls == [3]  # one batched matmul of (chunks, 26, chunk) @ (chunks, chunk, 30)


def test_conv_kernel_gradient_with_chunked_product_matches_float64():
    """A one-channel 5x5 convolution over a batch whose kernel gradient takes the chunked
    road, in float32, against the same gradient in float64."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((100, 1, 28, 28))
    W, b = rng.standard_normal((30, 1, 5, 5)), rng.standard_normal(30)
    g = rng.standard_normal((100, 30, 24, 24))
    grads = {}
    for dtype in (np.float32, np.float64):
        op = Conv2D()
        op.needs_input_grad = (False, True, True)
        op.forward(x.astype(dtype), W.astype(dtype), b.astype(dtype))
        grads[dtype] = op.backward(g.astype(dtype))
    for got, want in zip(grads[np.float32][1:], grads[np.float64][1:], strict=True):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-3)
