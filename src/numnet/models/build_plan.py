"""What building a model from its file would allocate, worked out from shapes alone.

Loading builds a model before it sets the weights: every layer creates its weights and
runs once on a sample of zeros (`numnet.layers.symbolic`). `file_checks` bounds each
number a record declares; this module bounds what they add up to, by replaying the
construction on shapes. Each layer states the weights it would create
(`Layer.weight_shapes`) and the shape of its output (`Layer.compute_output_shape`) from
the shape of its input; a model inside the record (nested, or wrapped in TimeDistributed)
is stood in for by a plan that replays its own record, when and as building would.
Nothing is allocated. The record is refused, naming the field, as soon as

* its layers would create more weight values than the file stores, plus WEIGHT_SLACK: a
  genuine file holds every weight its model creates, so hundreds of layers declared
  around a few small stored arrays are refused; or
* a layer's output sample would hold more than `limit` values, the bound `file_checks`
  puts on declared inputs: a chain of UpSampling2D or RepeatVector layers is refused.

The plan ends at the first layer it cannot follow: one whose shapes do not fit (building
fails there too), or a class the caller passed in custom_objects, whose code and
whatever comes after it are the caller's.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from numnet import nest
from numnet.layers.base import Layer
from numnet.layers.input_layer import InputLayer
from numnet.models.archive import ModelFileError
from numnet.models.file_checks import BUILD_LIMIT, SMALL_SIZE, STORED_FACTOR, layer_fields
from numnet.models.serialization import layer_config, layer_from_config

WEIGHT_SLACK = SMALL_SIZE  # weight values a plan may find beyond those the file stores
ANY_LENGTH = 3  # an axis of any length: the longer of the two the dry run tries
_REFERENCE = re.compile(r"^(.+)\[(\d+)\]\[(\d+)\]$")  # "dense_1[0][0]", as in a graph's config

Shape = tuple[int, ...]


class _Refused(Exception):
    """The plan found more than the file justifies. Not a ValueError, so that no code
    between the plan and `check_build` (which turns it into a ModelFileError) takes it
    for a layer record that does not fit."""


class _Budget:
    """The weight values planned so far, held against what the file justifies."""

    def __init__(self, path: Path, arrays: list[np.ndarray], fields: dict[int, str], field: str):
        self.path, self.fields, self.default_field = path, fields, field
        self.stored = sum(array.size for array in arrays)
        self.limit = max(BUILD_LIMIT, STORED_FACTOR * self.stored)
        self.weights = 0

    def _field(self, record: Any) -> str:
        return self.fields.get(id(record), self.default_field)

    def add_weights(self, record: Any, shapes: list[Shape]) -> None:
        self.weights += sum(math.prod(shape) for shape in shapes)
        if self.weights > self.stored + WEIGHT_SLACK:
            raise _Refused(
                f"{self.path}: field {self._field(record)}: with it, building the model "
                f"would create {self.weights} weight values, but the file stores "
                f"{self.stored} (its arrays are damaged, or it declares more than it holds); "
                f"it was not built"
            )

    def check_output(self, record: Any, shape: Shape) -> None:
        size = math.prod(shape[1:])
        if size > self.limit:
            raise _Refused(
                f"{self.path}: field {self._field(record)} makes samples of shape "
                f"{shape[1:]}, {size} values, more than the {self.limit} its stored weights "
                f"justify; it was not built"
            )


class _PlanObjects(dict):
    """The custom_objects a plan builds layers with: the caller's classes, stand-ins for
    numnet's models, and the budget the stand-ins report to."""

    def __init__(self, custom_objects: dict[str, Any] | None, budget: _Budget) -> None:
        super().__init__(custom_objects or {})
        self.update({"Sequential": _SequentialPlan, "Functional": _GraphPlan, "Model": _GraphPlan})
        self.budget = budget


def _batch(sample_shape: Any) -> Shape:
    """A batch of one sample of `sample_shape`, an axis of any length made ANY_LENGTH."""
    if not all(n is None or (isinstance(n, int) and n > 0) for n in sample_shape):
        raise ValueError(f"not a sample shape: {sample_shape!r}")
    return (1, *(ANY_LENGTH if n is None else n for n in sample_shape))


def _call(budget: _Budget, record: Any, layer: Layer, inputs: Any, built: set[int]) -> Any:
    """The output shape(s) of `layer` called on `inputs`, its weights counted on its
    first call, as building creates them then."""
    if id(layer) not in built:
        budget.add_weights(record, layer.weight_shapes(inputs))
        built.add(id(layer))
    outputs = layer.compute_output_shape(inputs)
    for shape in outputs if isinstance(outputs, list) else [outputs]:
        if not all(isinstance(n, int) for n in shape):
            raise ValueError(f"{layer.name!r} gives no definite shape")
        budget.check_output(record, shape)
    return outputs


class _ModelPlan(Layer):
    """Stands in for a model of the record: replays the model's own record on shapes,
    reporting the weights of the layers inside to the budget (so it states none itself)."""

    def __init__(self, config: dict[str, Any], objects: _PlanObjects) -> None:
        super().__init__(name=config.get("name"))
        self.config, self.objects, self.budget = config, objects, objects.budget
        self.built_layers: set[int] = set()
        self.outputs: Any = None  # once built; later calls run on the same shapes

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> _ModelPlan:
        return cls(config, custom_objects)

    def weight_shapes(self, input_shape: Any) -> list[Shape]:
        return []

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self.outputs is None:
            self.build_on(input_shape)
        return self.outputs

    def build_on(self, input_shape: Any) -> None:
        raise NotImplementedError


class _SequentialPlan(_ModelPlan):
    """A Sequential, built as `Sequential.from_config` builds it: layer by layer as they
    are added when the first declares its input shape, all at once at the end when the
    record declares it, else on the model's first call."""

    def __init__(self, config: dict[str, Any], objects: _PlanObjects) -> None:
        super().__init__(config, objects)
        self.stack: list[tuple[Any, Layer]] = []
        declared = config.get("input_shape")
        for record in config["layers"]:
            if record["class_name"] in ("Input", "InputLayer"):  # files of numnet 0.1
                declared = record["config"].get("shape", declared)
                continue
            self.add(record, layer_from_config(record, objects))
        if declared is not None and self.outputs is None:
            self.build_on(_batch(declared))

    def add(self, record: Any, layer: Layer) -> None:
        self.stack.append((record, layer))
        if self.outputs is not None:
            self.outputs = _call(self.budget, record, layer, self.outputs, self.built_layers)
        elif len(self.stack) == 1 and layer.input_shape is not None:
            self.build_on(_batch(layer.input_shape))

    def build_on(self, input_shape: Any) -> None:
        shape = input_shape
        for record, layer in self.stack:
            shape = _call(self.budget, record, layer, shape, self.built_layers)
        self.outputs = shape


class _GraphPlan(_ModelPlan):
    """A functional model: built at once, from its inputs, replaying the layer calls
    its record lists in order."""

    def __init__(self, config: dict[str, Any], objects: _PlanObjects) -> None:
        super().__init__(config, objects)
        self.build_on(None)

    def build_on(self, input_shape: Any) -> None:
        layers: dict[str, tuple[Any, Layer]] = {}
        for record in self.config["layers"]:
            layer = layer_from_config(record, self.objects)
            layers[layer.name] = (record, layer)
        results: dict[str, list[list[Shape]]] = {name: [] for name in layers}
        for name, (_, layer) in layers.items():
            if isinstance(layer, InputLayer):
                results[name].append([_batch(layer.input_shape)])

        def tensor(reference: str) -> Shape:
            match = _REFERENCE.match(reference)
            if match is None:
                raise ValueError(f"bad tensor reference {reference!r}")
            return results[match.group(1)][int(match.group(2))][int(match.group(3))]

        for node in self.config["nodes"]:
            record, layer = layers[node["layer"]]
            inputs = nest.map_structure(tensor, node["args"])
            outputs = _call(self.budget, record, layer, inputs, self.built_layers)
            results[node["layer"]].append(outputs if isinstance(outputs, list) else [outputs])
        self.outputs = nest.map_structure(tensor, self.config["outputs"])


_PLANS = {"Sequential": _SequentialPlan, "Functional": _GraphPlan, "Model": _GraphPlan}


def check_build(
    class_name: str,
    config: dict[str, Any],
    arrays: list[np.ndarray],
    path: Path,
    custom_objects: dict[str, Any] | None = None,
) -> None:
    """A ModelFileError naming the field when building the model that `class_name` and
    `config` describe would create more weights than `arrays` hold, or outputs larger
    than they justify (the rules are in the module's docstring)."""
    _plan(class_name, config, _Budget(path, arrays, layer_fields(config), "config"), custom_objects)


def check_model_build(
    model: Layer, sample_shape: Any, arrays: list[np.ndarray], path: Path
) -> None:
    """As `check_build`, for building the caller's `model` (not yet built) on samples of
    the shape that a file declares in config.input_shape, the field blamed. A model with
    no config (a subclassed one, or one holding a layer of the caller's that has none) is
    its code, left to it."""
    try:
        record = layer_config(model)
    except Exception:
        return
    config = {**record["config"], "input_shape": list(sample_shape)}
    _plan(record["class_name"], config, _Budget(path, arrays, {}, "config.input_shape"))


def _plan(
    class_name: str,
    config: dict[str, Any],
    budget: _Budget,
    custom_objects: dict[str, Any] | None = None,
) -> None:
    try:
        _PLANS[class_name].from_config(config, _PlanObjects(custom_objects, budget))
    except _Refused as refusal:
        raise ModelFileError(str(refusal)) from None
    except Exception:
        return  # the plan ended where building fails, or at a layer of the caller's
