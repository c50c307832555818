"""Fast forms behind softmax and its cross-entropy, against their plain forms: `row_max`
(the stability shift, by a transposed copy for short rows) and the integer-label
cross-entropy (indexing each row's true class) against the one-hot form."""

from __future__ import annotations

import numpy as np
import pytest

import numnet.functional as F
from numnet.autograd.ops import reduction
from numnet.autograd.ops.reduction import row_max
from numnet.autograd.tensor import Tensor


@pytest.mark.parametrize(
    "shape", [(7,), (1000, 10), (3, 5, 2), (4, 64), (4, 65), (2, 300), (0, 10)]
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_max_is_the_maximum_with_kept_dims(shape, dtype):
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    for axis in range(-len(shape), len(shape)):
        if shape[axis] == 0:
            continue
        got = row_max(x, axis)
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, x.max(axis=axis, keepdims=True))


def test_row_max_takes_the_transposed_road_for_short_rows_only(monkeypatch):
    calls = []
    real = np.moveaxis
    monkeypatch.setattr(np, "moveaxis", lambda *a: calls.append(a[0].shape) or real(*a))
    row_max(np.ones((8, 10)))
    row_max(np.ones((8, reduction._SHORT_ROW + 1)))
    row_max(np.ones((8, 10)), axis=0)
    assert calls == [(8, 10)]


def test_row_max_keeps_a_nan():
    x = np.array([[1.0, np.nan, 3.0], [1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(row_max(x), [[np.nan], [3.0]])


@pytest.mark.parametrize("shape", [(128, 10), (4, 6, 3), (5, 100)])
def test_integer_labels_give_the_one_hot_loss_and_gradient(shape):
    rng = np.random.default_rng(1)
    z = rng.standard_normal(shape)
    labels = rng.integers(0, shape[-1], shape[:-1])
    one_hot = np.eye(shape[-1])[labels]
    results = []
    for targets in (labels, one_hot):
        logits = Tensor(z, requires_grad=True)
        loss = F.softmax_cross_entropy(logits, targets)
        loss.backward()
        results.append((loss.item(), logits.grad))
    (loss_fast, grad_fast), (loss_plain, grad_plain) = results
    assert loss_fast == pytest.approx(loss_plain, rel=1e-12)
    np.testing.assert_allclose(grad_fast, grad_plain, rtol=0, atol=1e-15)


def test_softmax_of_short_rows_matches_the_formula():
    z = np.random.default_rng(2).standard_normal((1000, 10)).astype(np.float32) * 30
    e = np.exp(z.astype(np.float64) - z.max(axis=1, keepdims=True))
    expected = e / e.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(F.softmax(z).numpy(), expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(F.log_softmax(z).numpy(), np.log(expected), rtol=1e-5, atol=1e-5)
