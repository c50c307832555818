"""Reshaping layers: Reshape, Permute, RepeatVector and UpSampling2D.

None of them has weights; each rearranges or repeats its input and sends the gradient
back the same way. Shapes exclude the batch axis, as in Keras.
"""

from __future__ import annotations

import math
from typing import Any

from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.functional.window import pair
from numnet.layers.base import Layer
from numnet.layers.convolutional import check_data_format, from_nchw, to_nchw

Shape = tuple[int | None, ...]


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (batch axis kept); one entry may be -1,
    inferred from the sample's size."""

    def __init__(self, target_shape: tuple[int, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        target = tuple(int(n) for n in target_shape)
        if sum(n == -1 for n in target) > 1 or any(n < -1 or n == 0 for n in target):
            raise ValueError(
                f"Reshape target_shape must hold positive sizes and at most one -1, "
                f"got {tuple(target_shape)}"
            )
        self.target_shape = target

    def _resolved(self, sample_shape: Shape) -> Shape:
        """target_shape with its -1 filled in; a clear error when the sizes disagree."""
        if any(n is None for n in sample_shape):
            return tuple(None if n == -1 else n for n in self.target_shape)
        size = math.prod(sample_shape)
        known = math.prod(n for n in self.target_shape if n != -1)
        if -1 in self.target_shape and size % known == 0:
            return tuple(size // known if n == -1 else n for n in self.target_shape)
        if -1 not in self.target_shape and size == known:
            return self.target_shape
        raise ValueError(
            f"Reshape layer {self.name!r} cannot reshape samples of shape {tuple(sample_shape)} "
            f"({size} values) to target_shape {self.target_shape}"
        )

    def call(self, x: Tensor) -> Tensor:
        return F.reshape(x, (x.shape[0], *self._resolved(x.shape[1:])))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return (input_shape[0], *self._resolved(input_shape[1:]))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "target_shape": list(self.target_shape)}


class Permute(Layer):
    """Permutes the sample axes: dims=(2, 1) swaps the two axes of (N, A, B) samples.
    Axes are numbered from 1, as in Keras (the batch axis 0 never moves)."""

    def __init__(self, dims: tuple[int, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        dims = tuple(int(d) for d in dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(f"Permute dims must be a permutation of 1..{len(dims)}, got {dims}")
        self.dims = dims

    def _check_rank(self, shape: Shape) -> None:
        if len(shape) != len(self.dims) + 1:
            raise ValueError(
                f"Permute layer {self.name!r} with dims {self.dims} expects inputs with "
                f"{len(self.dims) + 1} axes (batch included), got shape {tuple(shape)}"
            )

    def call(self, x: Tensor) -> Tensor:
        self._check_rank(x.shape)
        return F.transpose(x, (0, *self.dims))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        self._check_rank(input_shape)
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "dims": list(self.dims)}


class RepeatVector(Layer):
    """Repeats each (D,) sample n times: (N, D) -> (N, n, D), e.g. to feed an encoder's
    summary vector to every step of a decoder."""

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"RepeatVector n must be a positive integer, got {n!r}")
        self.n = n

    def _check_rank(self, shape: Shape) -> None:
        if len(shape) != 2:
            raise ValueError(
                f"RepeatVector layer {self.name!r} expects (N, D) inputs, got shape {tuple(shape)}"
            )

    def call(self, x: Tensor) -> Tensor:
        self._check_rank(x.shape)
        batch, features = x.shape
        return F.broadcast_to(F.reshape(x, (batch, 1, features)), (batch, self.n, features))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        self._check_rank(input_shape)
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "n": self.n}


class UpSampling2D(Layer):
    """Repeats every pixel into a size_h x size_w block: (N, H, W, C) ->
    (N, H * size_h, W * size_w, C). Only Keras' default 'nearest' interpolation."""

    def __init__(
        self,
        size: int | tuple[int, int] = 2,
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if interpolation != "nearest":
            raise ValueError(
                f"UpSampling2D supports interpolation='nearest' only, got {interpolation!r}"
            )
        self.size = pair(size, "size")
        self.data_format = check_data_format(data_format or "channels_last")
        self.interpolation = interpolation

    def _check_rank(self, shape: Shape) -> None:
        if len(shape) != 4:
            layout = "(N, H, W, C)" if self.data_format == "channels_last" else "(N, C, H, W)"
            raise ValueError(
                f"UpSampling2D layer {self.name!r} expects image batches {layout}, "
                f"got shape {tuple(shape)}"
            )

    def call(self, x: Tensor) -> Tensor:
        self._check_rank(x.shape)
        return from_nchw(F.upsample2d(to_nchw(x, self.data_format), self.size), self.data_format)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        self._check_rank(input_shape)
        n, *shape = input_shape
        first = 0 if self.data_format == "channels_last" else 1  # index of H in `shape`
        for axis, factor in zip((first, first + 1), self.size, strict=True):
            shape[axis] = None if shape[axis] is None else shape[axis] * factor
        return (n, *shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "size": list(self.size),
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }
