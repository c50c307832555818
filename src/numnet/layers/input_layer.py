"""`Input`: where a functional graph starts.

``numnet.Input(shape=(784,))`` returns a `SymbolicTensor` standing for a batch of samples
of that shape (batch axis left out; None for an axis of any length), made by an
`InputLayer`, which has no weights and is not listed in `model.layers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from numnet.layers.base import Layer
from numnet.layers.symbolic import Node, SymbolicTensor


class InputLayer(Layer):
    """The source of one model input: passes data through after checking its shape."""

    def __init__(
        self, shape: Sequence[int | None], dtype: Any = None, name: str | None = None
    ) -> None:
        shape = tuple(shape)
        if any(n is not None and (not isinstance(n, int | np.integer) or n < 1) for n in shape):
            raise ValueError(
                f"Input shape must hold positive integers or None (any length), got {shape}"
            )
        super().__init__(name=name, input_shape=shape, dtype=dtype or np.float32)
        self.built = True
        node = Node(self, [])
        node.outputs = [SymbolicTensor((None, *shape), self.dtype, node, 0)]
        node.output_structure = node.outputs[0]
        self.inbound_nodes.append(node)

    def call(self, inputs: Any) -> Any:
        return inputs  # Layer.__call__ has checked the sample shape

    def get_config(self) -> dict[str, Any]:
        return {"shape": list(self.input_shape), "dtype": self.dtype.name, "name": self.name}


def Input(
    shape: Sequence[int | None] | None = None,
    batch_size: int | None = None,
    name: str | None = None,
    dtype: Any = None,
    batch_shape: Sequence[int | None] | None = None,
) -> SymbolicTensor:
    """A symbolic input of samples of `shape` (or Keras' `batch_shape`, batch first)."""
    if shape is None and batch_shape is None:
        raise ValueError("Input needs a shape, e.g. numnet.Input(shape=(784,))")
    if shape is None:
        shape = tuple(batch_shape)[1:]  # the batch size is never fixed in numnet
    if isinstance(shape, int):
        shape = (shape,)
    return InputLayer(shape, dtype=dtype, name=name).output
