"""Looking up components by name: one plain dict per family, one clear error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def lookup(kind: str, name: str, table: Mapping[str, T]) -> T:
    """Return table[name], or raise a ValueError that lists the valid names."""
    key = name.lower() if isinstance(name, str) else name
    if key not in table:
        valid = ", ".join(sorted(table))
        raise ValueError(f"unknown {kind} {name!r}; valid names: {valid}")
    return table[key]
