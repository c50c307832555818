"""The simple (Elman) RNN over a whole sequence: "Deep Learning from Scratch 2", chapter 5.

One step is h_t = act(x_t W_x + h_{t-1} W_h + b), act tanh (Keras' SimpleRNN default) or
relu; the op runs all T steps and returns every hidden state. Shapes, weight layout and
the backpropagation-through-time pattern are in `numnet.functional.recurrent`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module
from numnet.functional.recurrent import (
    InputGrads,
    Recurrent,
    contiguous_t,
    previous,
    recurrent_inputs,
    zero_state,
)

ACTIVATIONS = ("tanh", "relu")


class TimeRNN(Recurrent):
    """hs = (h_1, ..., h_T) with h_t = act(A_t), A_t = x_t W_x + h_{t-1} W_h + b.

    Backward, step t from T down to 1 (the book's RNN.backward):
    dh = grad_out_t + dh_next, dA = dh * act'(A_t) where act' is 1 - h_t^2 for tanh and
    [h_t > 0] for relu, dW_h += h_{t-1}^T dA, dh_next = dA W_h^T, and the input side's
    dx_t, dW_x, db from dA (`InputGrads`); dh0 is the last dh_next.
    """

    name = "simple_rnn"
    gates = 1

    def __init__(self, activation: str = "tanh", go_backwards: bool = False) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"simple_rnn: activation must be one of {ACTIVATIONS}, got {activation!r}"
            )
        super().__init__(go_backwards)
        self.activation = activation

    def forward(
        self,
        x: np.ndarray,
        h0: np.ndarray,
        kernel: np.ndarray,
        recurrent_kernel: np.ndarray,
        bias: np.ndarray | None = None,
    ) -> np.ndarray:
        xp = get_array_module(x)
        self.check(x, kernel, recurrent_kernel, (h0,), bias)
        x_proj = self.project_inputs(x, kernel, bias)
        n, steps, units = x.shape[0], x.shape[1], h0.shape[1]
        hs = xp.empty((n, steps, units), dtype=x_proj.dtype)
        h = h0
        for t in range(steps):
            a = x_proj[t]
            a += h @ recurrent_kernel
            hs[:, t] = xp.tanh(a) if self.activation == "tanh" else xp.maximum(a, 0)
            h = hs[:, t]
        self.h0, self.recurrent_kernel, self.hs = h0, recurrent_kernel, hs
        return hs

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        xp = get_array_module(grad_out)
        hs, w_h_t = self.hs, contiguous_t(self.recurrent_kernel)
        grad_w_h = xp.zeros(self.recurrent_kernel.shape, dtype=hs.dtype)
        inputs = InputGrads(self, hs.dtype)
        dh_next = xp.zeros_like(self.h0)
        for t in reversed(range(hs.shape[1])):
            dh = grad_out[:, t] + dh_next
            h = hs[:, t]
            da = dh * (1 - h * h) if self.activation == "tanh" else dh * (h > 0)
            grad_w_h += previous(hs, self.h0, t).T @ da
            inputs.add(t, da)
            dh_next = da @ w_h_t
        grad_x, grad_kernel, grad_bias = inputs.result()
        return self.one_per_input(grad_x, dh_next, grad_kernel, grad_w_h, grad_bias)


def simple_rnn(
    x: Any,
    h0: Any,
    kernel: Any,
    recurrent_kernel: Any,
    bias: Any = None,
    activation: str = "tanh",
    go_backwards: bool = False,
) -> Tensor:
    """Every hidden state hs (N, T, U) of a simple RNN over x (N, T, D), in processing
    order: hs[:, -1] is the final state. h0 (N, U), zeros when None; kernel (D, U),
    recurrent_kernel (U, U), bias (U,) or None."""
    h0 = zero_state(x, recurrent_kernel) if h0 is None else h0
    op = TimeRNN(activation, go_backwards)
    return apply(op, *recurrent_inputs(x, h0, kernel, recurrent_kernel, bias))
