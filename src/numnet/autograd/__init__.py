"""Define-by-run automatic differentiation: Tensor, Function, apply, the graph walk, no_grad."""

from numnet.autograd.function import Function
from numnet.autograd.mode import enable_grad, is_grad_enabled, no_grad
from numnet.autograd.tensor import Tensor, apply, as_tensor, tensor

__all__ = [
    "Function",
    "Tensor",
    "apply",
    "as_tensor",
    "enable_grad",
    "is_grad_enabled",
    "no_grad",
    "tensor",
]
