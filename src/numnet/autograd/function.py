"""The op contract: a `Function` has a forward and a backward, both on raw arrays.

A subclass implements

* ``forward(*arrays) -> array``: compute the output, keeping on ``self`` what backward
  needs (the "cache" of the textbook);
* ``backward(grad_out) -> tuple``: one gradient per input (``None`` where an input needs
  none, see ``self.needs_input_grad``). It never writes into ``grad_out``.

Arrays are NumPy's, or those of the library `numnet.backend` picks for the inputs.

``apply(Mul(), a, b)`` (`numnet.autograd.tensor`) runs an op on Tensors: forward on
their arrays and, when any input requires grad and recording is on, it sets ``inputs``
and ``needs_input_grad`` and links the output to the op. An op holds its inputs but
never its output Tensor, so a graph is garbage the moment nobody holds its result.

This module knows nothing of Tensors: that is what lets the ops Tensor's operators
need live below `tensor.py` (in `autograd/ops/`) without an import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numnet.autograd.tensor import Tensor


class Function:
    """Base class of every differentiable op."""

    inputs: tuple[Tensor, ...] = ()
    needs_input_grad: tuple[bool, ...] = ()

    def forward(self, *xs: np.ndarray) -> np.ndarray:
        """Compute the output array from the input arrays."""
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        """Return d loss / d input for each input, given d loss / d output."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
