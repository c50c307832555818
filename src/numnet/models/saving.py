"""Model files: one .npz archive holding the architecture as JSON and the weights as arrays.

Reading uses ``numpy.load(allow_pickle=False)`` and builds layers only from numnet's own
registry, so loading a file never runs code from it.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from numnet import losses, nest, optimizers
from numnet.models import serialization
from numnet.version import __version__

if TYPE_CHECKING:
    from numnet.models.model import Model

FORMAT = "numnet-model"
FORMAT_VERSION = 1


class ModelFileError(ValueError):
    """A file that is not a loadable numnet model (wrong kind, corrupt, or unsafe)."""


def _write(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("wb") as f:  # a file object, so NumPy does not append ".npz"
        np.savez(f, **arrays)
    os.replace(temporary, path)


def _json_array(document: dict[str, Any]) -> np.ndarray:
    return np.frombuffer(json.dumps(document).encode(), dtype=np.uint8)


def compile_config(model: Model) -> dict[str, Any] | None:
    """The optimizer, loss(es) and metrics given to compile(), as JSON-able data."""
    if model.optimizer is None or model.loss is None:
        return None

    def loss_spec(loss: Any) -> dict[str, Any] | None:
        return None if loss is None else losses.serialize(losses.get(loss))

    def metric_name(metric: Any) -> str:
        return metric if isinstance(metric, str) else metric.name

    compiled = model.compile_args
    return {
        "optimizer": {
            "class_name": type(model.optimizer).__name__.lower(),
            "config": model.optimizer.get_config(),
        },
        "loss": nest.map_structure(loss_spec, compiled["loss"]),
        "loss_weights": compiled["loss_weights"],
        "metrics": nest.map_structure(metric_name, compiled["metrics"] or []),
    }


def save_model(model: Model, path: str | Path) -> None:
    """Write `model`'s architecture, compile settings and weights to `path`."""
    layer = serialization.layer_config(model)
    architecture = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "numnet_version": __version__,
        "class_name": layer["class_name"],
        "config": layer["config"],
        "compile": compile_config(model),
    }
    weights = {f"weight_{i:04d}": w for i, w in enumerate(model.get_weights())}
    _write(path, {"architecture": _json_array(architecture), **weights})


def save_weights(model: Model, path: str | Path) -> None:
    """Write only the weights of `model` to `path`."""
    _write(path, {f"weight_{i:04d}": w for i, w in enumerate(model.get_weights())})


def read(path: str | Path) -> tuple[dict[str, Any] | None, list[np.ndarray]]:
    """The architecture document (None for a weights-only file) and the weight arrays."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"model file {path} does not exist")
    with path.open("rb") as f:
        if f.read(4) != b"PK\x03\x04":
            raise ModelFileError(f"{path} is not a numnet model file (not an .npz archive)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            if not hasattr(archive, "files"):
                raise ModelFileError(f"{path} is a single NumPy array, not a numnet model file")
            names = archive.files
            weights = [
                archive[name] for name in sorted(n for n in names if n.startswith("weight_"))
            ]
            raw = archive["architecture"].tobytes() if "architecture" in names else None
    except ModelFileError:
        raise
    except ValueError as error:
        if "pickle" in str(error).lower():
            raise ModelFileError(
                f"{path} contains pickled Python objects; numnet model files never do, and "
                f"unpickling can run arbitrary code, so it was not loaded"
            ) from error
        raise ModelFileError(f"{path} is not a numnet model file ({error})") from error
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        raise ModelFileError(f"{path} is not a numnet model file ({error})") from error
    if raw is None:
        return None, weights
    try:
        architecture = json.loads(raw.decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(f"{path}: its architecture record is corrupt ({error})") from error
    if not isinstance(architecture, dict) or architecture.get("format") != FORMAT:
        raise ModelFileError(f"{path} is not a numnet model file (no numnet architecture record)")
    return architecture, weights


def load_weights(model: Model, path: str | Path) -> None:
    """Put the weights stored in `path` into `model` (built from the saved input shape)."""
    architecture, weights = read(path)
    if not model.weights and architecture and architecture["config"].get("input_shape"):
        model.build(tuple(architecture["config"]["input_shape"]))
    if not model.weights:
        raise ModelFileError("build the model (call it on a batch) before load_weights")
    model.set_weights(weights)


def restore_compile(model: Model, config: dict[str, Any] | None) -> None:
    """Compile `model` again as it was when saved (optimizer state starts fresh)."""
    if not config:
        return
    optimizer_spec = config["optimizer"]
    optimizer_cls = optimizers.OPTIMIZERS[optimizer_spec["class_name"]]
    loss = config["loss"]
    if isinstance(loss, dict) and "class_name" in loss:  # one loss
        loss = losses.get(loss)
    elif loss is not None:  # one per output, as a list or by output name
        loss = (
            {name: None if spec is None else losses.get(spec) for name, spec in loss.items()}
            if isinstance(loss, dict)
            else [None if spec is None else losses.get(spec) for spec in loss]
        )
    model.compile(
        optimizer=optimizer_cls.from_config(optimizer_spec["config"]),
        loss=loss,
        metrics=config.get("metrics"),
        loss_weights=config.get("loss_weights"),
    )
