"""Long short-term memory over a whole sequence: "Deep Learning from Scratch 2", chapter 6.

Hochreiter & Schmidhuber (1997), with the forget gate of Gers, Schmidhuber & Cummins
(2000); Keras' gate order i, f, c, o, sigmoid gates and tanh activations. The op returns
[hs | cs] (N, T, 2U) so that the cell state keeps its gradient (see the module docstring
of `numnet.functional.recurrent`, which also gives the shapes); `lstm` splits it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module
from numnet.functional.recurrent import (
    Recurrent,
    previous,
    recurrent_inputs,
    sigmoid,
    zero_state,
)


class TimeLSTM(Recurrent):
    """[hs | cs] over T steps of the LSTM cell.

    Forward, step t (the book's LSTM.forward):
        A = x_t W_x + h_{t-1} W_h + b, cut into four blocks A_i, A_f, A_c, A_o;
        i = σ(A_i), f = σ(A_f), g = tanh(A_c), o = σ(A_o);
        c_t = f * c_{t-1} + i * g,    h_t = o * tanh(c_t).

    Backward, step t from T down to 1, with dh = dhs_t + dh_next, dc = dcs_t + dc_next:
        ds = dc + dh * o * (1 - tanh(c_t)^2)          (all that reaches c_t)
        dA_i = ds * g * i (1 - i),    dA_f = ds * c_{t-1} * f (1 - f),
        dA_c = ds * i * (1 - g^2),    dA_o = dh * tanh(c_t) * o (1 - o),
        dW_h = Σ_t h_{t-1}^T dA_t (one product at the end),  dh_next = dA W_h^T,  dc_next = ds * f.
    """

    name = "lstm"
    gates = 4

    def forward(
        self,
        x: np.ndarray,
        h0: np.ndarray,
        c0: np.ndarray,
        kernel: np.ndarray,
        recurrent_kernel: np.ndarray,
        bias: np.ndarray | None = None,
    ) -> np.ndarray:
        xp = get_array_module(x)
        self.check(x, kernel, recurrent_kernel, (h0, c0), bias)
        x_proj = self.project_inputs(x, kernel, bias)
        n, steps, units = x.shape[0], x.shape[1], h0.shape[1]
        out = xp.empty((n, steps, 2 * units), dtype=x_proj.dtype)
        hs, cs = out[..., :units], out[..., units:]  # views: the forward fills `out`
        self.acts = xp.empty_like(x_proj)  # i, f, g, o of every step
        self.tanh_cs = xp.empty_like(cs)
        h, c = h0, c0
        for t in range(steps):
            a = x_proj[:, t] + h @ recurrent_kernel
            act = self.acts[:, t]  # a view: the gates are written in place
            act[:, : 2 * units] = sigmoid(a[:, : 2 * units])  # i, f
            xp.tanh(a[:, 2 * units : 3 * units], out=act[:, 2 * units : 3 * units])  # g
            act[:, 3 * units :] = sigmoid(a[:, 3 * units :])  # o
            i, f, g, o = xp.split(act, 4, axis=-1)  # views of the gates just written
            c = f * c + i * g
            tanh_c = xp.tanh(c)
            h = o * tanh_c
            hs[:, t], cs[:, t], self.tanh_cs[:, t] = h, c, tanh_c
        self.h0, self.c0, self.recurrent_kernel = h0, c0, recurrent_kernel
        self.hs, self.cs = hs, cs
        return out

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        xp = get_array_module(grad_out)
        units = self.h0.shape[1]
        grad_hs, grad_cs = grad_out[..., :units], grad_out[..., units:]
        w_h = self.recurrent_kernel
        grad_a = xp.empty_like(self.acts)  # dA of every step, in processing order
        dh_next, dc_next = xp.zeros_like(self.h0), xp.zeros_like(self.c0)
        for t in reversed(range(self.acts.shape[1])):
            i, f, g, o = xp.split(self.acts[:, t], 4, axis=-1)
            tanh_c = self.tanh_cs[:, t]
            dh = grad_hs[:, t] + dh_next
            ds = grad_cs[:, t] + dc_next + dh * o * (1 - tanh_c * tanh_c)
            c_prev = previous(self.cs, self.c0, t)
            da = xp.concatenate(
                (
                    ds * g * i * (1 - i),
                    ds * c_prev * f * (1 - f),
                    ds * i * (1 - g * g),
                    dh * tanh_c * o * (1 - o),
                ),
                axis=-1,
            )
            dh_next, dc_next = da @ w_h.T, ds * f
            grad_a[:, t] = da
        # dW_h = sum over t of h_{t-1}^T dA_t: one product over all N * T steps.
        n, steps, width = grad_a.shape
        h_prev = xp.concatenate((self.h0[:, None], self.hs[:, :-1]), axis=1)
        grad_w_h = h_prev.reshape(n * steps, units).T @ grad_a.reshape(n * steps, width)
        grad_x, grad_kernel, grad_bias = self.input_grads(grad_a)
        return self.one_per_input(grad_x, dh_next, dc_next, grad_kernel, grad_w_h, grad_bias)


def lstm(
    x: Any,
    h0: Any,
    c0: Any,
    kernel: Any,
    recurrent_kernel: Any,
    bias: Any = None,
    go_backwards: bool = False,
) -> tuple[Tensor, Tensor]:
    """(hs, c_T): every hidden state hs (N, T, U) of an LSTM over x (N, T, D), in
    processing order, and the final cell state c_T (N, U), both with gradients.

    h0, c0 (N, U), zeros when None; kernel (D, 4U), recurrent_kernel (U, 4U) and bias
    (4U,) or None, gate blocks in Keras' order i, f, c, o. The final hidden state is
    hs[:, -1]."""
    h0 = zero_state(x, recurrent_kernel) if h0 is None else h0
    c0 = zero_state(x, recurrent_kernel) if c0 is None else c0
    op = TimeLSTM(go_backwards)
    out = apply(op, *recurrent_inputs(x, h0, c0, kernel, recurrent_kernel, bias))
    units = out.shape[-1] // 2
    return out[..., :units], out[:, -1, units:]
