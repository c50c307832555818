"""Layers that wrap another layer: `Bidirectional` (an RNN read both ways) and
`TimeDistributed` (a layer applied to every time step), as Keras'.

A wrapper saves the layers it holds inside its own config, as ``{"class_name",
"config"}``; loading finds the class by name among numnet's layers or the caller's
``custom_objects``, never by importing a name from a file.
"""

from __future__ import annotations

import inspect
from typing import Any

from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.layers.base import Layer
from numnet.layers.masking import mask_of, with_mask
from numnet.layers.recurrent import InitialStateCall, split_states

MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def serialize_layer(layer: Layer) -> dict[str, Any]:
    """``{"class_name": ..., "config": ...}`` of a wrapped layer."""
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def deserialize_layer(spec: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Layer:
    """The layer `serialize_layer` described: its class from `custom_objects`, else
    numnet's own class of that name (models included)."""
    name = spec["class_name"]
    cls = (custom_objects or {}).get(name) or _numnet_layer_classes().get(name)
    if cls is None:
        raise ValueError(
            f"unknown layer class {name!r} inside a wrapper (pass custom_objects="
            f"{{{name!r}: cls}} for your own layers)"
        )
    if takes_custom_objects(cls):
        return cls.from_config(dict(spec["config"]), custom_objects)
    return cls.from_config(dict(spec["config"]))


def takes_custom_objects(cls: type[Layer]) -> bool:
    """Whether cls.from_config takes custom_objects (models and wrappers, whose configs
    hold other layers)."""
    return "custom_objects" in inspect.signature(cls.from_config).parameters


def _numnet_layer_classes() -> dict[str, type[Layer]]:
    found: dict[str, type[Layer]] = {}
    pending = [Layer]
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("numnet.") and not cls.__name__.startswith("_"):
            found.setdefault(cls.__name__, cls)
        pending.extend(cls.__subclasses__())
    return found


class Bidirectional(InitialStateCall, Layer):
    """Runs a recurrent layer forward and a copy of it backward over the same sequence,
    and merges the two outputs (Schuster & Paliwal 1997), as Keras' Bidirectional.

    The forward layer ``forward_<name>`` is a fresh copy of `layer`; the backward layer
    is `backward_layer` or a copy ``backward_<name>`` with ``go_backwards`` flipped.
    Their weights are the forward layer's then the backward layer's, Keras' order. With
    ``return_sequences`` the backward sequence is flipped back to input order before
    merging, so step t of both halves has read x_t. ``merge_mode``: 'concat' (features
    side by side), 'sum', 'mul', 'ave', or None (the list [forward, backward]).
    ``initial_state`` is the forward layer's states then the backward layer's; with
    ``return_state=True`` the result is ``[output, *forward_states, *backward_states]``.
    """

    def __init__(
        self,
        layer: Layer,
        merge_mode: str | None = "concat",
        backward_layer: Layer | None = None,
        **kwargs: Any,
    ) -> None:
        for what, given in (("layer", layer), ("backward_layer", backward_layer)):
            if given is not None and not hasattr(given, "go_backwards"):
                raise ValueError(
                    f"Bidirectional needs a recurrent layer (SimpleRNN, LSTM, GRU) as {what}, "
                    f"got {given!r}"
                )
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"Bidirectional merge_mode must be one of {MERGE_MODES}, got {merge_mode!r}"
            )
        if kwargs.get("input_shape") is None and layer.input_shape is not None:
            kwargs["input_shape"] = layer.input_shape
        super().__init__(**kwargs)
        self.forward_layer = self._copy(layer, "forward", layer.go_backwards)
        if backward_layer is None:
            backward_layer = self._copy(layer, "backward", not layer.go_backwards)
        self.backward_layer = backward_layer
        self._check_pair()
        for half in (self.forward_layer, self.backward_layer):
            half.zero_output_for_mask = half.return_sequences  # as Keras: padded steps give 0
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = layer.stateful

    @staticmethod
    def _copy(layer: Layer, direction: str, go_backwards: bool) -> Layer:
        name = layer.name.removeprefix(f"{direction}_")
        config = {**layer.get_config(), "name": f"{direction}_{name}"}
        config["go_backwards"] = go_backwards
        config.pop("input_shape", None)  # the Bidirectional layer declares it
        return type(layer).from_config(config)

    def _check_pair(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                "Bidirectional: the forward and backward layers must differ in go_backwards"
            )
        for attribute in ("return_sequences", "return_state", "stateful"):
            if getattr(forward, attribute) != getattr(backward, attribute):
                raise ValueError(
                    f"Bidirectional: the forward and backward layers must agree in {attribute}"
                )

    @property
    def states(self) -> list[Tensor] | None:
        """The held states of a stateful pair: the forward layer's, then the backward's."""
        forward, backward = self.forward_layer.states, self.backward_layer.states
        return None if forward is None or backward is None else [*forward, *backward]

    @states.setter
    def states(self, states: list[Tensor] | None) -> None:
        half = None if states is None else len(states) // 2
        self.forward_layer.states = None if states is None else states[:half]
        self.backward_layer.states = None if states is None else states[half:]

    def reset_states(self) -> None:
        """Forget the states of both stateful halves."""
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    reset_state = reset_states

    def call(self, inputs: Any, mask: Any = None) -> Any:
        x, given = split_states(inputs)
        half = None if given is None else len(given) // 2
        forward_state = None if given is None else given[:half]
        backward_state = None if given is None else given[half:]
        extra = {} if mask is None else {"mask": mask}
        y = self.forward_layer(x, initial_state=forward_state, **extra)
        y_rev = self.backward_layer(x, initial_state=backward_state, **extra)
        states: list[Tensor] = []
        if self.return_state:
            states = [*y[1:], *y_rev[1:]]
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev[:, ::-1]  # processing order back to input order
        output = self._merge(y, y_rev)
        if self.return_sequences:
            mask = mask_of(x) if mask is None else mask
            output = (
                [with_mask(o, mask) for o in output]
                if isinstance(output, list)
                else with_mask(output, mask)
            )
        if self.return_state:
            return [*output, *states] if isinstance(output, list) else [output, *states]
        return output

    def _merge(self, y: Tensor, y_rev: Tensor) -> Any:
        if self.merge_mode == "concat":
            return F.concatenate([y, y_rev], axis=-1)
        if self.merge_mode == "sum":
            return y + y_rev
        if self.merge_mode == "mul":
            return y * y_rev
        if self.merge_mode == "ave":
            return (y + y_rev) * 0.5
        return [y, y_rev]

    def compute_output_shape(self, input_shape: Any) -> Any:
        shapes = self.forward_layer.compute_output_shape(input_shape)
        output, states = (shapes[0], list(shapes[1:])) if self.return_state else (shapes, [])
        if self.merge_mode == "concat":
            output = (*output[:-1], 2 * output[-1])
        outputs = [output, output] if self.merge_mode is None else [output]
        if not self.return_state:
            return outputs if self.merge_mode is None else output
        return [*outputs, *states, *states]

    def weight_shapes(self, input_shape: Any) -> list[tuple[int, ...]]:
        sequences = input_shape[0] if isinstance(input_shape, list) else input_shape
        return [
            *self.forward_layer.weight_shapes(sequences),
            *self.backward_layer.weight_shapes(sequences),
        ]

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "layer": serialize_layer(self.forward_layer),
            "merge_mode": self.merge_mode,
            "backward_layer": serialize_layer(self.backward_layer),
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
    ) -> Bidirectional:
        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_layer(config["backward_layer"], custom_objects)
        return cls(**config)


class TimeDistributed(Layer):
    """Applies `layer` to every time step: (N, T, ...) is folded into (N * T, ...), the
    layer runs once on all steps of all samples, and the result is unfolded to
    (N, T, ...). The same weights serve every step, e.g. TimeDistributed(Dense(10))
    scores each step of a sequence. A time-step mask passes through."""

    def __init__(self, layer: Layer, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed wraps a Layer, got {layer!r}")
        super().__init__(**kwargs)
        self.layer = layer

    def call(self, x: Tensor) -> Tensor:
        if x.ndim < 3:
            raise ValueError(
                f"TimeDistributed layer {self.name!r} expects inputs (N, T, ...) with a time "
                f"axis, got shape {x.shape}"
            )
        n, steps = x.shape[:2]
        y = self.layer(F.reshape(x, (n * steps, *x.shape[2:])))
        if not isinstance(y, Tensor):
            raise ValueError(
                f"TimeDistributed layer {self.name!r}: the wrapped layer must give one tensor"
            )
        return with_mask(F.reshape(y, (n, steps, *y.shape[1:])), mask_of(x))

    def _folded(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        """The shape the wrapped layer sees: (N * T, ...)."""
        n, steps, *sample = input_shape
        return (None if n is None or steps is None else n * steps, *sample)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        inner = self.layer.compute_output_shape(self._folded(input_shape))
        return (*input_shape[:2], *inner[1:])

    def weight_shapes(self, input_shape: tuple[int, ...]) -> list[tuple[int, ...]]:
        return self.layer.weight_shapes(self._folded(input_shape))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
    ) -> TimeDistributed:
        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        return cls(**config)
