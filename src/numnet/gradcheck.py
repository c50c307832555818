"""Gradient checking: compare autograd with central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from numnet.autograd.mode import no_grad
from numnet.autograd.tensor import Tensor


def numerical_gradient(f: Callable[[np.ndarray], Any], x: Any, eps: float = 1e-4) -> np.ndarray:
    """Central-difference gradient (f(x + h) - f(x - h)) / 2h of a scalar function f at x.

    As in "Deep Learning from Scratch", each element of `x` is nudged in place and put
    back; `f` is called with the array itself and may return a number, array or Tensor
    (summed). This is numnet's one finite-difference routine: `gradcheck` uses it too.
    """
    x = x.data if isinstance(x, Tensor) else x
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError("numerical_gradient needs a floating-point ndarray (or Tensor) x")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        f_plus = _total(f(x))
        x[i] = original - eps
        f_minus = _total(f(x))
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _total(value: Any) -> float:
    return float(np.sum(value.data if isinstance(value, Tensor) else value))


def _checked_inputs(inputs: tuple[Any, ...]) -> list[Any]:
    """Floating inputs become float64 leaves that require grad; others stay constants."""
    prepared: list[Any] = []
    for x in inputs:
        data = x.data if isinstance(x, Tensor) else x
        array = np.asarray(data)
        if array.dtype.kind == "f":
            prepared.append(Tensor(array.astype(np.float64), requires_grad=True))
        else:
            prepared.append(x)
    return prepared


def _clear_params(params: Sequence[Tensor]) -> None:
    """Check that params can be checked, and forget their gradients."""
    for p in params:
        if p.dtype != np.float64 or not p.requires_grad:
            raise TypeError("gradcheck params must be float64 Tensors that require grad")
        p.grad = None


def _compare(
    what: str, analytic: np.ndarray, numeric: np.ndarray, atol: float, rtol: float
) -> None:
    """Raise AssertionError naming `what` and its worst element when the two disagree."""
    excess = np.abs(analytic - numeric) - (atol + rtol * np.abs(numeric))
    if np.any(excess > 0) or not np.all(np.isfinite(analytic)):
        worst = np.unravel_index(
            np.argmax(np.where(np.isfinite(excess), excess, np.inf)), numeric.shape
        )
        raise AssertionError(
            f"gradcheck failed for {what} (shape {numeric.shape}) at element "
            f"{tuple(int(i) for i in worst)}: autograd {analytic[worst]:.6g}, numerical "
            f"{numeric[worst]:.6g}; {int(np.sum(excess > 0))} of {numeric.size} elements "
            f"outside atol={atol}, rtol={rtol}"
        )


def gradcheck(
    fn: Callable[..., Tensor],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
    params: Sequence[Tensor] = (),
) -> bool:
    """Check autograd's gradient of `fn` against central differences, in float64.

    `fn` may return a tensor of any shape: the check differentiates sum(fn(...) * v) for a
    fixed random v, which tests every output element's gradient at once. Floating inputs
    are checked; integer inputs (labels, indices) are passed through as constants.
    `params` are float64 Tensors that fn reads besides its inputs (a layer's weights):
    they are checked too, nudged in place, and their `.grad` is overwritten.
    Raises AssertionError naming the input and its worst element; returns True otherwise.
    """
    args = _checked_inputs(inputs)
    _clear_params(params)
    out = fn(*args)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    weights = np.random.default_rng(seed).standard_normal(out.shape)
    if out.requires_grad:
        (out * weights).sum().backward()

    def objective(_: np.ndarray) -> float:
        with no_grad():
            return float(np.sum(fn(*args).data * weights))

    checked = [(f"input {i}", x) for i, x in enumerate(args) if isinstance(x, Tensor)]
    checked += [(f"parameter {i}", p) for i, p in enumerate(params)]
    for what, x in checked:
        analytic = np.zeros_like(x.data) if x.grad is None else x.grad
        _compare(what, analytic, numerical_gradient(objective, x.data, eps), atol, rtol)
    return True
