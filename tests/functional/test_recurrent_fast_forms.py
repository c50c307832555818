"""The fast forms inside the recurrent ops against the plain forms they stand for:
all four LSTM gates from one tanh, and the in-place sigmoid (float32, as training runs)."""

from __future__ import annotations

import numpy as np
import pytest

from numnet.functional.lstm import activate_gates, activate_gates_plain, gate_scales
from numnet.functional.recurrent import sigmoid


def pre_activations(n=64, units=32, seed=0):
    """Float32 pre-activations (N, 4U) from -30 to 30: saturated gates included."""
    return np.random.default_rng(seed).uniform(-30, 30, size=(n, 4 * units)).astype(np.float32)


def test_one_tanh_gives_the_four_gates_as_the_textbook_does():
    a = pre_activations()
    fast, plain = a.copy(), a.copy()
    gates = activate_gates(fast, *gate_scales(fast))
    for got, want in zip(gates, activate_gates_plain(plain), strict=True):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(fast, np.concatenate(gates, axis=1))  # written over A
    i, f, g, o = np.split(a.astype(np.float64), 4, axis=1)
    exact = [1 / (1 + np.exp(-i)), 1 / (1 + np.exp(-f)), np.tanh(g), 1 / (1 + np.exp(-o))]
    np.testing.assert_allclose(fast, np.concatenate(exact, axis=1), atol=1e-6)


@pytest.mark.parametrize("in_place", [False, True])
def test_sigmoid_is_the_logistic_function_in_float32(in_place):
    a = pre_activations(n=8, units=16)
    x = a.copy()
    out = sigmoid(x, out=x if in_place else None)
    assert out.dtype == np.float32 and (out is x) == in_place
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-a.astype(np.float64))), atol=1e-6)
