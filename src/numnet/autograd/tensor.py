"""`Tensor`: an array that remembers how it was computed, so it can be differentiated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from numnet.autograd import graph
from numnet.functional import elementwise, linalg, reduction
from numnet.functional import shape as shape_ops

if TYPE_CHECKING:
    from numnet.autograd.function import Function

Axis = int | tuple[int, ...] | None


def to_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Convert `data` to an array: NumPy float arrays keep their dtype; Python numbers,
    lists and integer or boolean arrays become float32."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    if isinstance(data, np.ndarray | np.floating) and data.dtype.kind == "f":
        return np.asarray(data)
    return np.asarray(data, dtype=np.float32)


def as_tensor(x: Any, like: np.dtype | None = None) -> Tensor:
    """Return `x` as a Tensor; a Python number takes the dtype `like` when given."""
    if isinstance(x, Tensor):
        return x
    if like is not None and isinstance(x, int | float):
        return Tensor.from_array(np.asarray(x, dtype=like))
    return Tensor.from_array(to_array(x))


class Tensor:
    """An n-dimensional array with an optional gradient.

    `data` is the backing NumPy array, `grad` the gradient of the last `backward()` call
    with respect to this tensor (leaves with ``requires_grad=True`` only), and `creator`
    the `Function` that computed it (None for leaves).
    """

    __slots__ = ("__weakref__", "creator", "data", "grad", "name", "requires_grad", "retains_grad")
    # Make `ndarray + Tensor` call Tensor.__radd__ instead of converting the Tensor.
    __array_priority__ = 100.0

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, name: str | None = None
    ) -> None:
        self.data: np.ndarray = to_array(data, dtype)
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

    # --- array-like attributes -------------------------------------------------------
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

    # --- autograd ----------------------------------------------------------------------
    def backward(self, grad: Any = None) -> None:
        """Accumulate d self / d leaf into `.grad` of every leaf that requires grad.

        A scalar (one-element) tensor needs no `grad`; otherwise pass the gradient of the
        final loss with respect to this tensor, an array or Tensor of the same shape.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() called on a tensor that does not require grad: create the "
                "inputs with requires_grad=True and compute outside no_grad()"
            )
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() needs a `grad` argument for a non-scalar tensor of shape "
                    f"{self.shape}; only one-element outputs get the implicit grad 1"
                )
            seed = np.ones_like(self.data)
        else:
            seed = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=self.dtype)
            if seed.shape != self.shape:
                raise ValueError(f"grad has shape {seed.shape} but the tensor has {self.shape}")
        graph.backward(self, seed)

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

    # --- operators ---------------------------------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        return elementwise.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return elementwise.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return elementwise.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return elementwise.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return elementwise.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return elementwise.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return elementwise.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return elementwise.div(other, self)

    def __pow__(self, exponent: Any) -> Tensor:
        return elementwise.pow(self, exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return elementwise.pow(base, self)

    def __matmul__(self, other: Any) -> Tensor:
        return linalg.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return linalg.matmul(other, self)

    def __neg__(self) -> Tensor:
        return elementwise.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __getitem__(self, index: Any) -> Tensor:
        return shape_ops.getitem(self, index)

    # Comparisons give boolean tensors that carry no gradient.
    def _compare(self, other: Any, op: Any) -> Tensor:
        other_data = other.data if isinstance(other, Tensor) else other
        return Tensor.from_array(np.asarray(op(self.data, other_data)))

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.not_equal)

    # --- methods -----------------------------------------------------------------------
    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum over `axis` (all axes when None)."""
        return reduction.sum(self, axis, keepdims)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Mean over `axis` (all axes when None)."""
        return reduction.mean(self, axis, keepdims)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Maximum over `axis`; ties share the gradient equally."""
        return reduction.max(self, axis, keepdims)

    def min(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Minimum over `axis`; ties share the gradient equally."""
        return reduction.min(self, axis, keepdims)

    def argmax(self, axis: int | None = None) -> np.ndarray:
        """Indices of the maxima (an integer array; no gradient)."""
        return self.data.argmax(axis=axis)

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape; accepts ``reshape(2, 3)`` or ``reshape((2, 3))``."""
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        return shape_ops.reshape(self, shape)

    def transpose(self, *axes: int) -> Tensor:
        """Permute the axes (reverse them when none are given)."""
        if len(axes) == 1 and isinstance(axes[0], tuple | list):
            axes = tuple(axes[0])
        return shape_ops.transpose(self, axes or None)

    @property
    def T(self) -> Tensor:
        """The transpose (axes reversed)."""
        return shape_ops.transpose(self, None)

    def flatten(self) -> Tensor:
        """A 1-D tensor of all elements."""
        return shape_ops.reshape(self, (-1,))

    def exp(self) -> Tensor:
        """e to the power of each element."""
        return elementwise.exp(self)

    def log(self) -> Tensor:
        """Natural logarithm of each element."""
        return elementwise.log(self)

    def sqrt(self) -> Tensor:
        """Square root of each element."""
        return elementwise.sqrt(self)

    def abs(self) -> Tensor:
        """Absolute value of each element."""
        return elementwise.abs(self)

    def clip(self, lo: float | None, hi: float | None) -> Tensor:
        """Limit each element to [lo, hi]; the gradient is zero where clipped."""
        return elementwise.clip(self, lo, hi)

    def astype(self, dtype: Any) -> Tensor:
        """A copy in another dtype (differentiable between float dtypes)."""
        return elementwise.cast(self, dtype)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Create a Tensor. Python numbers, lists and integer arrays become float32."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)
