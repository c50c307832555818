"""Weight penalties added to the training loss (Keras semantics: no factor 1/2).

l2(0.001) adds 0.001 * sum(W**2): "weight decay", since its gradient 0.002 W pulls every
weight toward zero at each step.
"""

from __future__ import annotations

from typing import Any

from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.naming import lookup


class Regularizer:
    """Base class: a callable that maps a weight to a scalar penalty Tensor."""

    def __call__(self, weight: Tensor) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, for saving."""
        return dict(vars(self))


class L1(Regularizer):
    """l1 * sum(|W|): pushes weights to exactly zero (sparse models)."""

    def __init__(self, l1: float = 0.01) -> None:
        _check(l1, "l1")
        self.l1 = l1

    def __call__(self, weight: Tensor) -> Tensor:
        return self.l1 * F.abs(weight).sum()


class L2(Regularizer):
    """l2 * sum(W**2): weight decay (Keras' form, gradient 2 * l2 * W).

    The course and "Deep Learning from Scratch" write the penalty as (lambda / 2) *
    sum(W**2), gradient lambda * W: their lambda is `L2(lambda / 2)` here."""

    def __init__(self, l2: float = 0.01) -> None:
        _check(l2, "l2")
        self.l2 = l2

    def __call__(self, weight: Tensor) -> Tensor:
        return self.l2 * F.sum_of_squares(weight)


class L1L2(Regularizer):
    """l1 * sum(|W|) + l2 * sum(W**2)."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        _check(l1, "l1")
        _check(l2, "l2")
        self.l1, self.l2 = l1, l2

    def __call__(self, weight: Tensor) -> Tensor:
        return self.l1 * F.abs(weight).sum() + self.l2 * F.sum_of_squares(weight)


def _check(value: float, name: str) -> None:
    if not value >= 0:
        raise ValueError(f"regularization factor {name} must be >= 0, got {value}")


l1 = L1
l2 = L2
l1_l2 = L1L2

REGULARIZERS: dict[str, type[Regularizer]] = {"l1": L1, "l2": L2, "l1_l2": L1L2, "l1l2": L1L2}


def get(identifier: str | Regularizer | dict[str, Any] | None) -> Regularizer | None:
    """Resolve a name, a saved config dict or a Regularizer; None means no penalty."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, dict):
        cls = lookup("regularizer", identifier["class_name"], REGULARIZERS)
        return cls(**identifier.get("config", {}))
    return lookup("regularizer", identifier, REGULARIZERS)()


def serialize(regularizer: Regularizer | None) -> dict[str, Any] | None:
    """A JSON-able description that `get` turns back into the same regularizer."""
    if regularizer is None:
        return None
    return {"class_name": type(regularizer).__name__.lower(), "config": regularizer.get_config()}
