"""The op contract: a `Function` has a forward and a backward, both on raw arrays.

A subclass implements

* ``forward(*arrays) -> array``: compute the output, keeping on ``self`` what backward
  needs (the "cache" of the textbook);
* ``backward(grad_out) -> tuple``: one gradient per input (``None`` where an input needs
  none, see ``self.needs_input_grad``). It never writes into ``grad_out``.

Calling an instance, ``Mul()(a, b)``, wraps the inputs as Tensors, runs forward, and,
when any input requires grad and recording is on, links the output to this Function.
A Function holds its inputs but never its output Tensor, so a graph is garbage the
moment nobody holds its result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd import tensor as tensor_module
from numnet.autograd.mode import is_grad_enabled


class Function:
    """Base class of every differentiable op."""

    inputs: tuple[tensor_module.Tensor, ...] = ()
    needs_input_grad: tuple[bool, ...] = ()

    def __call__(self, *inputs: Any) -> tensor_module.Tensor:
        # A Python number takes the dtype of the first tensor input (float64 stays exact).
        like = next((x.dtype for x in inputs if isinstance(x, tensor_module.Tensor)), None)
        tensors = tuple(tensor_module.as_tensor(x, like) for x in inputs)
        output = self.forward(*(t.data for t in tensors))
        result = tensor_module.Tensor.from_array(output)
        if is_grad_enabled():
            needs = tuple(t.requires_grad for t in tensors)
            if any(needs):
                self.inputs = tensors
                self.needs_input_grad = needs
                result.requires_grad = True
                result.creator = self
        return result

    def forward(self, *xs: np.ndarray) -> np.ndarray:
        """Compute the output array from the input arrays."""
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        """Return d loss / d input for each input, given d loss / d output."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
