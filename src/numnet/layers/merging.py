"""Merge layers: combine a list of tensors into one (Add, Subtract, Multiply, Average,
Maximum, Minimum, Concatenate), plus Keras' lowercase shortcuts ``add([a, b])``.

Elementwise merges broadcast as NumPy does (Keras lets a size-1 axis stretch too);
shapes that cannot be combined give an error naming the layer and every shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from typing import Any

from numnet import functional as F
from numnet.autograd.tensor import Tensor
from numnet.layers.base import Layer

Shape = tuple[int | None, ...]


class _Merge(Layer):
    """Base of the merge layers: checks the list of inputs, then `_merge`s it."""

    exactly: int | None = None  # Subtract takes exactly two inputs

    def _input_shapes(self, inputs: Any) -> list[Shape]:
        """The shapes of a list of tensors (or of a list of shapes, as `build` gets)."""
        items = list(inputs) if isinstance(inputs, list | tuple) else []
        if items and all(isinstance(item, list | tuple) for item in items):
            shapes = [tuple(item) for item in items]
        elif items and all(hasattr(item, "shape") for item in items):
            shapes = [tuple(item.shape) for item in items]
        else:
            got = getattr(inputs, "shape", inputs)
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} must be called on a list of "
                f"tensors, got {got!r}"
            )
        if self.exactly is not None and len(shapes) != self.exactly:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} takes exactly {self.exactly} "
                f"inputs, got {len(shapes)}"
            )
        return shapes

    def _output_shape(self, shapes: list[Shape]) -> Shape:
        """The broadcast shape of the inputs (None, an unknown size, matches anything)."""
        rank = max(len(s) for s in shapes)
        padded = [(1,) * (rank - len(s)) + tuple(s) for s in shapes]
        out: list[int | None] = []
        for sizes in zip(*padded, strict=True):
            known = {n for n in sizes if n is not None and n != 1}
            if len(known) > 1:
                raise ValueError(
                    f"{type(self).__name__} layer {self.name!r} cannot combine inputs of "
                    f"shapes {', '.join(str(tuple(s)) for s in shapes)}"
                )
            out.append(known.pop() if known else (None if None in sizes else 1))
        return tuple(out)

    def build(self, input_shape: Any) -> None:
        self.compute_output_shape(input_shape)  # fails early, naming the layer

    def compute_output_shape(self, input_shape: Any) -> Shape:
        return self._output_shape(self._input_shapes(input_shape))

    def weight_shapes(self, input_shape: Any) -> list[tuple[int, ...]]:
        self.compute_output_shape(input_shape)
        return []

    def call(self, inputs: Sequence[Tensor]) -> Tensor:
        self.compute_output_shape(inputs)
        return self._merge(list(inputs))

    def _merge(self, inputs: list[Tensor]) -> Tensor:
        raise NotImplementedError


class Add(_Merge):
    """The sum of the inputs."""

    def _merge(self, inputs: list[Tensor]) -> Tensor:
        return reduce(F.add, inputs)


class Subtract(_Merge):
    """inputs[0] - inputs[1] (exactly two inputs)."""

    exactly = 2

    def _merge(self, inputs: list[Tensor]) -> Tensor:
        return F.sub(inputs[0], inputs[1])


class Multiply(_Merge):
    """The elementwise product of the inputs."""

    def _merge(self, inputs: list[Tensor]) -> Tensor:
        return reduce(F.mul, inputs)


class Average(_Merge):
    """The elementwise mean of the inputs."""

    def _merge(self, inputs: list[Tensor]) -> Tensor:
        return reduce(F.add, inputs) * (1.0 / len(inputs))


class Maximum(_Merge):
    """The elementwise maximum of the inputs (ties share the gradient)."""

    def _merge(self, inputs: list[Tensor]) -> Tensor:
        return reduce(F.maximum, inputs)


class Minimum(_Merge):
    """The elementwise minimum of the inputs (ties share the gradient)."""

    def _merge(self, inputs: list[Tensor]) -> Tensor:
        return reduce(F.minimum, inputs)


class Concatenate(_Merge):
    """The inputs joined along `axis` (default the last); all other sizes must agree."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def _output_shape(self, shapes: list[Shape]) -> Shape:
        rank = len(shapes[0])
        out: list[int | None] = []
        agree = -rank <= self.axis < rank and all(len(s) == rank for s in shapes)
        for i, sizes in enumerate(zip(*shapes, strict=False) if agree else ()):
            if i == self.axis % rank:
                out.append(None if None in sizes else sum(sizes))
                continue
            known = {n for n in sizes if n is not None}
            agree = agree and len(known) <= 1
            out.append(known.pop() if known else None)
        if not agree:
            raise ValueError(
                f"Concatenate layer {self.name!r} (axis={self.axis}) needs inputs of equal "
                f"rank whose sizes agree except along the axis; got shapes "
                f"{', '.join(str(tuple(s)) for s in shapes)}"
            )
        return tuple(out)

    def _merge(self, inputs: list[Tensor]) -> Tensor:
        return F.concatenate(inputs, axis=self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def add(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Sum of a list of tensors (Keras' functional shortcut for ``Add()(inputs)``)."""
    return Add(**kwargs)(inputs)


def subtract(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """inputs[0] - inputs[1] (``Subtract()(inputs)``)."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Elementwise product of a list of tensors (``Multiply()(inputs)``)."""
    return Multiply(**kwargs)(inputs)


def average(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Elementwise mean of a list of tensors (``Average()(inputs)``)."""
    return Average(**kwargs)(inputs)


def maximum(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Elementwise maximum of a list of tensors (``Maximum()(inputs)``)."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Elementwise minimum of a list of tensors (``Minimum()(inputs)``)."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs: Sequence[Any], axis: int = -1, **kwargs: Any) -> Any:
    """Join a list of tensors along `axis` (``Concatenate(axis)(inputs)``)."""
    return Concatenate(axis=axis, **kwargs)(inputs)
