"""`LSTM`: long short-term memory (Hochreiter & Schmidhuber 1997, with the forget gate of
Gers et al. 2000), Keras' gate order i, f, c, o.

"Deep Learning from Scratch 2", chapter 6. The fast path is `numnet.functional.lstm`
(sigmoid gates, tanh activation); other activations run the step path of
`numnet.layers.recurrent`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import activations, initializers
from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.layers.recurrent import RNN, activation_is
from numnet.layers.recurrent_base import linear_if_none


class UnitForgetBias(initializers.Initializer):
    """Keras' LSTM bias: `base` for the i, c and o blocks and ones for the forget block
    f, so that the cell keeps its memory at the start of training (Jozefowicz, Zaremba &
    Sutskever 2015)."""

    def __init__(self, base: initializers.Initializer) -> None:
        self.base = base

    def __call__(
        self, shape: tuple[int, ...], dtype: Any = np.float32, rng: Any = None
    ) -> np.ndarray:
        units = shape[0] // 4
        blocks = (
            self.base((units,), dtype, rng),
            np.ones(units, dtype=dtype),
            self.base((2 * units,), dtype, rng),
        )
        return np.concatenate(blocks).astype(dtype)


class LSTM(RNN):
    """Long short-term memory layer of `units` units, as Keras' LSTM.

    ``LSTM(units, activation='tanh', recurrent_activation='sigmoid', use_bias=True,
    kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal',
    bias_initializer='zeros', unit_forget_bias=True, return_sequences=False,
    return_state=False, go_backwards=False, stateful=False, dropout=0.0,
    recurrent_dropout=0.0)``. See `RNN` for the call, the other arguments, and
    truncated backpropagation through time with Keras' ``stateful=True`` and
    ``reset_states()``. Weights: kernel (D, 4U), recurrent_kernel (U, 4U), bias (4U,);
    two states, h and c, so ``return_state=True`` gives ``[output, h, c]``.
    """

    gates = 4
    state_names = ("h", "c")

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        unit_forget_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(linear_if_none(recurrent_activation))
        self.unit_forget_bias = unit_forget_bias

    def initial_bias(self) -> initializers.Initializer:
        if self.unit_forget_bias:
            return UnitForgetBias(self.bias_initializer)
        return self.bias_initializer

    def has_fast_path(self) -> bool:
        return activation_is(self.activation, "tanh") and activation_is(
            self.recurrent_activation, "sigmoid"
        )

    def run_sequence(self, x: Tensor, states: list[Tensor]) -> tuple[Tensor, list[Tensor]]:
        h0, c0 = states
        hs, c = F.lstm(x, h0, c0, self.kernel, self.recurrent_kernel, self.bias, self.go_backwards)
        return hs, [hs[:, -1], c]

    def step(self, x_proj: Tensor, states: list[Tensor], h_in: Tensor) -> list[Tensor]:
        """A = x_t W_x + b + h_{t-1} W_h cut into A_i, A_f, A_c, A_o;
        i, f, o = σ(A_i), σ(A_f), σ(A_o), g = tanh(A_c);
        c_t = f * c_{t-1} + i * g, h_t = o * tanh(c_t)."""
        u, sigma = self.units, self.recurrent_activation
        a = x_proj + F.matmul(h_in, self.recurrent_kernel)
        i, f, o = sigma(a[:, :u]), sigma(a[:, u : 2 * u]), sigma(a[:, 3 * u :])
        g = self.activation(a[:, 2 * u : 3 * u])
        c = f * states[1] + i * g
        return [o * self.activation(c), c]

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "recurrent_activation": activations.name_of(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }
