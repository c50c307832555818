"""`Model`: layers put together, trainable with compile/fit or from your own loop.

Three ways to make one, as in Keras:

* functional: ``Model(inputs, outputs)`` over a graph of layer calls from `numnet.Input`
  (several inputs and outputs as lists, shared layers, models called as layers);
* `Sequential`: a stack of layers;
* subclassing: write `call(inputs)`; layers assigned as attributes are found in order.

A Model is a Layer (so it can be called inside another model) and a Trainer (compile,
fit, evaluate, predict, and the `train_step` to override for other kinds of training).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from numnet import nest
from numnet.layers.base import Layer
from numnet.models import saving
from numnet.models.graph import Graph, rebuild
from numnet.models.serialization import layer_config, layer_from_config
from numnet.models.summary import summary_lines
from numnet.models.trainer import Trainer
from numnet.naming import make_unique


class Model(Trainer, Layer):
    """A network: functional (`inputs`, `outputs`), or subclassed with `call`."""

    def __init__(
        self,
        inputs: Any = None,
        outputs: Any = None,
        name: str | None = None,
        dtype: Any = None,
        trainable: bool = True,
    ) -> None:
        super().__init__(name=name, dtype=dtype, trainable=trainable)
        self.fit_state: dict[str, Any] = {}
        self._sample_shape: tuple[int, ...] | None = None
        self.graph: Graph | None = None
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise ValueError(
                    f"model {self.name!r}: a functional model needs inputs and outputs"
                )
            self.graph = Graph(inputs, outputs, f"model {self.name!r}")
            self.__dict__["_sublayers"] = list(self.graph.layers)
            make_unique([*self.graph.input_layers, *self.graph.layers], f"model {self.name!r}")
            self.built = True

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if isinstance(value, Layer | list | tuple) and not name.startswith("_"):
            make_unique(self.sublayers, f"model {self.name!r}")

    # --- structure -----------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        """The model's layers in order (a functional model's Input layers are not listed)."""
        return self.sublayers

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """The layer called `name` (or at `index`); an unknown name is a ValueError."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        known = ", ".join(layer.name for layer in self.layers)
        raise ValueError(f"model {self.name!r} has no layer named {name!r}; its layers: {known}")

    @property
    def inputs(self) -> list[Any]:
        """The symbolic inputs of a functional model."""
        return [] if self.graph is None else list(self.graph.inputs)

    @property
    def outputs(self) -> list[Any]:
        """The symbolic outputs of a functional model."""
        return [] if self.graph is None else list(self.graph.outputs)

    @property
    def input(self) -> Any:
        """The symbolic input (structure) of a functional model."""
        return None if self.graph is None else self.graph.input_structure

    @property
    def output_names(self) -> list[str]:
        """The names of the outputs: their layers' names (or ``output`` for one unknown)."""
        if self.graph is None:
            return ["output"]
        return [t.name for t in self.graph.outputs]

    @property
    def sample_shape(self) -> tuple[int, ...] | None:
        """The shape of one sample of the (first) input, once known."""
        if self.graph is not None:
            shape = self.graph.inputs[0].shape[1:]
            return None if None in shape else tuple(shape)  # type: ignore[return-value]
        return self._sample_shape

    # --- calling -------------------------------------------------------------------------
    def call(self, inputs: Any) -> Any:
        """Run the graph of a functional model (subclasses write their own `call`)."""
        if self.graph is None:
            raise NotImplementedError(
                f"{type(self).__name__} must implement call(inputs), or be built as "
                f"Model(inputs, outputs)"
            )
        return self.graph.run(inputs)

    def _build_on(self, inputs: Any) -> None:
        """Remember the input shape; the layers build themselves on their first call."""
        first = nest.flatten(inputs)[0]
        self._sample_shape = tuple(first.shape[1:])
        self.built = True

    def build(self, input_shape: Any) -> None:
        """Create every layer's weights by running one zero sample of this shape.

        A leading None is the batch axis, as in Keras' `model.build((None, 784))`."""
        shape = tuple(input_shape)
        if shape and shape[0] is None:
            shape = shape[1:]
        if not shape or any(not isinstance(n, int | np.integer) or n < 1 for n in shape):
            raise ValueError(
                f"build() takes the shape of one sample, like (784,) or (None, 784); got "
                f"{tuple(input_shape)}"
            )
        with self.mode(False):
            self(np.zeros((1, *shape), dtype=self.dtype or np.float32))

    def prepare_inputs(self, x: Any) -> Any:
        """x as arrays in the model's dtypes: float inputs in its float dtype (float32
        unless the model says otherwise), integer ones as a functional Input declares."""
        x = list(x) if isinstance(x, tuple) else x  # a tuple would read as (x, y)
        float_dtype = self.dtype or next((w.dtype for w in self.weights), np.dtype(np.float32))
        declared = [t.dtype for t in self.graph.inputs] if self.graph is not None else []
        arrays = [np.asarray(leaf) for leaf in nest.flatten(x)]
        for i, array in enumerate(arrays):
            if array.ndim == 0:
                raise ValueError("x must be an array of samples, got a scalar")
            want = declared[i] if i < len(declared) and declared[i].kind in "iu" else float_dtype
            arrays[i] = array if array.dtype == want else array.astype(want)
        return nest.pack_like(x, arrays)

    # --- inspection and saving -----------------------------------------------------------
    def summary(self, print_fn: Any = print) -> None:
        """Print the layers with output shapes and parameter counts (and, for a graph
        that is not a simple chain, what each layer is connected to)."""
        for line in summary_lines(self):
            print_fn(line)

    def get_config(self) -> dict[str, Any]:
        """The architecture as JSON-able data (functional models and Sequential have one)."""
        if self.graph is None:
            raise NotImplementedError(
                f"{type(self).__name__} is a subclassed Model, whose architecture is Python "
                f"code: use save_weights()/load_weights(), or build it as a functional or "
                f"Sequential model to save it whole"
            )
        return {"name": self.name, **self.graph.get_config(layer_config)}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Model:
        """Rebuild a functional model from `get_config()`'s output."""
        inputs, outputs = rebuild(config, lambda spec: layer_from_config(spec, custom_objects))
        return cls(inputs, outputs, name=config.get("name"))

    def save(self, path: str | Path) -> None:
        """Write architecture (JSON) and weights (arrays) to one .npz file, without pickle."""
        saving.save_model(self, path)

    def export(self, path: str | Path, format: str = "onnx") -> Path:
        """Write the inference graph for other runtimes; format 'onnx' (needs the optional
        onnx package, see `numnet.onnx.export`)."""
        if format != "onnx":
            raise ValueError(f"export format must be 'onnx', got {format!r}")
        from numnet.onnx import export  # on use only: it needs the optional onnx package

        return export(self, path)

    def save_weights(self, path: str | Path) -> None:
        """Write only the weight arrays to an .npz file."""
        saving.save_weights(self, path)

    def load_weights(self, path: str | Path) -> None:
        """Load weight arrays saved by `save_weights` or `save` into this (built) model."""
        saving.load_weights(self, path)
