"""`Embedding`: integer ids (N, T) to dense vectors (N, T, output_dim), as Keras'.

A thin layer over `numnet.functional.embedding` (row lookup forward, scatter-add
backward). With ``mask_zero=True`` id 0 is padding: the output carries the mask
``ids != 0`` (see `numnet.layers.masking`) and later recurrent layers skip those steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet import functional as F
from numnet import initializers, regularizers
from numnet.autograd.tensor import Tensor
from numnet.functional.embedding import check_ids
from numnet.layers.base import Layer
from numnet.layers.masking import with_mask


class Embedding(Layer):
    """Turns ids in [0, input_dim) into vectors: out[n, t] = embeddings[ids[n, t]].

    ``Embedding(input_dim, output_dim, embeddings_initializer='uniform',
    embeddings_regularizer=None, mask_zero=False)``; the weight ``embeddings`` is
    (input_dim, output_dim), initialised from U(-0.05, 0.05) as Keras does. Ids may come
    as integers or as floats holding whole numbers (numnet's default float32 inputs);
    anything else, or an id out of range, is a ValueError naming the layer. The weights
    are float32 unless ``dtype=`` says otherwise: ids carry no float dtype to follow.
    Keras 2's ``input_length`` is accepted and declares the input shape (input_length,).
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        mask_zero: bool = False,
        input_length: int | None = None,
        **kwargs: Any,
    ) -> None:
        if input_length is not None and kwargs.get("input_shape") is None:
            kwargs["input_shape"] = (input_length,)
        super().__init__(**kwargs)
        for what, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int | np.integer) or value <= 0:
                raise ValueError(f"Embedding {what} must be a positive integer, got {value!r}")
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.mask_zero = mask_zero
        if self.dtype is None:
            self.dtype = np.dtype(np.float32)

    def build(self, input_shape: tuple[int, ...]) -> None:
        self.embeddings = self.add_weight(
            "embeddings",
            (self.input_dim, self.output_dim),
            self.embeddings_initializer,
            self.embeddings_regularizer,
        )

    def weight_shapes(self, input_shape: tuple[int, ...]) -> list[tuple[int, ...]]:
        return [(self.input_dim, self.output_dim)]

    def call(self, ids: Tensor) -> Tensor:
        owner = f"Embedding layer {self.name!r}"
        out = F.embedding(check_ids(ids, self.input_dim, owner), self.embeddings)
        return with_mask(out, ids.data != 0) if self.mask_zero else out

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (*input_shape, self.output_dim)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "mask_zero": self.mask_zero,
        }
