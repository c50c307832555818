"""Model files: one .npz archive holding the architecture as JSON and the weights as arrays.

Reading checks every array's header before allocating it (`numnet.models.archive`) and
builds layers only from numnet's own registry, so loading a file never runs code from
it. Writing goes to a temporary file of the writer's own, renamed into place when
complete: a reader, or another process saving the same model, never sees half a file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from numnet import losses, nest, optimizers
from numnet.models import serialization
from numnet.models.archive import ModelFileError, read_arrays
from numnet.models.build_plan import check_model_build
from numnet.models.file_checks import check_declared_sizes, check_record
from numnet.version import __version__

if TYPE_CHECKING:
    from numnet.models.model import Model

FORMAT = "numnet-model"
FORMAT_VERSION = 1
_WEIGHT_NAME = re.compile(r"weight_(\d+)")

__all__ = ["FORMAT", "FORMAT_VERSION", "ModelFileError", "load_weights", "read", "save_model"]


def _write(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    """Write the archive atomically: into a temporary file unique to this writer, in the
    same folder (so the final rename stays on one file system), then renamed over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:  # a file object, so NumPy does not append ".npz"
            np.savez(f, **arrays)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


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
    # A DistributedOptimizer (numnet.distributed) wraps the optimizer that makes the
    # updates: the file names that one, which loads back in one process as well.
    optimizer = getattr(model.optimizer, "optimizer", model.optimizer)
    return {
        "optimizer": {
            "class_name": type(optimizer).__name__.lower(),
            "config": optimizer.get_config(),
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


def read(
    path: str | Path, allow_nonfinite: bool = False
) -> tuple[dict[str, Any] | None, list[np.ndarray]]:
    """The architecture record (None for a weights-only file) and the weight arrays.

    Raises ModelFileError naming the file and the field for anything that is not a
    sound numnet model file; NaN or infinite weights count as damage unless
    `allow_nonfinite`."""
    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"model file {path} does not exist")
    if path.is_dir():
        raise ModelFileError(f"{path} is a directory, not a model file")
    try:
        with path.open("rb") as f:
            magic = f.read(4)
    except OSError as error:
        reason = "permission denied" if isinstance(error, PermissionError) else error
        raise ModelFileError(f"cannot read model file {path}: {reason}") from error
    if magic != b"PK\x03\x04":
        raise ModelFileError(f"{path} is not a numnet model file (not an .npz archive)")
    arrays = read_arrays(path, _is_stored_by_numnet, allow_nonfinite)
    weights = _weights_in_order(path, arrays)
    if "architecture" not in arrays:
        return None, weights
    return _architecture(path, arrays["architecture"]), weights


def _is_stored_by_numnet(name: str) -> bool:
    """Whether an array of this name is one numnet reads (others are left unread)."""
    return name == "architecture" or _WEIGHT_NAME.fullmatch(name) is not None


def _weights_in_order(path: Path, arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
    """weight_0000, weight_0001, ... in their numbered order, none missing."""
    numbered = {
        int(match.group(1)): array
        for name, array in arrays.items()
        if (match := _WEIGHT_NAME.fullmatch(name))
    }
    for i in range(len(numbered)):
        if i not in numbered:
            raise ModelFileError(f"{path}: field weight_{i:04d} is missing")
    return [numbered[i] for i in range(len(numbered))]


def _architecture(path: Path, record: np.ndarray) -> dict[str, Any]:
    """The architecture record: JSON text stored as a 1-D uint8 array."""
    if record.dtype != np.uint8 or record.ndim != 1:
        raise ModelFileError(f"{path}: field architecture is not a JSON text record")
    try:
        architecture = json.loads(record.tobytes().decode())
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        # ValueError covers bad JSON and numbers too long to convert
        raise ModelFileError(f"{path}: field architecture is corrupt JSON ({error})") from error
    check_record(architecture, path, FORMAT, FORMAT_VERSION)
    return architecture


def load_weights(model: Model, path: str | Path, allow_nonfinite: bool = False) -> None:
    """Put the weights stored in `path` into `model` (built from the saved input shape)."""
    architecture, weights = read(path, allow_nonfinite)
    shape = architecture["config"].get("input_shape") if architecture else None
    if not model.weights and shape:
        check_declared_sizes({"input_shape": shape}, weights, Path(path))
        check_model_build(model, shape, weights, Path(path))
        try:
            model.build(tuple(shape))
        except Exception as error:  # a saved shape this model cannot take, whatever it is
            raise ModelFileError(
                f"{path}: field config.input_shape {shape!r} does not fit this model ({error})"
            ) from error
    if not model.weights:
        raise ModelFileError("build the model (call it on a batch) before load_weights")
    try:
        model.set_weights(weights)
    except ValueError as error:
        raise ModelFileError(f"{path}: field weights do not fit the model ({error})") from error


def restore_compile(model: Model, config: dict[str, Any] | None, path: Any = "model") -> None:
    """Compile `model` again as it was when saved (optimizer state starts fresh); a
    ModelFileError naming the field when the saved settings cannot be restored."""
    if not config:
        return
    field = "compile.optimizer"
    try:
        spec = config["optimizer"]
        optimizer = optimizers.OPTIMIZERS[spec["class_name"]].from_config(spec["config"])
        field = "compile.loss"
        loss = _saved_loss(config["loss"])
        field = "compile"
        model.compile(
            optimizer=optimizer,
            loss=loss,
            metrics=config.get("metrics"),
            loss_weights=config.get("loss_weights"),
        )
    except Exception as error:  # any damage in the section means the same
        message = str(error).strip() or "missing or malformed"
        raise ModelFileError(
            f"{path}: field {field} cannot be restored ({type(error).__name__}: {message})"
        ) from error


def _saved_loss(loss: Any) -> Any:
    """The compiled loss(es) from their saved specs: one, a list, or a dict by output."""
    if isinstance(loss, dict) and "class_name" in loss:  # one loss
        return losses.get(loss)
    if isinstance(loss, dict):  # by output name
        return {name: None if spec is None else losses.get(spec) for name, spec in loss.items()}
    if isinstance(loss, list):  # one per output
        return [None if spec is None else losses.get(spec) for spec in loss]
    if loss is None:
        return None
    raise ValueError(f"a loss spec must be an object or a list, got {type(loss).__name__}")
