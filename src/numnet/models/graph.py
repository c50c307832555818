"""The graph of a functional model: its inputs, outputs and the layer calls between them.

``Model(inputs, outputs)`` walks back from the outputs through the nodes that layer calls
recorded (see `numnet.layers.symbolic`) and keeps them in an order where every call comes
after the calls that feed it. Running the model replays that list on real tensors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from numnet import nest
from numnet.layers.base import Layer
from numnet.layers.input_layer import InputLayer
from numnet.layers.symbolic import Node, SymbolicTensor

_REFERENCE = re.compile(r"^(.+)\[(\d+)\]\[(\d+)\]$")  # "dense_1[0][0]", as Keras prints


def _check_symbolic(structure: Any, what: str, owner: str) -> list[SymbolicTensor]:
    tensors = nest.flatten(structure)
    for t in tensors:
        if not isinstance(t, SymbolicTensor):
            raise TypeError(
                f"{owner}: {what} must come from numnet.Input and layer calls on it, got "
                f"{type(t).__name__}"
            )
    return tensors


def execution_order(
    inputs: list[SymbolicTensor], outputs: list[SymbolicTensor], owner: str
) -> list[Node]:
    """The nodes between inputs and outputs, each after the nodes it depends on."""
    listed = {id(t) for t in inputs}
    order: list[Node] = []
    done: set[int] = set()
    stack: list[tuple[Node, bool]] = [(t.node, False) for t in reversed(outputs)]
    while stack:
        node, inputs_done = stack.pop()
        if id(node) in done:
            continue
        if isinstance(node.layer, InputLayer) and id(node.outputs[0]) not in listed:
            raise ValueError(
                f"{owner}: the outputs depend on the input {node.layer.name!r}, which is not "
                f"in the model's inputs (the graph is disconnected from them)"
            )
        if inputs_done or isinstance(node.layer, InputLayer):
            done.add(id(node))
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((t.node, False) for t in reversed(node.input_tensors))
    unused = [t.node.layer.name for t in inputs if id(t.node) not in done]
    if unused:
        raise ValueError(f"{owner}: the outputs do not depend on the inputs {unused}")
    return order


class Graph:
    """Inputs, outputs and nodes of a functional model, and how to run them."""

    def __init__(self, inputs: Any, outputs: Any, owner: str) -> None:
        self.input_structure, self.output_structure = inputs, outputs
        self.inputs = _check_symbolic(inputs, "inputs", owner)
        self.outputs = _check_symbolic(outputs, "outputs", owner)
        for t in self.inputs:
            if not isinstance(t.node.layer, InputLayer):
                raise ValueError(f"{owner}: inputs must be made by numnet.Input, got {t!r}")
        self.nodes = execution_order(self.inputs, self.outputs, owner)
        unique: dict[int, Layer] = {}
        for node in self.nodes:
            if not isinstance(node.layer, InputLayer):
                unique.setdefault(id(node.layer), node.layer)
        self.layers = list(unique.values())

    @property
    def input_layers(self) -> list[InputLayer]:
        """The InputLayer behind each input, in input order."""
        return [t.node.layer for t in self.inputs]

    def run(self, inputs: Any) -> Any:
        """Replay every layer call on real tensors; outputs in the structure given."""
        if isinstance(inputs, dict):  # Keras: inputs by the names of the Input layers
            names = [layer.name for layer in self.input_layers]
            missing = sorted(set(names) - set(inputs))
            if missing:
                raise ValueError(f"inputs given by name lack {missing}; the inputs are {names}")
            inputs = [inputs[name] for name in names]
        values = nest.flatten(inputs)
        if len(values) != len(self.inputs):
            raise ValueError(f"the model takes {len(self.inputs)} inputs, got {len(values)}")
        known = {id(t): t.node.layer(v) for t, v in zip(self.inputs, values, strict=True)}
        for node in self.nodes:
            if isinstance(node.layer, InputLayer):
                continue
            args = nest.map_structure(lambda t: known[id(t)], node.inputs)
            result = node.layer(args, training=node.training)
            for symbol, value in zip(node.outputs, nest.flatten(result), strict=True):
                known[id(symbol)] = value
        return nest.map_structure(lambda t: known[id(t)], self.output_structure)

    # --- saving --------------------------------------------------------------------------
    def references(self) -> Callable[[SymbolicTensor], str]:
        """A function naming a tensor as ``layer[node][tensor]`` within this graph."""
        index: dict[int, int] = {}
        for node in self.nodes:
            same_layer = [n for n in self.nodes if n.layer is node.layer]
            index[id(node)] = same_layer.index(node)
        return lambda t: f"{t.node.layer.name}[{index[id(t.node)]}][{t.index}]"

    def get_config(self, layer_config: Callable[[Layer], dict[str, Any]]) -> dict[str, Any]:
        """The graph as JSON-able data: layers, the calls in order, inputs and outputs."""
        ref = self.references()
        layers = [*self.input_layers, *self.layers]
        return {
            "layers": [layer_config(layer) for layer in layers],
            "nodes": [
                {
                    "layer": node.layer.name,
                    "args": nest.map_structure(ref, node.inputs),
                    "training": node.training,
                }
                for node in self.nodes
                if not isinstance(node.layer, InputLayer)
            ],
            "inputs": nest.map_structure(ref, self.input_structure),
            "outputs": nest.map_structure(ref, self.output_structure),
        }


def rebuild(config: dict[str, Any], make_layer: Callable[[dict[str, Any]], Layer]):
    """Replay a saved graph: returns (inputs, outputs) symbolic structures."""
    layers = {}
    for spec in config["layers"]:
        layer = make_layer(spec)
        layers[layer.name] = layer
    calls: dict[str, list[Any]] = {name: [] for name in layers}
    for name, layer in layers.items():
        if isinstance(layer, InputLayer):
            calls[name].append(layer.inbound_nodes[0].outputs)

    def tensor(reference: str) -> SymbolicTensor:
        match = _REFERENCE.match(reference)
        if match is None:
            raise ValueError(f"bad tensor reference {reference!r}")
        name, node, index = match.group(1), int(match.group(2)), int(match.group(3))
        return calls[name][node][index]

    for node in config["nodes"]:
        args = nest.map_structure(tensor, node["args"])
        result = layers[node["layer"]](args, training=node.get("training"))
        calls[node["layer"]].append(nest.flatten(result))
    return nest.map_structure(tensor, config["inputs"]), nest.map_structure(
        tensor, config["outputs"]
    )
