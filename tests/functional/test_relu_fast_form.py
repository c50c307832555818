"""ReLU's backward with its mask made 0.0/1.0 before it multiplies, against the plain
form that multiplies by the booleans, grad_out * (y > 0): the same numbers bit for bit,
signed zeros and NaNs included."""

from __future__ import annotations

import numpy as np
import pytest

from numnet.functional.activation import ReLU


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # -inf * 0, both forms
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(128, 512), (3, 4, 5), (7,), (0, 3)])
def test_relu_backward_is_grad_times_the_boolean_mask(dtype, shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(dtype)
    grad = rng.standard_normal(shape).astype(dtype)
    if x.size:
        x.flat[:3] = [0.0, -0.0, np.nan]  # the boundary, a signed zero and a NaN input
        grad.flat[-3:] = [np.nan, -np.inf, -0.0]  # NaN, -inf and -0.0 gradients at the last units
    op = ReLU()
    op.forward(x)
    (got,) = op.backward(grad)
    want = grad * (np.maximum(x, 0) > 0)
    assert got.dtype == want.dtype == dtype
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))  # -0.0 where grad < 0 is blocked


def test_relu_backward_leaves_grad_out_alone():
    op = ReLU()
    op.forward(np.array([-1.0, 2.0]))
    grad = np.array([3.0, 4.0])
    op.backward(grad)
    np.testing.assert_array_equal(grad, [3.0, 4.0])
