"""Activation functions by name, for `Dense(activation=...)` and `Activation(name)`."""

from __future__ import annotations

from collections.abc import Callable

from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.naming import lookup

Activation = Callable[[Tensor], Tensor]

ACTIVATIONS: dict[str, Activation] = {
    "linear": F.identity,
    "identity": F.identity,
    "step": F.step_function,
    "step_function": F.step_function,
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "elu": F.elu,
    "gelu": F.gelu,
    "softplus": F.softplus,
    "softmax": F.softmax,
    "log_softmax": F.log_softmax,
}


def get(identifier: str | Activation | None) -> Activation | None:
    """Resolve an activation name (or pass a callable through); None means no activation."""
    if identifier is None or callable(identifier):
        return identifier
    return lookup("activation", identifier, ACTIVATIONS)


def name_of(activation: Activation | None) -> str | None:
    """The registered name of an activation function (for saving a model's config)."""
    if activation is None:
        return None
    for name, fn in ACTIVATIONS.items():
        if fn is activation:
            return name
    raise ValueError(f"activation {activation!r} has no registered name and cannot be saved")
