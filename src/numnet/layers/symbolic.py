"""The functional API's graph: symbolic tensors, and the nodes that layer calls leave.

``x = numnet.Input((784,))`` is a `SymbolicTensor`: a shape and dtype, no values.
Calling a layer on it records a `Node` (layer, input tensors, output tensors) and returns
new symbolic tensors, so ``Model(inputs, outputs)`` can later replay the calls on data.
A layer finds its output shapes by running once on a small batch of zeros in inference
mode, which also builds its weights at once, as Keras does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from numnet import nest
from numnet.autograd.mode import no_grad

if TYPE_CHECKING:
    from numnet.layers.base import Layer


class SymbolicTensor:
    """A placeholder for the batches that will flow through one edge of a layer graph.

    `shape` has None for the batch axis (and for any axis of variable length);
    `node` is the layer call that produced it and `index` its place among that call's
    outputs.
    """

    def __init__(self, shape: tuple[int | None, ...], dtype: Any, node: Node, index: int) -> None:
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.node, self.index = node, index

    @property
    def ndim(self) -> int:
        """The number of axes, batch included."""
        return len(self.shape)

    @property
    def name(self) -> str:
        """The producing layer's name (with the output index when it has several)."""
        outputs = len(self.node.outputs)
        suffix = f"_{self.index}" if outputs > 1 else ""
        return f"{self.node.layer.name}{suffix}"

    def zeros(self, lengths: int) -> np.ndarray:
        """A batch of zeros shaped like this tensor: batch 1, unknown lengths `lengths`."""
        shape = (1, *(lengths if n is None else n for n in self.shape[1:]))
        return np.zeros(shape, dtype=self.dtype)

    def __repr__(self) -> str:
        return f"<SymbolicTensor shape={self.shape} dtype={self.dtype.name} from {self.name!r}>"

    def __array__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        raise TypeError(
            f"{self!r} has no values: it stands for the data of a functional model; build "
            f"numnet.Model(inputs, outputs) and call the model on arrays"
        )


class Node:
    """One call of `layer` in a graph: which symbolic tensors went in and came out."""

    def __init__(self, layer: Layer, inputs: Any, training: bool | None = None) -> None:
        self.layer = layer
        self.inputs = inputs  # a SymbolicTensor or a list of them, as the layer was called
        self.training = training  # an explicit training= given at the call, else None
        self.outputs: list[SymbolicTensor] = []
        self.output_structure: Any = None

    @property
    def input_tensors(self) -> list[SymbolicTensor]:
        """The input symbolic tensors, flattened."""
        return nest.flatten(self.inputs)


def is_symbolic(inputs: Any) -> bool:
    """True when `inputs` (a value or a list/dict) holds any SymbolicTensor."""
    return any(isinstance(leaf, SymbolicTensor) for leaf in nest.flatten(inputs))


def _shapes(outputs: Any) -> list[tuple[int, ...]]:
    return [tuple(leaf.shape) for leaf in nest.flatten(outputs)]


def _run_on_zeros(layer: Layer, inputs: Any, lengths: int) -> Any:
    """Call the layer on zeros in inference mode, without recording a graph."""
    zeros = nest.map_structure(lambda t: t.zeros(lengths), inputs)
    with no_grad():
        return layer(zeros, training=False)


def call_symbolic(layer: Layer, inputs: Any, training: bool | None = None) -> Any:
    """Record `layer(inputs)` as a node of the graph and return its symbolic outputs."""
    leaves = nest.flatten(inputs)
    if not all(isinstance(leaf, SymbolicTensor) for leaf in leaves):
        raise TypeError(
            f"layer {layer.name!r} was called on a mix of symbolic tensors (from Input) and "
            f"arrays; in a functional graph every input must come from numnet.Input"
        )
    try:
        outputs = _run_on_zeros(layer, inputs, 2)
        variable = any(n is None for leaf in leaves for n in leaf.shape[1:])
        other = _shapes(_run_on_zeros(layer, inputs, 3)) if variable else _shapes(outputs)
    except (ValueError, TypeError, IndexError) as error:
        shapes = [leaf.shape for leaf in leaves]
        shown = shapes[0] if len(shapes) == 1 else shapes
        raise ValueError(
            f"{type(layer).__name__} layer {layer.name!r} cannot take inputs of shape "
            f"{shown}: {error}"
        ) from error
    node = Node(layer, inputs, training)
    for index, (leaf, shape) in enumerate(zip(nest.flatten(outputs), other, strict=True)):
        # An axis that changed with the unknown length depends on it: unknown too.
        dims = (
            None,
            *(a if a == b else None for a, b in zip(leaf.shape[1:], shape[1:], strict=True)),
        )
        node.outputs.append(SymbolicTensor(dims, leaf.dtype, node, index))
    node.output_structure = nest.pack_like(outputs, node.outputs)
    layer.inbound_nodes.append(node)
    return node.output_structure
