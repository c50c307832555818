"""Optimizers: each reads like its paper's update rule, and only sees parameters and grads.

Every optimizer also takes Keras' gradient-clipping keywords, `clipnorm`, `clipvalue` and
`global_clipnorm` (at most one of them), applied by the base class before the update.
"""

from numnet.naming import lookup
from numnet.optimizers import clipping, schedules
from numnet.optimizers.adaptive import Adagrad, Adam, AdamW, RMSprop
from numnet.optimizers.base import Optimizer
from numnet.optimizers.sgd import SGD, Momentum

OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "adagrad": Adagrad,
    "rmsprop": RMSprop,
    "adam": Adam,
    "adamw": AdamW,
}


def get(identifier: "str | Optimizer") -> Optimizer:
    """Resolve an optimizer name ('adam', 'sgd', ...) or pass an Optimizer through."""
    if isinstance(identifier, Optimizer):
        return identifier
    return lookup("optimizer", identifier, OPTIMIZERS)()


__all__ = [
    "OPTIMIZERS",
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "Momentum",
    "Optimizer",
    "RMSprop",
    "clipping",
    "get",
    "schedules",
]
