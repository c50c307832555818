"""Masks of padded time steps, as Keras carries them from layer to layer.

Sequences of different lengths are padded to one length T. A mask (N, T) of booleans
says which steps are real (True) and which are padding (False). As in Keras, the mask
rides on the tensor itself, in ``tensor._keras_mask``: `Embedding(mask_zero=True)` and
`Masking` put it there, recurrent layers read it and skip the padded steps, and a
recurrent layer with ``return_sequences=True`` (or `Bidirectional`, `TimeDistributed`)
passes it on. A layer that knows nothing of masks drops it.

numnet's Tensor has fixed slots, so a masked tensor is a `MaskedTensor`: the same data,
creator and gradient flag, plus the mask. The mask is data, never differentiated.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.tensor import Tensor
from numnet.backend import get_array_module
from numnet.layers.base import Layer


class MaskedTensor(Tensor):
    """A Tensor with a time-step mask `_keras_mask` (N, T) of booleans."""

    __slots__ = ("_keras_mask",)


def with_mask(tensor: Tensor, mask: Any) -> Tensor:
    """`tensor` carrying `mask` (None: `tensor` itself, unmasked). The result stands for
    `tensor` in the graph: same data, same creator, gradients flow through unchanged."""
    if mask is None:
        return tensor
    masked = MaskedTensor.from_array(tensor.data)
    masked.requires_grad, masked.creator = tensor.requires_grad, tensor.creator
    masked._keras_mask = mask
    return masked


def mask_of(tensor: Any) -> np.ndarray | None:
    """The mask `tensor` carries, or None."""
    return getattr(tensor, "_keras_mask", None)


def check_mask(mask: Any, x: Tensor, owner: Layer) -> np.ndarray | None:
    """`mask` as a boolean array of shape x.shape[:2], or a ValueError naming `owner`."""
    if mask is None:
        return None
    mask = mask.data if isinstance(mask, Tensor) else mask
    mask = get_array_module(mask).asarray(mask).astype(bool)
    if mask.shape != x.shape[:2]:
        raise ValueError(
            f"{type(owner).__name__} layer {owner.name!r}: the mask must have shape (N, T) = "
            f"{x.shape[:2]}, got {mask.shape}"
        )
    return mask


class Masking(Layer):
    """Marks the time steps whose features all equal `mask_value` as padding:
    mask[n, t] = any(x[n, t, :] != mask_value); the output is x with those steps zeroed,
    carrying the mask, so that later recurrent layers skip them (Keras' Masking)."""

    def __init__(self, mask_value: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mask_value = float(mask_value)

    def call(self, x: Tensor) -> Tensor:
        if x.ndim < 3:
            raise ValueError(
                f"Masking layer {self.name!r} expects sequences (N, T, ...), got shape {x.shape}"
            )
        keep = (x.data != self.mask_value).any(axis=tuple(range(2, x.ndim)))
        weights = keep.reshape(*keep.shape, *(1,) * (x.ndim - 2)).astype(x.dtype)
        return with_mask(x * weights, keep)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mask_value": self.mask_value}
