"""Batch norm's training op, which builds x_hat and dx each in one buffer and sums
products without making them, against the textbook formulas written plainly in float64."""

from __future__ import annotations

import numpy as np
import pytest

from numnet.functional.normalization import BatchNormTrain


def textbook(x, gamma, beta, grad_out, axis, eps):
    """Ioffe & Szegedy's forward and backward, one NumPy expression a line, in float64."""
    x, gamma, beta, dy = (a.astype(np.float64) for a in (x, gamma, beta, grad_out))
    axes = tuple(a for a in range(x.ndim) if a != axis % x.ndim)
    shape = [1] * x.ndim
    shape[axis] = -1
    g, b = gamma.reshape(shape), beta.reshape(shape)
    mu = x.mean(axis=axes, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)
    x_hat = (x - mu) / np.sqrt(var + eps)
    y = g * x_hat + b
    d_gamma, d_beta = (dy * x_hat).sum(axis=axes), dy.sum(axis=axes)
    mean = lambda a: a.mean(axis=axes, keepdims=True)  # noqa: E731
    dx = g / np.sqrt(var + eps) * (dy - mean(dy) - x_hat * mean(dy * x_hat))
    return y, var.reshape(-1), dx, d_gamma, d_beta


@pytest.mark.parametrize(
    ("shape", "axis"),
    [((128, 512), -1), ((16, 5, 5, 6), -1), ((8, 6, 4, 4), 1), ((3, 7), 0)],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_norm_train_matches_the_textbook(shape, axis, dtype):
    rng = np.random.default_rng(0)
    features = shape[axis]
    x = (rng.standard_normal(shape) * 3 + 1).astype(dtype)
    gamma = rng.uniform(0.5, 2, features).astype(dtype)
    beta = rng.standard_normal(features).astype(dtype)
    grad_out = rng.standard_normal(shape).astype(dtype)
    grad_before = grad_out.copy()
    op = BatchNormTrain(eps=1e-3, axis=axis)
    op.needs_input_grad = (True, True, True)
    y = op.forward(x, gamma, beta)
    grads = op.backward(grad_out)
    want_y, want_var, *want_grads = textbook(x, gamma, beta, grad_out, axis, 1e-3)
    tolerance = 1e-10 if dtype == np.float64 else 2e-5
    assert y.dtype == dtype and all(g.dtype == dtype for g in grads)
    np.testing.assert_allclose(y, want_y, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(op.var, want_var, rtol=tolerance)
    for got, want in zip(grads, want_grads, strict=True):
        scale = max(1.0, float(np.abs(want).max()))
        np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance * scale)
    np.testing.assert_array_equal(grad_out, grad_before)  # the incoming gradient is untouched
