"""The text table printed by `Model.summary()`, in Keras' layout.

One row per layer: name (type), output shape, parameter count, and for a functional
graph that is not a simple chain, the tensors each call is connected to (written as
``layer[node][tensor]``, as Keras does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from numnet.layers.input_layer import InputLayer

if TYPE_CHECKING:
    from numnet.layers.base import Layer
    from numnet.models.model import Model


def _shape_text(shape: Any) -> str:
    if isinstance(shape, list):
        return ", ".join(_shape_text(s) for s in shape)
    return str(tuple(shape))


def _graph_rows(model: Model) -> tuple[list[tuple[str, str, int, str]], bool]:
    """One row per layer of a functional model (a shared layer lists all its calls), and
    whether the graph is a simple chain."""
    graph = model.graph
    ref = graph.references()
    calls: dict[int, list[Any]] = {}
    for node in graph.nodes:
        if type(model).__name__ == "Sequential" and isinstance(node.layer, InputLayer):
            continue  # Keras leaves the Input out of a Sequential's table
        calls.setdefault(id(node.layer), []).append(node)
    chain = len(graph.inputs) == 1 and len(graph.outputs) == 1
    rows = []
    for nodes in calls.values():
        layer, inputs = nodes[0].layer, [t for node in nodes for t in node.input_tensors]
        chain = chain and len(nodes) == 1 and len(inputs) <= 1 and len(nodes[0].outputs) == 1
        shapes = [t.shape for t in nodes[0].outputs]
        shape = _shape_text(shapes[0] if len(shapes) == 1 else shapes)
        rows.append((_label(layer), shape, layer.count_params(), ", ".join(map(ref, inputs))))
    return rows, chain


def _label(layer: Layer) -> str:
    kind = "Functional" if type(layer).__name__ == "Model" else type(layer).__name__
    return f"{layer.name} ({kind})"


def _row(cells: list[str], widths: tuple[int, ...]) -> str:
    # A cell longer than its column still gets one space before the next.
    padded = "".join(f"{cell:<{w - 1}} " for cell, w in zip(cells, widths, strict=False))
    return (padded + (cells[3] if len(cells) > 3 else "")).rstrip()


def summary_lines(model: Model, width: int = 80) -> list[str]:
    """Layer (type), output shape and parameter count of every layer, then the totals."""
    if model.graph is not None:
        rows, chain = _graph_rows(model)
    elif model.built:
        rows, chain = [], True
        for layer in model.layers:
            known = layer.output_shape
            shape = "?" if known is None else _shape_text((None, *known[1:]))
            rows.append((_label(layer), shape, layer.count_params(), ""))
    else:
        raise ValueError(
            f"model {model.name!r} has not been built: start it with numnet.Input, give the "
            f"first layer an input_shape, or call the model on a batch, before summary()"
        )
    columns = [" Layer (type)", "Output Shape", "Param #"] + ([] if chain else ["Connected to"])
    widths = (0.45, 0.33) if chain else (0.36, 0.26)
    widths = (int(width * widths[0]), int(width * widths[1]), 12)
    lines = [f'Model: "{model.name}"', "_" * width, _row(columns, widths), "=" * width]
    for label, shape, params, connected in rows:
        cells = [f" {label}", shape, f"{params:,}"] + ([] if chain else [connected])
        lines.append(_row(cells, widths))
    total = model.count_params()
    trainable = sum(w.size for w in model.trainable_weights)
    lines += [
        "=" * width,
        f"Total params: {total:,}",
        f"Trainable params: {trainable:,}",
        f"Non-trainable params: {total - trainable:,}",
        "_" * width,
    ]
    return lines
