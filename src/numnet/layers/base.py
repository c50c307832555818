"""`Layer`: configuration plus weights built lazily from the first input's shape.

A layer's `call` is one call into `numnet.functional`; `build` creates its weights once
the input shape is known (Keras' build/call split). Weights are Tensors; trainable ones
require grad. Layers assigned as attributes of a layer (or model) are its sublayers: their
weights count as its own. Train/eval mode is the `training` attribute, set by `train()` /
`eval()` or for one call by ``training=``. Called on a `SymbolicTensor` (from
`numnet.Input`), a layer records a node of a functional graph instead of computing.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

import numpy as np

from numnet import initializers, nest, random, regularizers
from numnet.autograd.tensor import Tensor, as_tensor
from numnet.layers import symbolic
from numnet.naming import snake_case


class Layer:
    """Base class of all layers (and, through `Model`, of all models)."""

    def __init__(
        self,
        name: str | None = None,
        input_shape: Sequence[int | None] | None = None,
        dtype: Any = None,
        trainable: bool = True,
    ) -> None:
        self.auto_named = name is None
        self.name = name or snake_case(type(self).__name__)
        self.input_shape = None if input_shape is None else tuple(input_shape)
        self.dtype = None if dtype is None else np.dtype(dtype)
        self._trainable = trainable
        self.training = False
        self.built = False
        self.output_shape: Any = None
        self.inbound_nodes: list[symbolic.Node] = []
        self._weights: list[tuple[Tensor, bool]] = []  # (weight, declared trainable)
        self._regularized: list[tuple[Tensor, regularizers.Regularizer]] = []

    # --- sublayers -----------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        # Layers stored as attributes (or in lists) become sublayers, as in Keras.
        if not name.startswith("_"):
            sublayers = self.__dict__.setdefault("_sublayers", [])
            old = self.__dict__.get(name)
            for item in old if isinstance(old, list | tuple) else [old]:
                if isinstance(item, Layer) and any(item is s for s in sublayers):
                    sublayers.remove(item)
            for item in value if isinstance(value, list | tuple) else [value]:
                new = isinstance(item, Layer) and item is not self
                if new and not any(item is s for s in sublayers):
                    sublayers.append(item)
        object.__setattr__(self, name, value)

    @property
    def sublayers(self) -> list[Layer]:
        """The layers this one holds as attributes, in assignment order."""
        return list(self.__dict__.get("_sublayers", []))

    def rename(self, name: str) -> None:
        """Give the layer a new name (its weights' names follow)."""
        for weight, _ in self._weights:
            if weight.name and weight.name.startswith(f"{self.name}/"):
                weight.name = f"{name}/{weight.name[len(self.name) + 1 :]}"
        self.name = name

    # --- weights -------------------------------------------------------------------------
    def add_weight(
        self,
        name: str | None = None,
        shape: Sequence[int] = (),
        initializer: Any = "zeros",
        regularizer: Any = None,
        trainable: bool = True,
        rng: np.random.Generator | None = None,
        dtype: Any = None,
    ) -> Tensor:
        """Create, register and return a weight Tensor."""
        name = name or f"weight_{len(self._weights)}"
        init = initializers.get(initializer)
        if dtype is None:
            dtype = self.dtype if self.dtype is not None else np.float32
        dtype = np.dtype(dtype)
        data = init(tuple(shape), dtype, random.resolve(rng))
        weight = Tensor(
            data, requires_grad=trainable and self.trainable, name=f"{self.name}/{name}"
        )
        self._weights.append((weight, trainable))
        penalty = regularizers.get(regularizer)
        if penalty is not None:
            self._regularized.append((weight, penalty))
        return weight

    @property
    def trainable(self) -> bool:
        """False freezes the layer: `fit` and optimizers leave its weights as they are."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for weight, declared in self._weights:
            weight.requires_grad = declared and self._trainable
        for layer in self.sublayers:
            layer.trainable = value

    def _weight_walk(self) -> Iterator[Tensor]:
        for weight, _ in self._weights:
            yield weight
        for layer in self.__dict__.get("_sublayers", ()):
            yield from layer._weight_walk()

    @property
    def weights(self) -> list[Tensor]:
        """All weights, this layer's then its sublayers' (running statistics included), once."""
        seen: set[int] = set()
        return [w for w in self._weight_walk() if not (id(w) in seen or seen.add(id(w)))]

    @property
    def trainable_weights(self) -> list[Tensor]:
        """The weights `fit` updates (none while the layer is frozen)."""
        return [w for w in self.weights if w.requires_grad]

    @property
    def non_trainable_weights(self) -> list[Tensor]:
        """Frozen weights and running statistics."""
        return [w for w in self.weights if not w.requires_grad]

    def parameters(self) -> list[Tensor]:
        """The trainable weights (what an optimizer's `step` takes)."""
        return self.trainable_weights

    def get_weights(self) -> list[np.ndarray]:
        """Copies of all weight arrays."""
        return [w.data.copy() for w in self.weights]

    def set_weights(self, arrays: Sequence[Any]) -> None:
        """Load weight arrays (in `get_weights` order) into the built layer or model."""
        weights = self.weights
        if len(arrays) != len(weights):
            raise ValueError(f"{self.name!r} has {len(weights)} weights, got {len(arrays)} arrays")
        for weight, array in zip(weights, arrays, strict=True):
            array = np.asarray(array)
            if array.shape != weight.shape:
                raise ValueError(
                    f"weight {weight.name} has shape {weight.shape}, got {array.shape}"
                )
            weight.data[...] = array

    def count_params(self) -> int:
        """Number of scalars in all weights."""
        return int(sum(w.size for w in self.weights))

    def regularization_loss(self) -> Tensor | None:
        """Sum of the weight penalties of this layer and its sublayers (None without any)."""
        terms = [penalty(weight) for weight, penalty in self._regularized]
        for layer in self.__dict__.get("_sublayers", ()):
            if (term := layer.regularization_loss()) is not None:
                terms.append(term)
        return sum(terms[1:], terms[0]) if terms else None

    # --- modes ---------------------------------------------------------------------------
    def train(self, mode: bool = True) -> Layer:
        """Training mode (dropout active, batch statistics) for this layer and its sublayers."""
        self.training = mode
        for layer in self.sublayers:
            layer.train(mode)
        return self

    def eval(self) -> Layer:
        """Inference mode."""
        return self.train(False)

    @contextmanager
    def mode(self, training: bool | None) -> Iterator[None]:
        """Within the block, run in `training` mode (unchanged when None)."""
        if training is None or training == self.training:
            yield
            return
        previous = self.training
        self.train(training)
        try:
            yield
        finally:
            self.train(previous)

    # --- calling -------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        """Create the weights for inputs of this shape (batch axis included; a list of
        shapes for a layer called on a list)."""

    def call(self, inputs: Any) -> Any:
        """The forward computation."""
        raise NotImplementedError(f"{type(self).__name__} must implement call(inputs)")

    def __call__(self, inputs: Any, training: bool | None = None, **kwargs: Any) -> Any:
        if not isinstance(inputs, Tensor):  # a Tensor, the usual input, needs no walk
            if symbolic.is_symbolic(inputs):
                return symbolic.call_symbolic(self, inputs, training)
            inputs = nest.map_structure(as_tensor, inputs)
        self._check_input_shape(inputs)
        if not self.built:
            self._build_on(inputs)
        switch = training is not None and training != self.training  # `mode` costs a generator
        with self.mode(training) if switch else nullcontext():
            if _accepts_training(type(self)):
                kwargs["training"] = self.training
            outputs = self.call(inputs, **kwargs)
        # A shape is never a sublayer: skip __setattr__'s bookkeeping (it ran every call).
        object.__setattr__(self, "output_shape", nest.map_structure(lambda t: t.shape, outputs))
        return outputs

    def _build_on(self, inputs: Any) -> None:
        """Build the weights for these inputs, in their float dtype (float32 otherwise)."""
        first = nest.flatten(inputs)[0]
        if self.dtype is None:
            self.dtype = first.dtype if first.dtype.kind == "f" else np.dtype(np.float32)
        self.build(nest.map_structure(lambda t: t.shape, inputs))
        self.built = True

    def _check_input_shape(self, inputs: Any) -> None:
        if self.input_shape is None or not isinstance(inputs, Tensor):
            return
        sample = inputs.shape[1:]
        expected = self.input_shape
        if len(sample) != len(expected) or any(
            e is not None and e != n for e, n in zip(expected, sample, strict=False)
        ):
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} expects samples of shape "
                f"{expected} (input_shape), got a batch of shape {inputs.shape}"
            )

    @property
    def output(self) -> Any:
        """The symbolic output of this layer's one call in a functional graph."""
        if len(self.inbound_nodes) != 1:
            raise ValueError(
                f"layer {self.name!r} has been called {len(self.inbound_nodes)} times in "
                f"functional graphs; `output` is defined for exactly one call"
            )
        return self.inbound_nodes[0].output_structure

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of the output for an input of `input_shape` (batch axis may be None)."""
        return input_shape

    def weight_shapes(self, input_shape: Any) -> list[tuple[int, ...]]:
        """The shapes of the weights `build(input_shape)` creates, in `weights` order, found
        without creating them (to check a model file); NotImplementedError for a user's build."""
        if type(self).build is not Layer.build:
            raise NotImplementedError(f"{type(self).__name__} does not state its weight shapes")
        return []

    # --- saving --------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """Constructor arguments as JSON-able values."""
        config: dict[str, Any] = {"name": self.name}
        if self.input_shape is not None:
            config["input_shape"] = list(self.input_shape)
        if self.dtype is not None and self.dtype != np.float32:
            config["dtype"] = self.dtype.name
        if not self.trainable:
            config["trainable"] = False
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        """A new layer from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


@functools.cache
def _accepts_training(cls: type) -> bool:
    """Whether cls.call takes ``training=`` (Keras-style layers do; numnet's read the mode)."""
    return "training" in inspect.signature(cls.call).parameters


def check_features(layer: Layer, x: Tensor, expected: int, what: str = "features") -> None:
    """Raise a clear error when the last axis of x is not `expected` long."""
    if x.ndim == 0 or x.shape[-1] != expected:
        raise ValueError(
            f"{type(layer).__name__} layer {layer.name!r} expects inputs with {expected} "
            f"{what} on the last axis, got shape {x.shape}"
        )
