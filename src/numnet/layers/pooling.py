"""Pooling layers: downsample feature maps by taking the max or mean of each window."""

from __future__ import annotations

from typing import Any

from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.functional.window import pair
from numnet.layers.base import Layer
from numnet.layers.convolutional import (
    check_data_format,
    from_nchw,
    same_padding,
    to_nchw,
    window_output_shape,
)


class _Pooling2D(Layer):
    """Shared configuration of MaxPooling2D and AveragePooling2D."""

    op: Any = None

    def __init__(
        self,
        pool_size: int | tuple[int, int] = 2,
        strides: int | tuple[int, int] | None = None,
        padding: str = "valid",
        data_format: str = "channels_last",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if padding not in ("valid", "same"):
            raise ValueError(
                f"{type(self).__name__} padding must be 'valid' or 'same', got {padding!r}"
            )
        self.pool_size = pair(pool_size, "pool_size")
        self.strides = self.pool_size if strides is None else pair(strides, "strides")
        self.padding, self.data_format = padding, check_data_format(data_format)

    def call(self, x: Tensor) -> Tensor:
        if x.ndim != 4:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} expects image batches, "
                f"got shape {x.shape}"
            )
        nchw = to_nchw(x, self.data_format)
        height, width = nchw.shape[2:]
        (kh, kw), (sh, sw) = self.pool_size, self.strides
        pad: Any = 0
        if self.padding == "same":
            pad = same_padding(height, kh, sh), same_padding(width, kw, sw)
        elif height < kh or width < kw:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r}: the {height}x{width} input is smaller "
                f"than its {kh}x{kw} window (input shape {x.shape})"
            )
        return from_nchw(type(self).op(nchw, self.pool_size, self.strides, pad), self.data_format)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        if len(input_shape) != 4:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} expects image batches, "
                f"got shape {input_shape}"
            )
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        return window_output_shape(
            input_shape, self.data_format, self.pool_size, self.strides, self.padding, channels
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "pool_size": list(self.pool_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
        }


class MaxPooling2D(_Pooling2D):
    """Maximum of each pool_size window (stride defaults to pool_size)."""

    op = staticmethod(F.max_pool2d)


class AveragePooling2D(_Pooling2D):
    """Mean of each pool_size window (stride defaults to pool_size; 'same' pads with zeros
    that count in the mean)."""

    op = staticmethod(F.avg_pool2d)


class _GlobalPooling2D(Layer):
    """Shared configuration of the global poolings: one number per feature map."""

    def __init__(
        self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.data_format = check_data_format(data_format or "channels_last")
        self.keepdims = keepdims

    def _axes(self, shape: tuple[int | None, ...]) -> tuple[int, int]:
        if len(shape) != 4:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} expects image batches, got {shape}"
            )
        return (1, 2) if self.data_format == "channels_last" else (2, 3)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        axes = self._axes(input_shape)
        if self.keepdims:
            return tuple(1 if i in axes else n for i, n in enumerate(input_shape))
        return tuple(n for i, n in enumerate(input_shape) if i not in axes)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling2D):
    """Mean of every feature map: (N, H, W, C) -> (N, C) ((N, 1, 1, C) with keepdims)."""

    def call(self, x: Tensor) -> Tensor:
        return F.mean(x, axis=self._axes(x.shape), keepdims=self.keepdims)


class GlobalMaxPooling2D(_GlobalPooling2D):
    """Maximum of every feature map: (N, H, W, C) -> (N, C) ((N, 1, 1, C) with keepdims);
    ties share the gradient."""

    def call(self, x: Tensor) -> Tensor:
        return F.max(x, axis=self._axes(x.shape), keepdims=self.keepdims)
