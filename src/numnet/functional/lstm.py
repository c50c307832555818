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
    InputGrads,
    Recurrent,
    contiguous_t,
    gate_blocks,
    previous,
    recurrent_inputs,
    sigmoid,
    zero_state,
)


def gate_scales(like: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(s, 1 - s) for `activate_gates`, shaped like one step's A (N, 4U): s is 1/2 on the
    sigmoid blocks and 1 on the tanh block. Made once per sequence, and whole: on (128, 512)
    float32, multiplying by an array of the same shape took 9 us, by a broadcast (4U,) row
    17."""
    xp = get_array_module(like)
    units = like.shape[-1] // 4
    s = xp.full(like.shape, 0.5, dtype=like.dtype)
    s[..., 2 * units : 3 * units] = 1
    return s, 1 - s


def activate_gates(a: np.ndarray, s: np.ndarray, one_minus_s: np.ndarray) -> list[np.ndarray]:
    """i, f, g, o = σ(A_i), σ(A_f), tanh(A_c), σ(A_o) from A (N, 4U), written over A.

    σ(x) = (1 + tanh(x / 2)) / 2, so one tanh over the whole of A serves all four
    blocks: gates = tanh(A s) s + (1 - s), with s and 1 - s from `gate_scales`. Four
    passes over the contiguous A instead of thirteen NumPy calls on strided quarter
    blocks (`activate_gates_plain`, which a test keeps equal to this).
    """
    a *= s
    get_array_module(a).tanh(a, out=a)
    a *= s
    a += one_minus_s
    return gate_blocks(a, 4)


def activate_gates_plain(a: np.ndarray) -> list[np.ndarray]:
    """`activate_gates` as the textbook writes it, also in place."""
    i, f, g, o = gate_blocks(a, 4)
    tanh = get_array_module(a).tanh
    return [sigmoid(i, out=i), sigmoid(f, out=f), tanh(g, out=g), sigmoid(o, out=o)]


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
        dW_h += h_{t-1}^T dA,    dh_next = dA W_h^T,    dc_next = ds * f.
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
        self.acts = self.project_inputs(x, kernel, bias)  # becomes i, f, g, o step by step
        n, steps, units = x.shape[0], x.shape[1], h0.shape[1]
        out = xp.empty((n, steps, 2 * units), dtype=self.acts.dtype)
        hs, cs = out[..., :units], out[..., units:]  # views: the steps fill `out`
        h, c = h0, c0
        scales = gate_scales(self.acts[0])
        for t in range(steps):
            a = self.acts[t]
            a += h @ recurrent_kernel
            i, f, g, o = activate_gates(a, *scales)
            cs[:, t] = f * c + i * g
            hs[:, t] = o * xp.tanh(cs[:, t])
            h, c = hs[:, t], cs[:, t]
        self.h0, self.c0, self.recurrent_kernel = h0, c0, recurrent_kernel
        self.hs, self.cs = hs, cs
        return out

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        xp = get_array_module(grad_out)
        units = self.h0.shape[1]
        grad_hs, grad_cs = grad_out[..., :units], grad_out[..., units:]
        w_h_t = contiguous_t(self.recurrent_kernel)
        grad_w_h = xp.zeros(self.recurrent_kernel.shape, dtype=self.acts.dtype)
        inputs = InputGrads(self, self.acts.dtype)
        grad_a = xp.empty_like(self.acts[0])  # dA of the step at hand
        da_i, da_f, da_g, da_o = gate_blocks(grad_a, 4)
        dh_next, dc_next = xp.zeros_like(self.h0), xp.zeros_like(self.c0)
        for t in reversed(range(self.acts.shape[0])):
            i, f, g, o = gate_blocks(self.acts[t], 4)
            tanh_c = xp.tanh(self.cs[:, t])
            dh = grad_hs[:, t] + dh_next
            ds = grad_cs[:, t] + dc_next + dh * o * (1 - tanh_c * tanh_c)
            da_i[...] = ds * g * i * (1 - i)
            da_f[...] = ds * previous(self.cs, self.c0, t) * f * (1 - f)
            da_g[...] = ds * i * (1 - g * g)
            da_o[...] = dh * tanh_c * o * (1 - o)
            grad_w_h += previous(self.hs, self.h0, t).T @ grad_a
            inputs.add(t, grad_a)
            dh_next, dc_next = grad_a @ w_h_t, ds * f
        grad_x, grad_kernel, grad_bias = inputs.result()
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
