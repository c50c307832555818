"""Nested structures of arrays or tensors: a value, or lists, tuples and dicts of them.

Models with several inputs and outputs take data as ``[x1, x2]`` or ``{"title": x1}``;
these helpers walk such structures so the rest of the code can treat them uniformly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def is_nested(value: Any) -> bool:
    """True for lists, tuples and dicts (the containers a structure is made of)."""
    return isinstance(value, list | tuple | dict)


def flatten(structure: Any) -> list[Any]:
    """The leaves of `structure`, depth first (dict values in key order as given)."""
    if isinstance(structure, dict):
        return [leaf for value in structure.values() for leaf in flatten(value)]
    if isinstance(structure, list | tuple):
        return [leaf for value in structure for leaf in flatten(value)]
    return [structure]


def map_structure(fn: Callable[[Any], Any], structure: Any) -> Any:
    """The same structure with `fn` applied to every leaf."""
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    if isinstance(structure, list | tuple):
        return type(structure)(map_structure(fn, value) for value in structure)
    return fn(structure)


def pack_like(structure: Any, leaves: list[Any]) -> Any:
    """Put `leaves` (as `flatten` gives them) back into the shape of `structure`."""
    remaining = iter(leaves)
    packed = map_structure(lambda _: next(remaining), structure)
    return packed
