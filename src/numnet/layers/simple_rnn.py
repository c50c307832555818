"""`SimpleRNN`: the Elman network, h_t = act(x_t W_x + h_{t-1} W_h + b).

"Deep Learning from Scratch 2", chapter 5. The fast path is `numnet.functional.simple_rnn`
(tanh or relu); any other activation runs the step path of `numnet.layers.recurrent`.
"""

from __future__ import annotations

from typing import Any

from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.layers.recurrent import RNN, activation_is


class SimpleRNN(RNN):
    """A fully connected recurrent layer of `units` units, as Keras' SimpleRNN.

    ``SimpleRNN(units, activation='tanh', use_bias=True, kernel_initializer=
    'glorot_uniform', recurrent_initializer='orthogonal', bias_initializer='zeros',
    return_sequences=False, return_state=False, go_backwards=False, stateful=False,
    dropout=0.0, recurrent_dropout=0.0)``. See `RNN` for the call, the other arguments,
    and truncated backpropagation through time with Keras' ``stateful=True`` and
    ``reset_states()``. Weights: kernel (D, U), recurrent_kernel (U, U), bias (U,).
    """

    gates = 1
    state_names = ("h",)

    def __init__(self, units: int, activation: Any = "tanh", **kwargs: Any) -> None:
        super().__init__(units, activation=activation, **kwargs)

    def has_fast_path(self) -> bool:
        return activation_is(self.activation, "tanh") or activation_is(self.activation, "relu")

    def run_sequence(self, x: Tensor, states: list[Tensor]) -> tuple[Tensor, list[Tensor]]:
        name = "tanh" if activation_is(self.activation, "tanh") else "relu"
        hs = F.simple_rnn(
            x, states[0], self.kernel, self.recurrent_kernel, self.bias, name, self.go_backwards
        )
        return hs, [hs[:, -1]]

    def step(self, x_proj: Tensor, states: list[Tensor], h_in: Tensor) -> list[Tensor]:
        """h_t = act(x_t W_x + b + h_{t-1} W_h)."""
        return [self.activation(x_proj + F.matmul(h_in, self.recurrent_kernel))]
