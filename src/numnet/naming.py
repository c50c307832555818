"""Names: looking up components by name, and Keras-style names for layers.

Components resolve through one plain dict per family with one clear error; layers are
named after their class (`Dense` -> ``dense``) and made unique inside a model
(``dense``, ``dense_1``) when they join it, never when a model is merely read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def lookup(kind: str, name: str, table: Mapping[str, T]) -> T:
    """Return table[name], or raise a ValueError that lists the valid names."""
    key = name.lower() if isinstance(name, str) else name
    if key not in table:
        valid = ", ".join(sorted(table))
        raise ValueError(f"unknown {kind} {name!r}; valid names: {valid}")
    return table[key]


def snake_case(name: str) -> str:
    """Keras' layer names: Dense -> dense, Conv2D -> conv2d, MaxPooling2D -> max_pooling2d."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def make_unique(layers: Iterable[Any], owner: str) -> None:
    """Rename automatically named layers that clash (dense, dense_1, ...); a clash between
    names the user chose is a ValueError naming `owner`, as Keras."""
    layers = list({id(layer): layer for layer in layers}.values())  # shared layers once
    chosen: dict[str, Any] = {}
    for layer in layers:
        if not layer.auto_named:
            if layer.name in chosen and chosen[layer.name] is not layer:
                raise ValueError(
                    f"{owner} has two layers named {layer.name!r}; layer names must be unique "
                    f"within a model (pass name=... to tell them apart)"
                )
            chosen[layer.name] = layer
    taken = set(chosen)
    for layer in layers:
        if not layer.auto_named:
            continue
        if layer.name in taken:
            base = re.sub(r"_\d+$", "", layer.name)
            n = 1
            while f"{base}_{n}" in taken:
                n += 1
            layer.rename(f"{base}_{n}")
        taken.add(layer.name)
