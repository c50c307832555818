"""Define-by-run automatic differentiation: Tensor, Function, the graph walk, no_grad."""

# Import order matters here, and only here: tensor.py pulls in the op families of
# numnet.functional (Tensor's operators call them), and those subclass Function.
from numnet.autograd.tensor import Tensor, as_tensor, tensor  # noqa: I001
from numnet.autograd.function import Function
from numnet.autograd.mode import enable_grad, is_grad_enabled, no_grad

__all__ = ["Function", "Tensor", "as_tensor", "enable_grad", "is_grad_enabled", "no_grad", "tensor"]
