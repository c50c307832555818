"""`RNN`: what SimpleRNN, LSTM and GRU share, as Keras 3 layers over (N, T, D) sequences.

A recurrent layer holds Keras' three weights (U units, k gate blocks side by side):
``kernel`` W_x (D, kU), ``recurrent_kernel`` W_h (U, kU) and ``bias`` (kU,) (GRU with
``reset_after=True``: (2, 3U)), so ``layer.set_weights(keras_layer.get_weights())``
works unchanged. It runs the recurrence h_t = cell(x_t, h_{t-1}) in one of two ways:

* the fast path, one call of a whole-sequence op of `numnet.functional` (`simple_rnn`,
  `lstm`, `gru`), whose backward is backpropagation through time written out;
* the step path, a Python loop over the steps built from small functional ops (matmul,
  sigmoid, tanh, where, stack), for what one op cannot do: a recurrent-dropout mask on
  h_{t-1} before the recurrent product, padded steps to skip (a mask), or activations
  other than the op's. Autograd differentiates the unrolled loop. Both paths give the
  same numbers where both apply.

Dropout is Keras' (variational dropout, Gal & Ghahramani 2016), in training only: one
mask per sequence, the same at every step (shared by all gates), on the inputs x_t
(``dropout``) and on the state h_{t-1} fed to the recurrent product
(``recurrent_dropout``).

A mask (N, T) marks the real steps of padded sequences: at a padded step the states
are carried over unchanged, h_t = where(m_t, h~_t, h_{t-1}) (likewise c_t), so the final
state is that of each sequence's last real step. It comes from an `Embedding` with
``mask_zero=True`` or a `Masking` layer before this one (see `numnet.layers.masking`),
or as ``mask=`` in the call.

Subclasses set `gates` and `state_names` and write `run_sequence` (the fast path) and
`step` (one step of the cell, from functional ops).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from numnet import activations, nest, random
from numnet import functional as F
from numnet.autograd.tensor import Tensor, as_tensor
from numnet.layers import symbolic
from numnet.layers.masking import check_mask, mask_of, with_mask
from numnet.layers.recurrent_base import RecurrentBase


class InitialStateCall:
    """``layer(x, initial_state=None, training=None, mask=None)`` for recurrent layers.

    Initial states travel as extra inputs, ``[x, *states]``, as in Keras 2: a functional
    graph then records them as edges of the layer's node, runs the layers that make them
    first, and saves them with the model. `call` receives x, or that list. The layer's
    ``states`` (held between batches when stateful) survive the run on zeros by which a
    functional graph finds its shapes.
    """

    def __call__(
        self,
        inputs: Any,
        initial_state: Any = None,
        training: bool | None = None,
        mask: Any = None,
        **kwargs: Any,
    ) -> Any:
        if initial_state is not None:
            states = initial_state if isinstance(initial_state, list | tuple) else [initial_state]
            inputs = [inputs, *states]
        if symbolic.is_symbolic(inputs):
            if mask is not None:
                raise TypeError(
                    f"{type(self).__name__} layer {self.name!r}: in a functional model the "
                    f"mask comes from an Embedding(mask_zero=True) or Masking layer, not mask="
                )
            held = self.states
            outputs = super().__call__(inputs, training=training)
            self.states = held
            return outputs
        if mask is not None:
            kwargs["mask"] = mask
        return super().__call__(inputs, training=training, **kwargs)


def split_states(inputs: Any) -> tuple[Tensor, list[Tensor] | None]:
    """(x, initial states or None) from what `InitialStateCall` passes to `call`."""
    if isinstance(inputs, list):
        return inputs[0], list(inputs[1:])
    return inputs, None


class RNN(InitialStateCall, RecurrentBase):
    """Base class of the recurrent layers; see the module docstring.

    Call as ``layer(x, initial_state=None, training=None, mask=None)`` with x (N, T, D).
    The output is (N, T, U) with ``return_sequences=True`` (in processing order: reversed
    with ``go_backwards``, as Keras 3), else the last output (N, U); with
    ``return_state=True`` a list ``[output, *final_states]``. ``initial_state`` is one
    tensor or a list (h, or [h, c] for an LSTM), also symbolic tensors of a functional
    model, e.g. an encoder's final states fed to a decoder.

    Truncated backpropagation through time uses Keras' ``stateful=True``: the final
    states of one batch are the initial states of the next, detached from the graph, so
    gradients stop at the batch boundary and the graph does not grow from batch to
    batch. Sample i of each batch continues sample i of the previous one, so every batch
    must have the same size (and ``fit`` needs ``shuffle=False``); ``reset_states()``
    forgets the states, and the next batch, of any size, starts from zeros.
    """

    # --- calling -------------------------------------------------------------------------
    def call(self, inputs: Any, training: bool = False, mask: Any = None) -> Any:
        x, given = split_states(inputs)
        self.check_sequences(x.shape)
        states = self._initial_states(x, given)
        mask = check_mask(mask if mask is not None else mask_of(x), x, self)
        if mask is not None and mask.all():
            mask = None  # nothing to skip: the fast path serves
        n, _, d = x.shape
        if training and self.dropout > 0:
            x = x * self._dropout_mask((n, 1, d), self.dropout, x.dtype)
        recurrent_mask = None
        if training and self.recurrent_dropout > 0:
            recurrent_mask = self._dropout_mask((n, self.units), self.recurrent_dropout, x.dtype)
        if mask is None and recurrent_mask is None and self.has_fast_path():
            hs, final = self.run_sequence(x, states)
        else:
            hs, final = self.run_steps(x, states, mask, recurrent_mask)
        if self.stateful:
            self.states = [s.detach() for s in final]  # truncated BPTT: no gradient back
        output = with_mask(hs, mask) if self.return_sequences else final[0]
        return [output, *final] if self.return_state else output

    def run_steps(
        self,
        x: Tensor,
        states: list[Tensor],
        mask: np.ndarray | None,
        recurrent_mask: Tensor | None,
    ) -> tuple[Tensor, list[Tensor]]:
        """The step path: (hs (N, T, U) in processing order, final states).

        x_proj = x W_x + b for all steps in one product, then per step t (reversed with
        go_backwards) the cell `step` on x_proj[:, t], the states, and h_{t-1} times the
        recurrent-dropout mask; at padded steps the states are carried over."""
        x_proj = F.linear(x, self.kernel, self.input_bias())
        steps = range(x.shape[1])
        outputs = []
        for t in reversed(steps) if self.go_backwards else steps:
            h_in = states[0] if recurrent_mask is None else states[0] * recurrent_mask
            new = self.step(x_proj[:, t], states, h_in)
            output = new[0]
            if mask is not None:
                keep = mask[:, t, None]  # (N, 1), broadcast over the units
                new = [F.where(keep, a, b) for a, b in zip(new, states, strict=True)]
                output = F.where(keep, output, 0.0) if self.zero_output_for_mask else new[0]
            states = new
            outputs.append(output)
        return F.stack(outputs, axis=1), states

    def has_fast_path(self) -> bool:
        """Whether the whole-sequence op computes this layer's cell (its activations)."""
        return True

    def run_sequence(self, x: Tensor, states: list[Tensor]) -> tuple[Tensor, list[Tensor]]:
        """The fast path: (hs, final states) from one whole-sequence op."""
        raise NotImplementedError

    def step(self, x_proj: Tensor, states: list[Tensor], h_in: Tensor) -> list[Tensor]:
        """One step of the cell: the new states (h first) from x_t W_x + b (x_proj), the
        previous states, and h_in, the h_{t-1} that enters the recurrent product."""
        raise NotImplementedError

    # --- states --------------------------------------------------------------------------
    def _initial_states(self, x: Tensor, given: list[Any] | None) -> list[Tensor]:
        """The given initial states, else the held ones (stateful), else zeros."""
        n = x.shape[0]
        if given is None and self.stateful and self.states is not None:
            held = self.states[0].shape[0]
            if held != n:
                raise ValueError(
                    f"{type(self).__name__} layer {self.name!r} is stateful and holds states "
                    f"for batches of {held} samples, got a batch of {n}: use one batch size "
                    f"throughout, or call reset_states() first"
                )
            return list(self.states)
        if given is None:
            zeros = np.zeros((n, self.units), dtype=x.dtype)
            return [Tensor.from_array(zeros) for _ in self.state_names]
        return self._checked_states(given, n)

    def _checked_states(self, given: list[Any], n: int) -> list[Tensor]:
        """`given` as state Tensors, or a ValueError unless they are one (n, units) array
        per state."""
        if len(given) != len(self.state_names):
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} takes {len(self.state_names)} "
                f"initial state(s) {list(self.state_names)}, got {len(given)}"
            )
        states = [as_tensor(s) for s in given]
        for name, s in zip(self.state_names, states, strict=True):
            if s.shape != (n, self.units):
                raise ValueError(
                    f"{type(self).__name__} layer {self.name!r}: initial state {name} must "
                    f"have shape (N, units) = {(n, self.units)}, got {s.shape}"
                )
        return states

    def reset_states(self, states: Sequence[Any] | None = None) -> None:
        """Forget the states of a stateful layer (the next batch starts from zeros), or
        set them to the arrays `states` (h, or [h, c] for an LSTM)."""
        if not self.stateful:
            raise AttributeError(
                f"{type(self).__name__} layer {self.name!r} is not stateful: reset_states() "
                f"needs stateful=True"
            )
        if states is None:
            self.states = None
            return
        arrays = [np.array(a, dtype=self.dtype or np.float32) for a in nest.flatten(states)]
        self.states = self._checked_states(arrays, arrays[0].shape[0])

    reset_state = reset_states  # Keras 3's name

    def _dropout_mask(self, shape: tuple[int, ...], rate: float, dtype: Any) -> Tensor:
        """An inverted-dropout mask: 1 / (1 - rate) with probability 1 - rate, else 0."""
        keep = (self.rng or random.default_rng()).random(shape) >= rate
        return Tensor.from_array((keep / (1 - rate)).astype(dtype))


def activation_is(activation: Any, name: str) -> bool:
    """Whether `activation` is the registered function called `name`."""
    return activation is activations.get(name)
