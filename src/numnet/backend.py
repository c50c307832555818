"""Arrays: which library computes an op, chosen from the op's inputs, and numnet's
default dtype.

Every op finds its array functions with ``xp = get_array_module(x)`` and calls
``xp.exp(x)``, ``xp.zeros(shape)`` and so on, never ``numpy`` directly (DeZero's
``get_array_module``). NumPy is the default and numnet's only dependency; a library
with NumPy's API (CuPy, say) becomes a switch, not a port::

    register_array_module(cupy.ndarray, cupy)

after which ops on Tensors holding ``cupy.ndarray`` data compute with ``cupy``. Ops
never move data between modules: an op's array inputs must share one module, and a
Python number takes the module of the Tensors it meets.
"""

from __future__ import annotations

from typing import Any

import numpy

# Array type -> module. Empty unless a user registers a library: then NumPy is the answer
# for every type not listed here.
_modules: dict[type, Any] = {}


def register_array_module(array_type: type, module: Any) -> None:
    """Compute ops on arrays of exactly `array_type` with `module` (NumPy's API)."""
    if not isinstance(array_type, type):
        raise TypeError(f"array_type must be a class, got {array_type!r}")
    _modules[array_type] = module


def unregister_array_module(array_type: type) -> None:
    """Forget `array_type`: its arrays go back to NumPy."""
    _modules.pop(array_type, None)


def get_array_module(*arrays: Any) -> Any:
    """The module of the first argument whose type was registered, else `numpy`.

    A dictionary lookup per argument, cheap enough for every forward and backward.
    """
    if _modules:
        for array in arrays:
            module = _modules.get(type(array))
            if module is not None:
                return module
    return numpy


def to_array(data: Any, dtype: Any = None) -> Any:
    """`data` as an array of its own module, in `dtype` when given. Otherwise float arrays
    keep their dtype, and Python numbers, lists and integer or boolean arrays become
    float32, numnet's default dtype."""
    xp = get_array_module(data)
    if dtype is None:
        is_array = xp is not numpy or isinstance(data, numpy.ndarray | numpy.floating)
        dtype = None if is_array and data.dtype.kind == "f" else numpy.float32
    return xp.asarray(data, dtype=dtype)
