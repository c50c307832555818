"""numnet: a readable deep-learning framework written from scratch on NumPy.

``import numnet`` gives the Tensor API (``numnet.tensor``, ``numnet.no_grad``,
``numnet.gradcheck``) and Keras' top level (``numnet.Input``, ``numnet.Model``,
``numnet.Sequential``), so ``import numnet as keras`` runs Keras programs; the rest lives
in subpackages: ``numnet.functional`` (ops), ``numnet.layers``, ``numnet.models``,
``numnet.optimizers``, ``numnet.losses``, ``numnet.metrics``, ``numnet.datasets``.
"""

from numnet import (
    activations,
    callbacks,
    datasets,
    functional,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    perceptron,
    random,
    regularizers,
    utils,
)
from numnet.autograd import (
    Function,
    Tensor,
    apply,
    enable_grad,
    is_grad_enabled,
    no_grad,
    tensor,
)
from numnet.functional.shape import concatenate, stack, where
from numnet.gradcheck import gradcheck, numerical_gradient
from numnet.layers import Input
from numnet.models import Model, Sequential
from numnet.version import __version__

__all__ = [
    "Function",
    "Input",
    "Model",
    "Sequential",
    "Tensor",
    "__version__",
    "activations",
    "apply",
    "callbacks",
    "concatenate",
    "datasets",
    "enable_grad",
    "functional",
    "gradcheck",
    "initializers",
    "is_grad_enabled",
    "layers",
    "losses",
    "metrics",
    "models",
    "no_grad",
    "numerical_gradient",
    "optimizers",
    "perceptron",
    "random",
    "regularizers",
    "stack",
    "tensor",
    "utils",
    "where",
]
