"""The configuration and the weights of a recurrent layer: Keras' constructor arguments,
`get_config`, `build` and shape checks. How the layer runs is `numnet.layers.recurrent`.

Weights in Keras' layout, U units and k gate blocks of width U side by side (SimpleRNN
k = 1; LSTM i, f, c, o; GRU z, r, h): ``kernel`` (D, kU), ``recurrent_kernel`` (U, kU),
``bias`` (kU,), or (2, 3U) for the GRU with ``reset_after=True``. Keras' defaults:
Glorot-uniform kernel, orthogonal recurrent kernel (Saxe et al. 2014), zero bias.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import activations, initializers, random, regularizers
from numnet.layers.base import Layer

Shape = tuple[int | None, ...]


def linear_if_none(activation: Any) -> Any:
    """Keras' reading of activation=None for recurrent layers: no activation, f(a) = a."""
    return "linear" if activation is None else activation


class RecurrentBase(Layer):
    """Settings and weights shared by SimpleRNN, LSTM and GRU (see `RNN` for the call)."""

    gates = 1  # k, the gate blocks of width `units` in each weight
    state_names: tuple[str, ...] = ("h",)

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        kind = type(self).__name__
        if not isinstance(units, int | np.integer) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"{kind} units must be a positive integer, got {units!r}")
        for what, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0 <= rate < 1:
                raise ValueError(f"{kind} {what} must be in [0, 1), got {rate}")
        self.units = int(units)
        self.activation = activations.get(linear_if_none(activation))
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.dropout, self.recurrent_dropout = float(dropout), float(recurrent_dropout)
        self.seed = seed
        self.rng: np.random.Generator | None = None if seed is None else random.resolve(seed)
        self.return_sequences, self.return_state = return_sequences, return_state
        self.go_backwards, self.stateful = go_backwards, stateful
        self.unroll = unroll  # accepted for Keras programs; numnet's loop is the same either way
        self.zero_output_for_mask = zero_output_for_mask
        self.states: list[Any] | None = None  # held between batches when stateful

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.name_of(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }

    # --- weights -------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        # Called on [x, *initial_states], the first shape is the sequences'.
        shape = input_shape[0] if isinstance(input_shape, list) else input_shape
        self.check_sequences(tuple(shape))
        width = self.gates * self.units
        self.kernel = self.add_weight(
            "kernel", (shape[-1], width), self.kernel_initializer, self.kernel_regularizer
        )
        self.recurrent_kernel = self.add_weight(
            "recurrent_kernel",
            (self.units, width),
            self.recurrent_initializer,
            self.recurrent_regularizer,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias", self.bias_shape(), self.initial_bias(), self.bias_regularizer
            )

    def weight_shapes(self, input_shape: Any) -> list[tuple[int, ...]]:
        shape = input_shape[0] if isinstance(input_shape, list) else input_shape
        self.check_sequences(tuple(shape))
        width = self.gates * self.units
        shapes = [(shape[-1], width), (self.units, width)]
        return [*shapes, self.bias_shape()] if self.use_bias else shapes

    def bias_shape(self) -> tuple[int, ...]:
        """Shape of `bias`: one entry per gate unit."""
        return (self.gates * self.units,)

    def initial_bias(self) -> initializers.Initializer:
        """The bias's initializer (the LSTM's adds its unit forget bias)."""
        return self.bias_initializer

    def input_bias(self) -> Any:
        """The bias added to the input projection x_t W_x (the GRU's first row)."""
        return self.bias

    # --- shapes --------------------------------------------------------------------------
    def check_sequences(self, shape: Shape) -> None:
        """A ValueError naming the layer unless `shape` is (N, T, D), D as built."""
        kernel = getattr(self, "kernel", None)
        features = "D" if kernel is None else kernel.shape[0]
        if len(shape) != 3 or (kernel is not None and shape[-1] != features):
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} expects sequences of shape "
                f"(N, T, {features}) (batch, time steps, features), got shape {tuple(shape)}"
            )
        if shape[1] == 0:
            raise ValueError(f"{type(self).__name__} layer {self.name!r} got 0 time steps")

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = input_shape[0] if isinstance(input_shape, list) else input_shape
        n, steps = shape[0], shape[1]
        output = (n, steps, self.units) if self.return_sequences else (n, self.units)
        if self.return_state:
            return [output, *((n, self.units) for _ in self.state_names)]
        return output
