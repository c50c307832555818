"""numnet: a readable deep-learning framework written from scratch on NumPy.

``import numnet`` gives the Tensor API (``numnet.tensor``, ``numnet.no_grad``,
``numnet.gradcheck``); the rest lives in subpackages: ``numnet.functional`` (ops),
``numnet.layers``, ``numnet.models``, ``numnet.optimizers``, ``numnet.datasets``.
"""

from numnet import functional, perceptron, random
from numnet.autograd import Function, Tensor, enable_grad, is_grad_enabled, no_grad, tensor
from numnet.functional.shape import concatenate, stack, where
from numnet.gradcheck import gradcheck, numerical_gradient

__version__ = "0.1.0"

__all__ = [
    "Function",
    "Tensor",
    "__version__",
    "concatenate",
    "enable_grad",
    "functional",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "numerical_gradient",
    "perceptron",
    "random",
    "stack",
    "tensor",
    "where",
]
