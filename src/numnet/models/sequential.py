"""`Sequential`: a plain stack of layers, each feeding the next."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from numnet.autograd.tensor import Tensor
from numnet.layers import LAYERS
from numnet.layers.base import Layer
from numnet.models.model import Model
from numnet.naming import lookup

_LAYERS_BY_NAME = {name.lower(): cls for name, cls in LAYERS.items()}


class Sequential(Model):
    """``Sequential([Dense(512, input_shape=(784,)), Activation('relu'), Dense(10)])``
    or an empty model grown with `add`."""

    def __init__(
        self, layers: Iterable[Layer] | None = None, name: str | None = None, dtype: Any = None
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        self._stack: list[Layer] = []
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self) -> list[Layer]:
        return list(self._stack)

    def add(self, layer: Layer) -> None:
        """Append a layer to the stack."""
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add expects a Layer, got {type(layer).__name__}")
        self._stack.append(layer)
        self._name_layers(self._stack)

    def pop(self) -> Layer:
        """Remove and return the last layer."""
        if not self._stack:
            raise IndexError("pop from an empty Sequential model")
        return self._stack.pop()

    def call(self, x: Tensor) -> Tensor:
        for layer in self._stack:
            x = layer(x)
        return x

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "input_shape": None if self.sample_shape is None else list(self.sample_shape),
            "dtype": None if self.dtype is None else self.dtype.name,
            "layers": [
                {"class_name": type(layer).__name__, "config": layer.get_config()}
                for layer in self._stack
            ],
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Sequential:
        """Rebuild (and, when the input shape is known, build) a model from `get_config()`."""
        layers = []
        for spec in config["layers"]:
            layer_cls = lookup("layer class", spec["class_name"], _LAYERS_BY_NAME)
            layers.append(layer_cls(**spec["config"]))
        model = cls(layers, name=config.get("name"), dtype=config.get("dtype"))
        if config.get("input_shape") is not None:
            model.build(tuple(config["input_shape"]))
        return model
