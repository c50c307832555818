"""Embedding lookup: each integer id picks one row of a weight matrix.

"Deep Learning from Scratch 2", chapter 4 (the `Embedding` layer of word2vec): the
forward pass is indexing, ``out = W[ids]``, and the backward pass sends each row of the
incoming gradient back to the row of W it came from. An id that occurs several times
collects the sum of its gradients, so the backward is a scatter-add (``np.add.at``),
never a plain assignment, which would keep only the last of repeated ids.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module


def check_ids(ids: Any, input_dim: int, owner: str = "embedding") -> np.ndarray:
    """`ids` as an integer array, or a ValueError naming `owner`, the valid range and the
    first bad value. Float arrays are accepted when they hold whole numbers (numnet
    stores integer data as float32 unless asked otherwise)."""
    data = ids.data if isinstance(ids, Tensor) else ids
    xp = get_array_module(data)
    array = xp.asarray(data)  # not to_array, which would turn integers into float32
    if array.dtype.kind == "f":
        bad = ~xp.isfinite(array) | (array != xp.floor(array))
        if bool(bad.any()):
            raise ValueError(
                f"{owner} expects integer ids in [0, {input_dim}), got the non-integral value "
                f"{array[bad][0].item()!r}"
            )
    elif array.dtype.kind not in "iub":
        raise ValueError(f"{owner} expects integer ids, got an array of dtype {array.dtype}")
    bad = (array < 0) | (array >= input_dim)
    if bool(bad.any()):
        raise ValueError(
            f"{owner} expects integer ids in [0, {input_dim}), got {array[bad][0].item()!r}"
        )
    return array.astype(np.int64)


class EmbeddingLookup(Function):
    """out[..., :] = W[ids[...], :] for W of shape (input_dim, output_dim);
    dW[k] = sum of grad_out[...] over every position where ids[...] == k."""

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids

    def forward(self, weights: np.ndarray) -> np.ndarray:
        self.weights_shape, self.dtype = weights.shape, weights.dtype
        return weights[self.ids]

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        xp = get_array_module(grad_out)
        grad_weights = xp.zeros(self.weights_shape, dtype=self.dtype)
        rows = grad_out.reshape(-1, self.weights_shape[1])
        xp.add.at(grad_weights, self.ids.reshape(-1), rows)  # repeated ids add up
        return (grad_weights,)


def embedding(ids: Any, weights: Any) -> Tensor:
    """The rows of `weights` (input_dim, output_dim) picked by `ids` (any shape, integer
    values in [0, input_dim)): a Tensor of shape ids.shape + (output_dim,). The gradient
    flows to `weights` only; ids are data."""
    weights = weights if isinstance(weights, Tensor) else Tensor(weights)
    if weights.ndim != 2:
        raise ValueError(f"embedding weights must be (input_dim, output_dim), got {weights.shape}")
    return apply(EmbeddingLookup(check_ids(ids, weights.shape[0])), weights)
