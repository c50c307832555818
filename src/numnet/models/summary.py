"""The text table printed by `Model.summary()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from numnet.models.model import Model


def _known_sample_shape(model: Model) -> tuple[int, ...] | None:
    if model.sample_shape is not None:
        return model.sample_shape
    first = model.layers[0] if model.layers else None
    return None if first is None else first.input_shape


def summary_lines(model: Model, width: int = 72) -> list[str]:
    """Layer (type), output shape and parameter count of every layer, then the totals."""
    sample_shape = _known_sample_shape(model)
    if sample_shape is None:
        raise ValueError(
            f"model {model.name!r} has not been built: give the first layer an input_shape, "
            f"or call the model on a batch of data, before summary()"
        )
    model.build(sample_shape)  # also records every layer's output shape
    columns = (int(width * 0.45), int(width * 0.33))
    lines = [f'Model: "{model.name}"', "_" * width]
    lines.append(f"{' Layer (type)':<{columns[0]}}{'Output Shape':<{columns[1]}}Param #")
    lines.append("=" * width)
    for layer in model.layers:
        shape = "?" if layer.output_shape is None else str((None, *layer.output_shape[1:]))
        label = f" {layer.name} ({type(layer).__name__})"
        lines.append(f"{label:<{columns[0]}}{shape:<{columns[1]}}{layer.count_params():,}")
    lines.append("=" * width)
    total = model.count_params()
    trainable = sum(p.size for p in model.parameters())
    lines += [
        f"Total params: {total:,}",
        f"Trainable params: {trainable:,}",
        f"Non-trainable params: {total - trainable:,}",
        "_" * width,
    ]
    return lines
