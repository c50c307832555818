"""Recurrent ops over whole sequences: backpropagation through time, written out.

Each op is one `Function` that runs a recurrent cell over a batch-major sequence
x (N, T, D): the "Time" layers of "Deep Learning from Scratch 2" (TimeRNN, TimeLSTM,
chapters 5-6), with Keras' weights so Keras checkpoints load unchanged. U is the number
of units and G = k * U, the k gate blocks of width U side by side in Keras' order
(SimpleRNN k = 1; LSTM i, f, c, o; GRU z, r, h):

* ``kernel`` W_x (D, G), applied to the input x_t;
* ``recurrent_kernel`` W_h (U, G), applied to the previous state h_{t-1};
* ``bias`` b (G,), or (2, G) for the GRU with ``reset_after=True``; None for no bias.

Forward, as fast implementations do it:

1. the input part of every step in one matrix product, ``x_proj = x W_x + b``
   (`Recurrent.project_inputs`), time-major (T, N, G): step t's part x_proj[t] is one
   contiguous block;
2. a loop over the steps t = 0 .. T-1, one product ``h_{t-1} W_h`` per step for all gates
   at once. The states go straight into the output (N, T, U); the activated gates of step
   t overwrite x_proj[t], whose pre-activations are not needed again. The states and the
   gates are what backward reads: the textbook's cache.

Backward walks the steps in reverse, backpropagation through time: the gradient that
reaches h_t is ``grad_out[:, t]`` (from the output) plus ``dh_next`` (from step t + 1).
dA_t, the gradient of step t's pre-activations, fills one (N, G) buffer, and each step
adds its share to every gradient, as the book's Time layers do: ``dW_h += h_{t-1}^T dA_t``
and the input side (`InputGrads`): ``dW_x += x_t^T dA_t``, ``db += sum of dA_t``,
``dx_t = dA_t W_x^T``. What is left in ``dh_next`` after step 0 is the gradient of h0.

Why this layout (measured on W4, the benchmark's LSTM(128) over 28 steps, batch 128):
NumPy runs an elementwise op on a contiguous block several times faster than on a strided
slice a[:, t] of a batch-major array, so x_proj and the gates, which each step reads and
writes most, are time-major; and adding each step's share while its dA is still in cache
measured a little faster than keeping a (T, N, G) array of all the dA for one product per
weight after the loop.

``go_backwards=True`` reads the inputs from last to first. Outputs stay in processing
order, as in Keras 3: ``hs[:, 0]`` is the state after reading ``x[:, T-1]`` and
``hs[:, -1]`` is always the final state.

The LSTM's cell state. A Function has one output, yet ``return_state`` needs the final
cell state c_T with its gradient. So the op `TimeLSTM` returns one array (N, T, 2U),
``[hs | cs]``: the hidden and the cell state of every step side by side. The wrapper
`numnet.functional.lstm` cuts it with getitem into hs (N, T, U) and c_T (N, U); the
gradients of both pieces add up in the one op's backward, which reads
``grad_out[..., :U]`` as dhs and ``grad_out[..., U:]`` as dcs.

The ops live one per file: `rnn` (SimpleRNN), `lstm`, `gru`; this module holds what
they share.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.tensor import Tensor
from numnet.backend import get_array_module, to_array


def sigmoid(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(a) = 1 / (1 + exp(-a)), written as (1 + tanh(a / 2)) / 2: the same function,
    but tanh never overflows and keeps the dtype of `a`. Given `out` (`a` itself is
    fine), the result goes there and no temporary array is made."""
    xp = get_array_module(a)
    out = xp.multiply(a, 0.5, out=out)
    xp.tanh(out, out=out)
    out += 1
    out *= 0.5
    return out


def gate_blocks(a: np.ndarray, k: int) -> list[np.ndarray]:
    """The k gate blocks of width U side by side in a (..., kU), as views: the same as
    ``np.split(a, k, axis=-1)`` without its Python overhead, which counts at every step."""
    width = a.shape[-1] // k
    return [a[..., j * width : (j + 1) * width] for j in range(k)]


def swap_nt(a: np.ndarray) -> np.ndarray:
    """(N, T, ...) as a contiguous (T, N, ...) array, or (T, N, ...) as (N, T, ...)."""
    return get_array_module(a).ascontiguousarray(a.swapaxes(0, 1))


def contiguous_t(w: np.ndarray) -> np.ndarray:
    """w^T as a contiguous array: BLAS multiplies by it faster than by the view w.T."""
    return get_array_module(w).ascontiguousarray(w.T)


def previous(states: np.ndarray, initial: np.ndarray, t: int) -> np.ndarray:
    """The state step t starts from: states[:, t - 1], or the initial state at t = 0."""
    return states[:, t - 1] if t > 0 else initial


class Recurrent(Function):
    """Base of the Time* ops: shape checks, and the input projection of all steps (its
    backward is `InputGrads`). A subclass sets `name` (for messages) and `gates` (k)."""

    name = "recurrent"
    gates = 1

    def __init__(self, go_backwards: bool = False) -> None:
        self.go_backwards = bool(go_backwards)
        # Reversing the time axis is its own inverse: one slice takes input order to
        # processing order and back.
        self.order = slice(None, None, -1) if self.go_backwards else slice(None)

    def bias_shape(self, units: int) -> tuple[int, ...]:
        """The shape `bias` must have for `units` units."""
        return (self.gates * units,)

    def check(
        self,
        x: np.ndarray,
        kernel: np.ndarray,
        recurrent_kernel: np.ndarray,
        states: Sequence[np.ndarray],
        bias: np.ndarray | None,
    ) -> None:
        """Raise ValueError unless the shapes fit together (see the module docstring)."""
        if x.ndim != 3:
            raise ValueError(f"{self.name} expects x of shape (N, T, D), got {x.shape}")
        n, _, d = x.shape
        units = recurrent_kernel.shape[0]
        width = self.gates * units
        expected = [
            ("kernel", kernel.shape, (d, width)),
            ("recurrent_kernel", recurrent_kernel.shape, (units, width)),
            *(("initial state", s.shape, (n, units)) for s in states),
        ]
        if bias is not None:
            expected.append(("bias", bias.shape, self.bias_shape(units)))
        for what, shape, wanted in expected:
            if tuple(shape) != wanted:
                raise ValueError(
                    f"{self.name}: {what} has shape {tuple(shape)}, expected {wanted} "
                    f"(N={n}, D={d}, units={units}, {self.gates} gate block(s))"
                )

    def project_inputs(
        self, x: np.ndarray, kernel: np.ndarray, bias: np.ndarray | None
    ) -> np.ndarray:
        """x_proj = x W_x + b for all N * T steps in one product: a fresh array (T, N, G),
        time-major in processing order, so that step t reads x_proj[t]. Backward's
        `InputGrads` reads the x_t and W_x kept here."""
        self.x_steps = swap_nt(x[:, self.order])  # (T, N, D) in processing order
        self.kernel = kernel
        steps, n, d = self.x_steps.shape
        proj = (self.x_steps.reshape(steps * n, d) @ kernel).reshape(steps, n, -1)
        if bias is not None:
            proj += bias  # proj is our own fresh array: adding in place copies nothing
        return proj

    def one_per_input(self, *grads: np.ndarray | None) -> tuple[np.ndarray | None, ...]:
        """The gradients in input order, less the bias's when the op was given none."""
        return grads[: len(self.needs_input_grad)]


class InputGrads:
    """The gradients of the input side x_t W_x + b, summed over the steps of backward.

    `add` takes step t's dA (N, G): dW_x += x_t^T dA, db += sum of dA over N, and
    dx_t = dA W_x^T when x needs a gradient; `result` gives (dx, dW_x, db), dx in the
    input's own layout (N, T, D) and order (None when x needs none).
    """

    def __init__(self, op: Recurrent, dtype: Any) -> None:
        xp = get_array_module(op.x_steps)
        self.x_steps, self.order = op.x_steps, op.order
        self.grad_kernel = xp.zeros(op.kernel.shape, dtype=dtype)
        self.grad_bias = xp.zeros(op.kernel.shape[1], dtype=dtype)
        self.kernel_t, self.grad_x_steps = None, None
        if op.needs_input_grad[0]:
            self.kernel_t = contiguous_t(op.kernel)
            self.grad_x_steps = xp.empty(self.x_steps.shape, dtype=dtype)

    def add(self, t: int, grad_a: np.ndarray) -> None:
        self.grad_kernel += self.x_steps[t].T @ grad_a
        self.grad_bias += grad_a.sum(axis=0)
        if self.grad_x_steps is not None:
            self.grad_x_steps[t] = grad_a @ self.kernel_t

    def result(self) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        grad_x = None
        if self.grad_x_steps is not None:
            grad_x = swap_nt(self.grad_x_steps[self.order])
        return grad_x, self.grad_kernel, self.grad_bias


def zero_state(x: Any, recurrent_kernel: Any) -> np.ndarray:
    """The default initial state: zeros (N, U) in x's dtype and array module."""
    data = to_array(x.data if isinstance(x, Tensor) else x)
    w_h = recurrent_kernel.data if isinstance(recurrent_kernel, Tensor) else recurrent_kernel
    units = np.shape(w_h)[0]
    return get_array_module(data).zeros((data.shape[0], units), dtype=data.dtype)


def recurrent_inputs(*inputs: Any) -> tuple[Any, ...]:
    """The op's inputs, leaving out a bias of None (always the last input)."""
    return inputs if inputs[-1] is not None else inputs[:-1]
