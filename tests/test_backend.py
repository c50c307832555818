"""The array-module indirection: ops compute with the module registered for their inputs.

`FakeArray` stands in for another library's array (CuPy's, say) and `fake_numpy` for its
module: NumPy underneath, but NumPy's own functions refuse a FakeArray, so an op that
calls ``numpy.exp(x)`` instead of ``xp.exp(x)``, or makes an array with ``numpy.zeros``,
fails or hands back a plain ndarray, which the tests catch. Operators and methods
(``a + b``, ``x.sum()``) work on it, as they do on any NumPy-like array.
"""

from __future__ import annotations

import types
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import numnet
from numnet import functional as F
from numnet.backend import get_array_module, register_array_module, unregister_array_module

# Ufuncs that operators and ndarray methods call (a + b, -a, abs(a), a < b, a & b,
# a.clip(), a.round(), a.var(); a**2, a**0.5 and a**-1 become square, sqrt and
# reciprocal): these may reach a FakeArray; any other ufunc call may not.
OPERATOR_UFUNCS = {
    "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "power",
    "negative", "positive", "absolute", "matmul", "less", "less_equal", "greater",
    "greater_equal", "equal", "not_equal", "bitwise_and", "bitwise_or", "bitwise_xor",
    "invert", "logical_not", "clip", "rint", "square", "sqrt", "reciprocal",
}  # fmt: skip


def _plain(value: Any) -> Any:
    """FakeArrays (also inside tuples, lists and dicts) as plain ndarrays."""
    if isinstance(value, FakeArray):
        return value.view(np.ndarray)
    if isinstance(value, tuple | list):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _fake(value: Any) -> Any:
    """NumPy results as FakeArrays (0-d for scalars, as another library would return)."""
    if isinstance(value, np.ndarray):
        return value.view(FakeArray)
    if isinstance(value, np.generic):
        return np.asarray(value).view(FakeArray)
    if isinstance(value, tuple | list):
        return type(value)(_fake(v) for v in value)
    return value


class FakeArray(np.ndarray):
    """An array of another library: NumPy's functions refuse it."""

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        raise TypeError(f"numpy.{func.__name__} called on a FakeArray: use the array module")

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method == "at" or (method == "__call__" and ufunc.__name__ not in OPERATOR_UFUNCS):
            raise TypeError(f"numpy.{ufunc.__name__} called on a FakeArray: use the module")
        result = getattr(ufunc, method)(*_plain(inputs), **_plain(kwargs))
        if "out" in kwargs:  # in place: hand back the caller's own arrays
            out = kwargs["out"]
            return out[0] if len(out) == 1 else out
        return _fake(result)

    def __repr__(self) -> str:
        return f"FakeArray({self.view(np.ndarray)!r})"

    __str__ = __repr__


class FakeModule:
    """NumPy's API on FakeArrays, counting the calls it serves."""

    def __init__(self, module: types.ModuleType, calls: Counter) -> None:
        self._module, self.calls = module, calls

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._module, name)
        if isinstance(attribute, types.ModuleType):
            return FakeModule(attribute, self.calls)
        if isinstance(attribute, np.ufunc):
            return FakeUfunc(attribute, self.calls)
        if callable(attribute) and not isinstance(attribute, type):
            return _counted(attribute, self.calls)
        return attribute  # dtypes, constants


class FakeUfunc:
    """A ufunc of the fake module: calling it and its methods (.at, .reduce) unwraps."""

    def __init__(self, ufunc: np.ufunc, calls: Counter) -> None:
        self._ufunc, self.calls = ufunc, calls

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _counted(self._ufunc, self.calls)(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._ufunc, name)
        return _counted(method, self.calls, f"{self._ufunc.__name__}.{name}")


def _counted(function: Any, calls: Counter, name: str | None = None) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        calls[name or function.__name__] += 1
        return _fake(function(*_plain(args), **_plain(kwargs)))

    return call


@pytest.fixture
def fake_numpy() -> Iterator[FakeModule]:
    """The fake module, registered for FakeArray for the length of one test."""
    module = FakeModule(np, Counter())
    register_array_module(FakeArray, module)
    yield module
    unregister_array_module(FakeArray)


def fake(array: Any) -> FakeArray:
    return np.asarray(array).view(FakeArray)


def test_numpy_is_the_default_module():
    assert get_array_module(np.ones(2)) is np
    assert get_array_module(np.ones(2), 1.0, [1]) is np
    assert get_array_module() is np


def test_a_registered_type_picks_its_module(fake_numpy: FakeModule):
    assert get_array_module(fake(np.ones(2))) is fake_numpy
    assert get_array_module(np.ones(2), fake(np.ones(2))) is fake_numpy
    assert get_array_module(np.ones(2)) is np  # exact types only: not ndarray's subclasses
    unregister_array_module(FakeArray)
    assert get_array_module(fake(np.ones(2))) is np
    with pytest.raises(TypeError, match="class"):
        register_array_module("cupy.ndarray", np)  # type: ignore[arg-type]


def test_tensors_keep_their_module(fake_numpy: FakeModule):
    x = numnet.tensor(fake([1.0, 2.0]), requires_grad=True)
    assert type(x.data) is FakeArray and x.dtype == np.float64
    y = (2 * x + 1).sum()
    y.backward()
    assert type(y.data) is FakeArray and type(x.grad) is FakeArray
    assert type(numnet.tensor(fake([1, 2])).data) is FakeArray  # integers become float32
    assert numnet.tensor(fake([1, 2])).dtype == np.float32


def _train(arrays: dict[str, np.ndarray], steps: int = 4) -> tuple[list[float], dict]:
    """A 4-8-3 network trained by a hand-written loop: linear, ReLU, dropout, linear,
    softmax cross-entropy plus an L2 penalty, plain SGD."""
    weights = {k: v for k, v in arrays.items() if k not in ("x", "t")}
    # Copies: numnet.tensor wraps a float array without copying, and SGD updates in place.
    params = {k: numnet.tensor(v.copy(), requires_grad=True) for k, v in weights.items()}
    losses = []
    for step in range(steps):
        hidden = F.relu(F.linear(arrays["x"], params["W1"], params["b1"]))
        hidden = F.dropout(hidden, 0.25, rng=np.random.default_rng(step))
        logits = F.linear(hidden, params["W2"], params["b2"])
        loss = F.softmax_cross_entropy(logits, arrays["t"]) + 1e-3 * F.sum_of_squares(params["W1"])
        loss.backward()
        with numnet.no_grad():
            for p in params.values():
                p.data -= 0.5 * p.grad
                p.grad = None
        losses.append(loss.item())
    return losses, params


def test_a_small_training_runs_through_the_registered_module(fake_numpy: FakeModule):
    rng = np.random.default_rng(0)
    arrays = {
        "x": rng.normal(size=(16, 4)),
        "t": rng.integers(0, 3, 16),
        "W1": rng.normal(size=(4, 8)) * 0.5,
        "b1": np.zeros(8),
        "W2": rng.normal(size=(8, 3)) * 0.5,
        "b2": np.zeros(3),
    }
    losses, params = _train(arrays)
    fake_losses, fake_params = _train({k: fake(v) for k, v in arrays.items()})
    assert fake_losses == losses and fake_losses[-1] < fake_losses[0]
    for name, p in fake_params.items():
        assert type(p.data) is FakeArray, name
        np.testing.assert_array_equal(p.data.view(np.ndarray), params[name].data)
    for used in ("maximum", "exp", "log", "arange", "moveaxis", "dot"):
        assert fake_numpy.calls[used] > 0, used


def test_array_helpers_keep_the_module(fake_numpy: FakeModule):
    x = np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5)
    col = F.im2col(fake(x), 3, 2, stride=(1, 2), pad=1)
    back = F.col2im(col, x.shape, 3, 2, stride=(1, 2), pad=1)
    assert type(col) is FakeArray and type(back) is FakeArray
    np.testing.assert_array_equal(col.view(np.ndarray), F.im2col(x, 3, 2, stride=(1, 2), pad=1))
    assert type(F.where(fake([True, False]), fake([1.0, 2.0]), 0.0).data) is FakeArray
