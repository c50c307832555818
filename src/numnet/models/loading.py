"""`load_model`: rebuild a saved model from its file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from numnet.models import saving
from numnet.models.model import Model
from numnet.models.sequential import Sequential

MODEL_CLASSES: dict[str, type[Model]] = {"Sequential": Sequential, "Functional": Model}


def load_model(path: str | Path, custom_objects: dict[str, Any] | None = None) -> Model:
    """Load a model saved with `model.save(path)`: architecture, weights, compile settings."""
    architecture, weights = saving.read(path)
    if architecture is None:
        raise saving.ModelFileError(
            f"{path} holds only weights (save_weights); build the model and call load_weights"
        )
    class_name = architecture.get("class_name")
    if class_name not in MODEL_CLASSES:
        raise saving.ModelFileError(f"{path}: cannot rebuild a model of class {class_name!r}")
    try:
        model = MODEL_CLASSES[class_name].from_config(architecture["config"], custom_objects)
        model.set_weights(weights)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise saving.ModelFileError(
            f"{path}: the saved model does not fit together ({error})"
        ) from error
    saving.restore_compile(model, architecture.get("compile"))
    return model
