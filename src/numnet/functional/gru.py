"""Gated recurrent unit over a whole sequence (Cho et al., 2014), in Keras' two forms.

Gate order z, r, h (update, reset, candidate) and Keras' update rule
h_t = z * h_{t-1} + (1 - z) * hh. With ``reset_after=True`` (Keras 3's default, the
cuDNN form) the reset gate multiplies the recurrent product, and the bias is (2, 3U):
row 0 is added to the input projection, row 1 to the recurrent product. With
``reset_after=False`` (the paper's form) it multiplies h_{t-1} before the product, and
the bias is (3U,). Shapes and the backpropagation-through-time pattern are in
`numnet.functional.recurrent`.
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


class TimeGRU(Recurrent):
    """hs over T steps of the GRU cell with reset_after=True.

    Forward, step t, with one recurrent product M for all three gates:
        [x_z, x_r, x_h] = x_t W_x + b_in,    [m_z, m_r, m_h] = h_{t-1} W_h + b_rec;
        z = σ(x_z + m_z),  r = σ(x_r + m_r),  hh = tanh(x_h + r * m_h);
        h_t = z * h_{t-1} + (1 - z) * hh.

    Backward, step t from T down to 1, with dh = grad_out_t + dh_next:
        dA_h = dh * (1 - z) * (1 - hh^2),   dA_z = dh * (h_{t-1} - hh) * z (1 - z),
        dA_r = dA_h * m_h * r (1 - r);
        input side dA = [dA_z, dA_r, dA_h], recurrent side dM = [dA_z, dA_r, dA_h * r];
        dW_h += h_{t-1}^T dM,  db_rec += sum of dM,  dh_next = dh * z + dM W_h^T.
    """

    name = "gru"
    gates = 3

    def bias_shape(self, units: int) -> tuple[int, ...]:
        return (2, 3 * units)

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
        self.acts = self.project_inputs(x, kernel, None if bias is None else bias[0])
        b_rec = 0 if bias is None else bias[1]
        n, steps, units = x.shape[0], x.shape[1], h0.shape[1]
        hs = xp.empty((n, steps, units), dtype=self.acts.dtype)
        self.m_hs = xp.empty((steps, n, units), dtype=self.acts.dtype)  # m_h of every step
        h = h0
        for t in range(steps):
            x_z, x_r, x_h = gate_blocks(self.acts[t], 3)
            m_z, m_r, m_h = gate_blocks(h @ recurrent_kernel + b_rec, 3)
            # The gates z, r, hh overwrite x_z, x_r, x_h, which are not needed again.
            z = sigmoid(x_z + m_z, out=x_z)
            r = sigmoid(x_r + m_r, out=x_r)
            hh = xp.tanh(x_h + r * m_h, out=x_h)
            hs[:, t] = z * h + (1 - z) * hh
            h, self.m_hs[t] = hs[:, t], m_h
        self.h0, self.recurrent_kernel, self.hs = h0, recurrent_kernel, hs
        return hs

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        xp = get_array_module(grad_out)
        units = self.h0.shape[1]
        w_h_t = contiguous_t(self.recurrent_kernel)
        grad_w_h = xp.zeros(self.recurrent_kernel.shape, dtype=self.acts.dtype)
        grad_b_rec = xp.zeros(self.recurrent_kernel.shape[1], dtype=self.acts.dtype)
        inputs = InputGrads(self, self.acts.dtype)
        grad_a, grad_m = xp.empty_like(self.acts[0]), xp.empty_like(self.acts[0])
        da_z, da_r, da_h = gate_blocks(grad_a, 3)
        dm_zr, dm_h = grad_m[:, : 2 * units], grad_m[:, 2 * units :]
        dh_next = xp.zeros_like(self.h0)
        for t in reversed(range(self.acts.shape[0])):
            z, r, hh = gate_blocks(self.acts[t], 3)
            h_prev = previous(self.hs, self.h0, t)
            dh = grad_out[:, t] + dh_next
            da_h[...] = dh * (1 - z) * (1 - hh * hh)
            da_z[...] = dh * (h_prev - hh) * z * (1 - z)
            da_r[...] = da_h * self.m_hs[t] * r * (1 - r)
            dm_zr[...], dm_h[...] = grad_a[:, : 2 * units], da_h * r
            grad_w_h += h_prev.T @ grad_m
            grad_b_rec += grad_m.sum(axis=0)
            inputs.add(t, grad_a)
            dh_next = dh * z + grad_m @ w_h_t
        grad_x, grad_kernel, grad_b_in = inputs.result()
        grad_bias = xp.stack((grad_b_in, grad_b_rec))
        return self.one_per_input(grad_x, dh_next, grad_kernel, grad_w_h, grad_bias)


class TimeGRUResetBefore(Recurrent):
    """hs over T steps of the GRU cell with reset_after=False, W_h = [W_hz | W_hr | W_hh].

    Forward, step t (two recurrent products: the second needs r first):
        [x_z, x_r, x_h] = x_t W_x + b;
        z = σ(x_z + h_{t-1} W_hz),  r = σ(x_r + h_{t-1} W_hr),
        hh = tanh(x_h + (r * h_{t-1}) W_hh);    h_t = z * h_{t-1} + (1 - z) * hh.

    Backward, step t from T down to 1, with dh = grad_out_t + dh_next:
        dA_h = dh * (1 - z) * (1 - hh^2),   dA_z = dh * (h_{t-1} - hh) * z (1 - z),
        d(r h) = dA_h W_hh^T,   dA_r = d(r h) * h_{t-1} * r (1 - r);
        dW_hz,hr += h_{t-1}^T [dA_z, dA_r],   dW_hh += (r * h_{t-1})^T dA_h,
        dh_next = dh * z + d(r h) * r + [dA_z, dA_r] [W_hz | W_hr]^T.
    """

    name = "gru"
    gates = 3

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
        self.acts = self.project_inputs(x, kernel, bias)  # becomes z, r, hh step by step
        n, steps, units = x.shape[0], x.shape[1], h0.shape[1]
        w_zr, w_hh = recurrent_kernel[:, : 2 * units], recurrent_kernel[:, 2 * units :]
        hs = xp.empty((n, steps, units), dtype=self.acts.dtype)
        h = h0
        for t in range(steps):
            x_zr, x_h = self.acts[t, :, : 2 * units], self.acts[t, :, 2 * units :]
            z, r = gate_blocks(sigmoid(x_zr + h @ w_zr, out=x_zr), 2)
            hh = xp.tanh(x_h + (r * h) @ w_hh, out=x_h)
            hs[:, t] = z * h + (1 - z) * hh
            h = hs[:, t]
        self.h0, self.recurrent_kernel, self.hs = h0, recurrent_kernel, hs
        return hs

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        xp = get_array_module(grad_out)
        units = self.h0.shape[1]
        w_h_t = contiguous_t(self.recurrent_kernel)
        w_zr_t, w_hh_t = w_h_t[: 2 * units], w_h_t[2 * units :]
        grad_w_h = xp.zeros(self.recurrent_kernel.shape, dtype=self.acts.dtype)
        grad_w_zr, grad_w_hh = grad_w_h[:, : 2 * units], grad_w_h[:, 2 * units :]
        inputs = InputGrads(self, self.acts.dtype)
        grad_a = xp.empty_like(self.acts[0])  # dA of the step at hand
        da_z, da_r, da_h = gate_blocks(grad_a, 3)
        da_zr = grad_a[:, : 2 * units]
        dh_next = xp.zeros_like(self.h0)
        for t in reversed(range(self.acts.shape[0])):
            z, r, hh = gate_blocks(self.acts[t], 3)
            h_prev = previous(self.hs, self.h0, t)
            dh = grad_out[:, t] + dh_next
            da_h[...] = dh * (1 - z) * (1 - hh * hh)
            da_z[...] = dh * (h_prev - hh) * z * (1 - z)
            grad_rh = da_h @ w_hh_t
            da_r[...] = grad_rh * h_prev * r * (1 - r)
            grad_w_zr += h_prev.T @ da_zr
            grad_w_hh += (r * h_prev).T @ da_h
            inputs.add(t, grad_a)
            dh_next = dh * z + grad_rh * r + da_zr @ w_zr_t
        grad_x, grad_kernel, grad_bias = inputs.result()
        return self.one_per_input(grad_x, dh_next, grad_kernel, grad_w_h, grad_bias)


def gru(
    x: Any,
    h0: Any,
    kernel: Any,
    recurrent_kernel: Any,
    bias: Any = None,
    reset_after: bool = True,
    go_backwards: bool = False,
) -> Tensor:
    """Every hidden state hs (N, T, U) of a GRU over x (N, T, D), in processing order:
    hs[:, -1] is the final state. h0 (N, U), zeros when None; kernel (D, 3U),
    recurrent_kernel (U, 3U), gate blocks in Keras' order z, r, h; bias (2, 3U) when
    reset_after (input bias, recurrent bias), (3U,) otherwise, or None."""
    h0 = zero_state(x, recurrent_kernel) if h0 is None else h0
    op = TimeGRU(go_backwards) if reset_after else TimeGRUResetBefore(go_backwards)
    return apply(op, *recurrent_inputs(x, h0, kernel, recurrent_kernel, bias))
