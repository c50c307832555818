"""Layers (and models used as layers) to and from JSON-able configs.

A class is found by name among numnet's own layers and models, or in the
`custom_objects` the caller passes, never imported from a name in a file: loading a
model file runs no code that the file names.
"""

from __future__ import annotations

from typing import Any

from numnet.layers import LAYERS
from numnet.layers.base import Layer
from numnet.layers.wrappers import takes_custom_objects
from numnet.models.trainer import Trainer

# Keras writes functional models as "Functional"; numnet's class for them is Model.
_ALIASES = {"Functional": "Model"}


def layer_config(layer: Layer) -> dict[str, Any]:
    """``{"class_name": ..., "config": ...}`` for a layer or a nested model."""
    class_name = type(layer).__name__
    if class_name == "Model":
        class_name = "Functional"
    return {"class_name": class_name, "name": layer.name, "config": layer.get_config()}


def _numnet_classes() -> dict[str, type[Layer]]:
    """Every Layer subclass defined inside numnet (models included), by class name."""
    found: dict[str, type[Layer]] = {}
    pending = [Layer]
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("numnet."):
            found.setdefault(cls.__name__, cls)
        pending.extend(cls.__subclasses__())
    return found


def layer_class(class_name: str, custom_objects: dict[str, Any] | None = None) -> type[Layer]:
    """The class called `class_name`; unknown names are a ValueError listing the known."""
    if custom_objects and class_name in custom_objects:
        return custom_objects[class_name]
    name = _ALIASES.get(class_name, class_name)
    if name in LAYERS:
        return LAYERS[name]
    known = _numnet_classes()
    if name not in known or name.startswith("_"):
        raise ValueError(
            f"unknown layer class {class_name!r} (pass custom_objects={{{class_name!r}: cls}} "
            f"for your own layers); numnet's are: {', '.join(sorted(LAYERS))}"
        )
    return known[name]


class LayerConfigError(ValueError):
    """A layer record that cannot become a layer; `record` is the record to blame (the
    innermost one, for a layer inside a wrapper or a nested model)."""

    def __init__(self, message: str, record: Any) -> None:
        super().__init__(message)
        self.record = record


# What a constructor raises on a config that does not fit it (wrong, missing or extra
# arguments); other exceptions are not about the record and pass through unchanged.
_CONFIG_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)


def layer_from_config(spec: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Layer:
    """A new layer (or model) from ``{"class_name": ..., "config": ...}``; a record that
    does not fit is a LayerConfigError naming the layer."""
    try:
        return _layer_from_config(spec, custom_objects)
    except LayerConfigError:
        raise
    except _CONFIG_ERRORS as error:
        reason = f"missing {error}" if isinstance(error, KeyError) else str(error)
        raise LayerConfigError(f"{_describe_record(spec)}: {reason}", spec) from error


def _describe_record(spec: Any) -> str:
    """``layer 'dense_1' (Dense)``, with whatever of that the record holds."""
    if not isinstance(spec, dict):
        return f"a layer record that is a {type(spec).__name__}, not an object"
    config = spec.get("config")
    name = spec.get("name") or (config.get("name") if isinstance(config, dict) else None)
    return f"layer {name!r} ({spec.get('class_name')})" if name else f"a {spec.get('class_name')}"


def _layer_from_config(spec: dict[str, Any], custom_objects: dict[str, Any] | None) -> Layer:
    cls = layer_class(spec["class_name"], custom_objects)
    config = dict(spec["config"])
    if issubclass(cls, Trainer) or takes_custom_objects(cls):
        # a model or a wrapper: the layers it holds may need custom_objects too
        layer = cls.from_config(config, custom_objects)
    else:
        layer = cls.from_config(config)
    if spec.get("name") and layer.name != spec["name"]:  # a config may leave the name out
        layer.rename(spec["name"])
        layer.auto_named = False
    return layer
