"""`GRU`: the gated recurrent unit (Cho et al. 2014), Keras' gate order z, r, h and
update rule h_t = z * h_{t-1} + (1 - z) * hh.

``reset_after=True`` (Keras 3's default, the cuDNN form) applies the reset gate after
the recurrent product and has two bias rows, (2, 3U): input bias and recurrent bias.
``reset_after=False`` (the paper's form) applies it to h_{t-1} before the product, with
one bias (3U,). The fast path is `numnet.functional.gru`; other activations run the
step path of `numnet.layers.recurrent`.
"""

from __future__ import annotations

from typing import Any

from numnet import activations
from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.layers.recurrent import RNN, activation_is
from numnet.layers.recurrent_base import linear_if_none


class GRU(RNN):
    """Gated recurrent unit layer of `units` units, as Keras' GRU.

    ``GRU(units, activation='tanh', recurrent_activation='sigmoid', use_bias=True,
    kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal',
    bias_initializer='zeros', reset_after=True, return_sequences=False,
    return_state=False, go_backwards=False, stateful=False, dropout=0.0,
    recurrent_dropout=0.0)``. See `RNN` for the call, the other arguments, and
    truncated backpropagation through time with Keras' ``stateful=True`` and
    ``reset_states()``. Weights: kernel (D, 3U), recurrent_kernel (U, 3U), bias (2, 3U)
    (reset_after) or (3U,).
    """

    gates = 3
    state_names = ("h",)

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        reset_after: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(linear_if_none(recurrent_activation))
        self.reset_after = reset_after

    def bias_shape(self) -> tuple[int, ...]:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def input_bias(self) -> Tensor | None:
        if self.bias is None or not self.reset_after:
            return self.bias
        return self.bias[0]

    def has_fast_path(self) -> bool:
        return activation_is(self.activation, "tanh") and activation_is(
            self.recurrent_activation, "sigmoid"
        )

    def run_sequence(self, x: Tensor, states: list[Tensor]) -> tuple[Tensor, list[Tensor]]:
        hs = F.gru(
            x,
            states[0],
            self.kernel,
            self.recurrent_kernel,
            self.bias,
            reset_after=self.reset_after,
            go_backwards=self.go_backwards,
        )
        return hs, [hs[:, -1]]

    def step(self, x_proj: Tensor, states: list[Tensor], h_in: Tensor) -> list[Tensor]:
        """[x_z, x_r, x_h] = x_t W_x + b_in; z = σ(x_z + h W_hz), r = σ(x_r + h W_hr);
        hh = tanh(x_h + r * (h W_hh + b_rec)) with reset_after, else
        tanh(x_h + (r * h) W_hh); h_t = z * h_{t-1} + (1 - z) * hh.
        The recurrent products read h_in (h_{t-1} after recurrent dropout); the update
        mixes in the true h_{t-1}."""
        u, sigma, w_h = self.units, self.recurrent_activation, self.recurrent_kernel
        if self.reset_after:
            m = F.matmul(h_in, w_h)
            if self.bias is not None:
                m = m + self.bias[1]
            m_zr, m_h = m[:, : 2 * u], m[:, 2 * u :]
        else:
            m_zr = F.matmul(h_in, w_h[:, : 2 * u])
        zr = sigma(x_proj[:, : 2 * u] + m_zr)
        z, r = zr[:, :u], zr[:, u:]
        if self.reset_after:
            hh = self.activation(x_proj[:, 2 * u :] + r * m_h)
        else:
            hh = self.activation(x_proj[:, 2 * u :] + F.matmul(r * h_in, w_h[:, 2 * u :]))
        return [z * states[0] + (1 - z) * hh]

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "recurrent_activation": activations.name_of(self.recurrent_activation),
            "reset_after": self.reset_after,
        }
