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

1. the input part of every step in one matrix product, ``x_proj = x W_x + b`` computed
   as ``x.reshape(N * T, D) @ W_x`` (`Recurrent.project_inputs`);
2. a loop over the steps t = 0 .. T-1, one product ``h_{t-1} W_h`` per step for all gates
   at once, keeping on ``self`` what backward needs (the activated gates and the states):
   the textbook's cache.

Backward walks the steps in reverse, backpropagation through time: the gradient that
reaches h_t is ``grad_out[:, t]`` (from the output) plus ``dh_next`` (from step t + 1).
``dW_h`` accumulates ``h_{t-1}^T dA_t`` over the steps, where dA_t is the gradient of
step t's pre-activations; the input side is done at the end, in one product each, from
all the dA_t (`Recurrent.input_grads`): ``dx = dA W_x^T``, ``dW_x = x^T dA``,
``db = sum of dA``. What is left in ``dh_next`` after step 0 is the gradient of h0.

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


def sigmoid(a: np.ndarray) -> np.ndarray:
    """σ(a) = 1 / (1 + exp(-a)), written as (1 + tanh(a / 2)) / 2: the same function,
    but tanh never overflows and keeps the dtype of `a`."""
    return 0.5 * (get_array_module(a).tanh(0.5 * a) + 1)


def previous(states: np.ndarray, initial: np.ndarray, t: int) -> np.ndarray:
    """The state step t starts from: states[:, t - 1], or the initial state at t = 0."""
    return states[:, t - 1] if t > 0 else initial


class Recurrent(Function):
    """Base of the Time* ops: shape checks, and the input projection of all steps with
    its backward. A subclass sets `name` (for messages) and `gates` (k)."""

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
        """x_proj = x W_x + b for all N * T steps in one product: (N, T, G), a view in
        processing order, so that step t reads x_proj[:, t]."""
        n, steps, d = x.shape
        self.x, self.kernel = x, kernel
        proj = (x.reshape(n * steps, d) @ kernel).reshape(n, steps, -1)
        if bias is not None:
            proj += bias  # proj is our own fresh array: adding in place copies nothing
        return proj[:, self.order]

    def input_grads(
        self, grad_proj: np.ndarray
    ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """Backward of `project_inputs`, given dA = grad_proj (N, T, G) in processing order:
        dx = dA W_x^T (only when x needs it), dW_x = x^T dA, db = sum of dA over N and T."""
        n, steps, d = self.x.shape
        grad_a = grad_proj[:, self.order].reshape(n * steps, -1)
        grad_x = None
        if self.needs_input_grad[0]:
            grad_x = (grad_a @ self.kernel.T).reshape(n, steps, d)
        grad_kernel = self.x.reshape(n * steps, d).T @ grad_a
        return grad_x, grad_kernel, grad_a.sum(axis=0)

    def one_per_input(self, *grads: np.ndarray | None) -> tuple[np.ndarray | None, ...]:
        """The gradients in input order, less the bias's when the op was given none."""
        return grads[: len(self.needs_input_grad)]


def zero_state(x: Any, recurrent_kernel: Any) -> np.ndarray:
    """The default initial state: zeros (N, U) in x's dtype and array module."""
    data = to_array(x.data if isinstance(x, Tensor) else x)
    w_h = recurrent_kernel.data if isinstance(recurrent_kernel, Tensor) else recurrent_kernel
    units = np.shape(w_h)[0]
    return get_array_module(data).zeros((data.shape[0], units), dtype=data.dtype)


def recurrent_inputs(*inputs: Any) -> tuple[Any, ...]:
    """The op's inputs, leaving out a bias of None (always the last input)."""
    return inputs if inputs[-1] is not None else inputs[:-1]
