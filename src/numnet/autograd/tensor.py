"""`Tensor`: an array that remembers how it was computed, so it can be differentiated.

`apply(op, *inputs)` runs a `Function` on Tensors and records it on the graph; Tensor's
operators and methods are `apply` calls on the ops of `numnet.autograd.ops`.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from numnet.autograd import graph
from numnet.autograd.function import Function
from numnet.autograd.mode import is_grad_enabled
from numnet.autograd.ops import elementwise, linalg, reduction
from numnet.autograd.ops import shape as shape_ops
from numnet.autograd.ops.reduction import Axis
from numnet.backend import get_array_module, to_array


def as_tensor(x: Any) -> Tensor:
    """Return `x` itself when it is a Tensor, else a new Tensor of `to_array(x)`."""
    return x if isinstance(x, Tensor) else Tensor.from_array(to_array(x))


def _constant(x: Any, like: Tensor | None) -> Tensor:
    """An op's non-Tensor input as a Tensor; `like` is the op's first Tensor input."""
    if like is not None and isinstance(x, int | float):
        return Tensor.from_array(get_array_module(like.data).asarray(x, dtype=like.dtype))
    return Tensor.from_array(to_array(x))


def apply(fn: Function, *inputs: Any) -> Tensor:
    """Run op `fn` on `inputs` and return its output as a Tensor: the one way ops run.

    Inputs that are not Tensors are constants: a Python number takes the dtype and array
    module of the first Tensor input (so float64 stays float64), anything else follows
    `to_array`. When recording is on (see `no_grad`) and an input requires grad, the
    output requires grad and its `creator` is `fn`, which keeps the input Tensors for
    backward. An op instance runs once: its forward's cache belongs to this output.
    """
    like = next((x for x in inputs if isinstance(x, Tensor)), None)
    tensors = tuple(x if isinstance(x, Tensor) else _constant(x, like) for x in inputs)
    result = Tensor.from_array(fn.forward(*(t.data for t in tensors)))
    if is_grad_enabled():
        needs = tuple(t.requires_grad for t in tensors)
        if any(needs):
            fn.inputs = tensors
            fn.needs_input_grad = needs
            result.requires_grad = True
            result.creator = fn
    return result


class Tensor:
    """An n-dimensional array with an optional gradient.

    `data` is the backing array (NumPy's, or see `numnet.backend`), `grad` the gradient
    of the last `backward()` call with respect to this tensor (leaves with
    ``requires_grad=True`` only), and `creator` the `Function` that computed it (None for a leaf).
    """

    __slots__ = ("__weakref__", "creator", "data", "grad", "name", "requires_grad", "retains_grad")
    # Make `ndarray + Tensor` call Tensor.__radd__ instead of converting the Tensor.
    __array_priority__ = 100.0

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, name: str | None = None
    ) -> None:
        self.data: np.ndarray = to_array(data.data if isinstance(data, Tensor) else data, dtype)
        self.grad: np.ndarray | None = None
        self.requires_grad = requires_grad
        self.creator: Function | None = None
        self.retains_grad = False
        self.name = name
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"only floating tensors can require grad, got {self.data.dtype}")

    @classmethod
    def from_array(cls, array: np.ndarray) -> Tensor:
        """Wrap an existing array without copying or converting it (the ops' fast path)."""
        t = cls.__new__(cls)
        t.data = array
        t.grad = None
        t.requires_grad = False
        t.creator = None
        t.retains_grad = False
        t.name = None
        return t

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of `data`."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """The number of elements."""
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        """The dtype of `data`."""
        return self.data.dtype

    def numpy(self) -> np.ndarray:
        """Return the backing array (no copy)."""
        return self.data

    def item(self) -> float:
        """Return the value of a one-element tensor as a Python number."""
        return self.data.item()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is not None and dtype != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        grad = ", requires_grad=True" if self.requires_grad else ""
        dtype = "" if self.dtype == np.float32 else f", dtype={self.dtype}"
        return f"tensor({body}{dtype}{grad})"

    # Tensors are identified by identity; `==` builds a comparison tensor instead.
    __hash__ = object.__hash__

    def backward(self, grad: Any = None) -> None:
        """Accumulate d self / d leaf into `.grad` of every leaf that requires grad.

        A scalar (one-element) tensor needs no `grad`; otherwise pass the gradient of the
        final loss with respect to this tensor, an array or Tensor of the same shape.
        """
        graph.backward(self, grad.data if isinstance(grad, Tensor) else grad)

    def retain_grad(self) -> Tensor:
        """Keep this (non-leaf) tensor's gradient in `.grad` after `backward()`."""
        self.retains_grad = True
        return self

    def detach(self) -> Tensor:
        """A tensor sharing this data but cut from the graph."""
        return Tensor.from_array(self.data)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient."""
        self.grad = None

    def __add__(self, other: Any) -> Tensor:
        return apply(elementwise.Add(), self, other)

    __radd__ = __add__  # a + b and b + a are the same op (sum and product commute)

    def __sub__(self, other: Any) -> Tensor:
        return apply(elementwise.Sub(), self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return apply(elementwise.Sub(), other, self)

    def __mul__(self, other: Any) -> Tensor:
        return apply(elementwise.Mul(), self, other)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Tensor:
        return apply(elementwise.Div(), self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return apply(elementwise.Div(), other, self)

    def __pow__(self, exponent: Any) -> Tensor:
        return apply(elementwise.Pow(), self, exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return apply(elementwise.Pow(), base, self)

    def __matmul__(self, other: Any) -> Tensor:
        return apply(linalg.MatMul(), self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return apply(linalg.MatMul(), other, self)

    def __neg__(self) -> Tensor:
        return apply(elementwise.Neg(), self)

    def __pos__(self) -> Tensor:
        return self

    def __getitem__(self, index: Any) -> Tensor:
        return apply(shape_ops.GetItem(_index_arrays(index)), self)

    # Comparisons give boolean tensors that carry no gradient.
    def _compare(self, other: Any, op: Any) -> Tensor:
        result = op(self.data, other.data if isinstance(other, Tensor) else other)
        return Tensor.from_array(get_array_module(self.data).asarray(result))

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, operator.lt)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, operator.le)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, operator.gt)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, operator.ge)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, operator.eq)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, operator.ne)

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum over `axis` (all axes when None)."""
        return apply(reduction.Sum(axis, keepdims), self)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Mean over `axis` (all axes when None)."""
        return apply(reduction.Mean(axis, keepdims), self)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Maximum over `axis`; ties share the gradient equally."""
        return apply(reduction.Extremum("max", axis, keepdims), self)

    def min(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Minimum over `axis`; ties share the gradient equally."""
        return apply(reduction.Extremum("min", axis, keepdims), self)

    def argmax(self, axis: int | None = None) -> np.ndarray:
        """Indices of the maxima (an integer array; no gradient)."""
        return self.data.argmax(axis=axis)

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape; accepts ``reshape(2, 3)`` or ``reshape((2, 3))``."""
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        return apply(shape_ops.Reshape(shape), self)

    def transpose(self, *axes: int) -> Tensor:
        """Permute the axes (reverse them when none are given)."""
        if len(axes) == 1 and isinstance(axes[0], tuple | list):
            axes = tuple(axes[0])
        return apply(shape_ops.Transpose(axes or None), self)

    @property
    def T(self) -> Tensor:
        """The transpose (axes reversed)."""
        return apply(shape_ops.Transpose(None), self)

    def flatten(self) -> Tensor:
        """A 1-D tensor of all elements."""
        return apply(shape_ops.Reshape((-1,)), self)

    def exp(self) -> Tensor:
        """e to the power of each element."""
        return apply(elementwise.Exp(), self)

    def log(self) -> Tensor:
        """Natural logarithm of each element."""
        return apply(elementwise.Log(), self)

    def sqrt(self) -> Tensor:
        """Square root of each element."""
        return apply(elementwise.Sqrt(), self)

    def abs(self) -> Tensor:
        """Absolute value of each element."""
        return apply(elementwise.Abs(), self)

    def clip(self, lo: float | None, hi: float | None) -> Tensor:
        """Limit each element to [lo, hi]; the gradient is zero where clipped."""
        return apply(elementwise.Clip(lo, hi), self)

    def astype(self, dtype: Any) -> Tensor:
        """A copy in another dtype (differentiable between float dtypes)."""
        return apply(elementwise.Cast(dtype), self)


def _index_arrays(index: Any) -> Any:
    """An index with every Tensor inside replaced by its array."""
    if isinstance(index, tuple):
        return tuple(_index_arrays(i) for i in index)
    return index.data if isinstance(index, Tensor) else index


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Create a Tensor. Python numbers, lists and integer arrays become float32."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)
