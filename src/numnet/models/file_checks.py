"""What a model file's architecture record may declare, checked before anything is built.

Building a model allocates its weights and runs one sample of zeros through it, so a
file that declares a 200-million-unit layer or a gigantic input could make numnet
allocate gigabytes from a few bytes. Before building, the record's numbers are held
against the arrays the file really stores:

* a layer size above SMALL_SIZE (units, filters, vocabulary, ...) must be the length of
  an axis of some stored array, as a genuine layer of that size leaves such weights;
* a declared input (or reshaped) sample holds at most `limit` values;
* an upper bound on what building allocates stays within `limit` too: a layer's weights
  are its size times the width of its input, and no input is wider than the largest
  sample or the widest layer. Sizes vouched for by stored arrays count once (their
  weights are in the file); the others count against every possible input.

`limit` is BUILD_LIMIT values, or STORED_FACTOR times the values the file stores when
that is more. Layers of the classes a caller passes in `custom_objects` are the
caller's own code and are left to it. Every problem is a ModelFileError naming the file
and the field.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from numnet.models.archive import ModelFileError

SMALL_SIZE = 1024  # sizes up to this need no stored array (pooling, strides, repeats...)
BUILD_LIMIT = 1 << 24  # 16 million values: 64 MiB as float32
STORED_FACTOR = 8
_VARIABLE_LENGTH = 3  # what the one-sample dry run puts for an axis of any length


def check_record(architecture: Any, path: Path, format_name: str, version: int) -> None:
    """A ModelFileError unless the record has the fields a model needs, of the right kinds."""
    if not isinstance(architecture, dict) or architecture.get("format") != format_name:
        raise ModelFileError(f"{path} is not a numnet model file (no numnet architecture record)")
    found = architecture.get("format_version")
    if not isinstance(found, int) or isinstance(found, bool) or found < 1:
        raise ModelFileError(f"{path}: field format_version is {found!r}, not a version number")
    if found > version:
        raise ModelFileError(
            f"{path} was written in model format {found} by a newer numnet "
            f"({architecture.get('numnet_version')}); this one reads format {version}: upgrade"
        )
    for field, kinds, what in (
        ("class_name", str, "a class name"),
        ("config", dict, "an object"),
        ("compile", (dict, type(None)), "an object or null"),
    ):
        if not isinstance(architecture.get(field), kinds):
            raise ModelFileError(f"{path}: field {field} is not {what}")


def layer_fields(config: Any, root: str = "config") -> dict[int, str]:
    """The field (like ``config.layers[2]``) of every layer record inside `config`, by
    the record's id: a record is a dict with a class_name and a config."""
    fields = {}
    for field, _, value in _walk(config, root):
        if isinstance(value, dict) and "class_name" in value and "config" in value:
            fields[id(value)] = field
    return fields


def check_declared_sizes(
    config: Any, arrays: list[np.ndarray], path: Path, custom_objects: dict | None = None
) -> None:
    """A ModelFileError when the sizes `config` declares are out of proportion with the
    arrays stored (the rules are in the module's docstring)."""
    stored_axes = {n for array in arrays for n in array.shape}
    limit = max(BUILD_LIMIT, STORED_FACTOR * sum(array.size for array in arrays))
    largest_sample, widest, unvouched = 1, 1, 0
    for field, kind, value in _declared_sizes(config, set(custom_objects or ())):
        if kind == "shape":
            size = math.prod(_VARIABLE_LENGTH if n is None else max(n, 1) for n in value)
            if size > limit:
                raise ModelFileError(
                    f"{path}: field {field} declares samples of shape {value}, {size} values, "
                    f"more than the {limit} its stored weights justify; it was not built"
                )
            largest_sample = max(largest_sample, size)
            continue
        if value not in stored_axes:
            if value > SMALL_SIZE:
                raise ModelFileError(
                    f"{path}: field {field} declares a size of {value}, but no array stored "
                    f"in the file has an axis of that length; it was not built"
                )
            unvouched += value
        widest = max(widest, value)
    work = max(largest_sample * widest, unvouched * max(largest_sample, widest))
    if work > limit:
        raise ModelFileError(
            f"{path}: field config declares inputs of up to {largest_sample} values and "
            f"layers up to {widest} wide: building it could take {work} values, more than "
            f"the {limit} its stored weights justify; it was not built"
        )


def _walk(value: Any, root: str) -> Iterator[tuple[str, Any, Any]]:
    """(field, key, value) for `value` and everything inside it, without recursion (a
    hostile record may nest deeper than Python's stack)."""
    stack = [(root, None, value)]
    while stack:
        field, key, item = stack.pop()
        yield field, key, item
        if isinstance(item, dict):
            stack.extend((f"{field}.{k}", k, v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((f"{field}[{i}]", key, v) for i, v in reversed(list(enumerate(item))))


def _is_shape(value: Any) -> bool:
    return isinstance(value, list) and all(
        n is None or (isinstance(n, int) and not isinstance(n, bool)) for n in value
    )


def _declared_sizes(config: Any, custom: set[str]) -> Iterator[tuple[str, str, Any]]:
    """("field", "shape", [dims]) for each shape and ("field", "size", n) for each other
    positive integer in numnet's own layer records (seeds are not sizes)."""
    stack = [("config", None, config)]
    while stack:
        field, key, item = stack.pop()
        if isinstance(item, dict):
            class_name = item.get("class_name")
            if isinstance(class_name, str) and class_name in custom:
                continue  # the caller's own layer: its code, its sizes
            stack.extend((f"{field}.{k}", k, v) for k, v in item.items())
        elif isinstance(item, list):
            if isinstance(key, str) and "shape" in key and _is_shape(item):
                yield field, "shape", item
            else:
                stack.extend((f"{field}[{i}]", key, v) for i, v in enumerate(item))
        elif isinstance(item, int) and not isinstance(item, bool) and item > 0 and key != "seed":
            yield field, "size", item
