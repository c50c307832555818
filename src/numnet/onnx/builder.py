"""`GraphBuilder`: an ONNX graph under construction, in plain Python and NumPy.

Converters add nodes, constants and weights here; `numnet.onnx.proto` turns the finished
builder into an `onnx.ModelProto`. Keeping the construction free of the `onnx` package
means only that last step needs it, and the graph can be inspected without it.

Names: every node's single output carries the node's name ("dense_1/MatMul"); weights
keep their numnet names ("dense_1/kernel"); graph inputs and outputs take the model's
input and output names. A name already taken gets a numbered suffix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from numnet.autograd.tensor import Tensor
from numnet.onnx import layout as layouts
from numnet.onnx.layout import Layout

# Element types as onnx.TensorProto numbers them, for Cast's `to`.
FLOAT, INT64 = 1, 7

Shape = tuple[int | str | None, ...]


@dataclass
class OnnxNode:
    """One ONNX operator call: op_type, input and output names, attributes."""

    op_type: str
    inputs: list[str]
    outputs: list[str]
    name: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Value:
    """A numnet tensor in the ONNX graph: the ONNX name holding it, in which layout, and
    whether numnet's tensor carries a mask of padded time steps (see `layers.masking`)."""

    name: str
    layout: Layout = layouts.NATIVE
    masked: bool = False


@dataclass(frozen=True)
class TensorSpec:
    """A graph input or output: name, NumPy dtype, shape ("batch" or None for free axes)."""

    name: str
    dtype: np.dtype
    shape: Shape


class GraphBuilder:
    """Nodes, initializers, inputs and outputs of one ONNX graph."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.nodes: list[OnnxNode] = []
        self.initializers: dict[str, np.ndarray] = {}
        self.inputs: list[TensorSpec] = []
        self.outputs: list[TensorSpec] = []
        self._taken: set[str] = set()
        self._weights: dict[int, str] = {}  # id(weight Tensor) -> initializer name
        self._relaid: dict[tuple[str, Layout], str] = {}  # (name, layout) -> transposed

    def unique(self, name: str) -> str:
        """`name`, or `name_1`, `name_2`, ... when it is taken; the result is reserved."""
        candidate, n = name, 0
        while candidate in self._taken:
            n += 1
            candidate = f"{name}_{n}"
        self._taken.add(candidate)
        return candidate

    # --- nodes and constants -------------------------------------------------------------
    def add_node(
        self,
        op_type: str,
        inputs: list[str],
        name: str,
        outputs: int | None = None,
        **attributes: Any,
    ) -> Any:
        """Append a node; returns the name of its output, named like the node, or with
        ``outputs=k`` a list of its k outputs' names ("lstm/LSTM:0", "lstm/LSTM:1", ...)."""
        name = self.unique(name)
        names = [name] if outputs is None else [self.unique(f"{name}:{i}") for i in range(outputs)]
        self.nodes.append(OnnxNode(op_type, list(inputs), names, name, attributes))
        return name if outputs is None else names

    def constant(self, name: str, array: Any, dtype: Any = np.float32) -> str:
        """Store an array as an initializer; returns its (unique) name."""
        name = self.unique(name)
        self.initializers[name] = np.ascontiguousarray(np.asarray(array, dtype=dtype))
        return name

    def weight(self, weight: Tensor, array: np.ndarray | None = None) -> str:
        """The initializer of a numnet weight, made once however often its layer is
        called (`array` when the ONNX operator wants it rearranged)."""
        key = id(weight)
        if key not in self._weights:
            data = weight.data if array is None else array
            self._weights[key] = self.constant(weight.name or "weight", data)
        return self._weights[key]

    def relaid(self, value: Value, target: Layout, rank: int, name: str) -> str:
        """The ONNX name holding `value` in layout `target`, adding one Transpose (named
        `name`) the first time a layout is asked for."""
        if value.layout == target or (
            layouts.is_native(value.layout) and layouts.is_native(target)
        ):
            return value.name
        key = (value.name, target)
        if key not in self._relaid:
            perm = layouts.transpose_between(value.layout, target, rank)
            self._relaid[key] = self.add_node("Transpose", [value.name], name, perm=perm)
        return self._relaid[key]

    # --- inputs and outputs --------------------------------------------------------------
    def add_input(self, name: str, dtype: Any, shape: Shape) -> str:
        """Declare a graph input; returns its (unique) name."""
        name = self.unique(name)
        self.inputs.append(TensorSpec(name, np.dtype(dtype), shape))
        return name

    def set_outputs(self, outputs: list[tuple[str, str, Any, Shape]]) -> None:
        """Declare the graph outputs from (source value name, wanted name, dtype, shape).

        The node that makes a source is renamed to give the output its wanted name;
        a graph input, a weight, or a value that is already an output is copied by an
        Identity node instead.
        """
        renames: dict[str, str] = {}
        fixed = {spec.name for spec in self.inputs} | set(self.initializers)
        for source, wanted, dtype, shape in outputs:
            name = self.unique(wanted)
            if source in fixed or source in renames:
                self.nodes.append(OnnxNode("Identity", [source], [name], name))
            else:
                renames[source] = name
            self.outputs.append(TensorSpec(name, np.dtype(dtype), shape))
        for node in self.nodes:
            node.inputs = [renames.get(n, n) for n in node.inputs]
            node.outputs = [renames.get(n, n) for n in node.outputs]
        self._drop_unused()

    def _drop_unused(self) -> None:
        """Remove the nodes and constants no output depends on (an LSTM's final state
        that the model never reads, say): walk back from the outputs."""
        needed = {spec.name for spec in self.outputs}
        kept: list[OnnxNode] = []
        for node in reversed(self.nodes):
            if needed.intersection(node.outputs):
                kept.append(node)
                needed.update(node.inputs)
        self.nodes = kept[::-1]
        self.initializers = {k: v for k, v in self.initializers.items() if k in needed}
