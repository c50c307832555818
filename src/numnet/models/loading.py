"""`load_model`: rebuild a saved model from its file, trusting nothing in it.

The order matters: the arrays are read with their headers checked (nothing unpickled,
nothing larger than the file allocated), the architecture record is checked, its
declared sizes, and what building would make of them, are held against the stored
arrays (worked out from shapes, allocating nothing), and only then is anything built.
Whatever still goes wrong while building, setting the weights or compiling becomes a
`ModelFileError` naming the file and the field to blame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from numnet.models import saving
from numnet.models.build_plan import check_build
from numnet.models.file_checks import check_declared_sizes, layer_fields
from numnet.models.model import Model
from numnet.models.sequential import Sequential
from numnet.models.serialization import LayerConfigError

MODEL_CLASSES: dict[str, type[Model]] = {"Sequential": Sequential, "Functional": Model}


def load_model(
    path: str | Path, custom_objects: dict[str, Any] | None = None, allow_nonfinite: bool = False
) -> Model:
    """Load a model saved with `model.save(path)`: architecture, weights, compile settings.

    Raises ModelFileError (a ValueError naming the file and the field) for a missing,
    damaged or hostile file. Weights holding NaN or infinities are refused unless
    `allow_nonfinite` (say, to inspect a diverged training).
    """
    path = Path(path)
    architecture, weights = saving.read(path, allow_nonfinite)
    if architecture is None:
        raise saving.ModelFileError(
            f"{path} holds only weights (save_weights); build the model and call load_weights"
        )
    class_name = architecture["class_name"]
    if class_name not in MODEL_CLASSES:
        raise saving.ModelFileError(f"{path}: cannot rebuild a model of class {class_name!r}")
    config = architecture["config"]
    check_declared_sizes(config, weights, path, custom_objects)
    check_build(class_name, config, weights, path, custom_objects)
    model = _build(path, MODEL_CLASSES[class_name], config, custom_objects)
    try:
        model.set_weights(weights)
    except (ValueError, TypeError) as error:
        raise saving.ModelFileError(
            f"{path}: field weights do not fit the architecture ({error})"
        ) from error
    saving.restore_compile(model, architecture.get("compile"), path)
    return model


def _build(
    path: Path, cls: type[Model], config: dict[str, Any], custom_objects: dict[str, Any] | None
) -> Model:
    """The model the architecture describes, or a ModelFileError naming the field."""
    try:
        return cls.from_config(config, custom_objects)
    except LayerConfigError as error:
        field = layer_fields(config).get(id(error.record), "config")
        raise saving.ModelFileError(f"{path}: field {field}: {error}") from error
    except (MemoryError, RecursionError) as error:
        raise saving.ModelFileError(
            f"{path}: field config describes a model too large or too deep to build "
            f"({type(error).__name__})"
        ) from error
    except Exception as error:  # a damaged graph fails in many ways
        message = str(error).strip() or type(error).__name__
        raise saving.ModelFileError(
            f"{path}: field config does not describe a model that fits together "
            f"({type(error).__name__}: {message})"
        ) from error
