"""Matrix products: matmul and the fully connected layer's affine map.

The ops are in `numnet.autograd.ops.linalg`, below Tensor, whose `@` uses MatMul;
these are their lowercase wrappers.
"""

from __future__ import annotations

from typing import Any

from numnet.autograd.ops.linalg import Linear, MatMul
from numnet.autograd.tensor import Tensor, apply


def matmul(a: Any, b: Any) -> Tensor:
    """Matrix product a @ b, batched over leading axes as in NumPy."""
    return apply(MatMul(), a, b)


def linear(x: Any, W: Any, b: Any = None) -> Tensor:
    """x @ W + b with W of shape (in_features, out_features)."""
    if b is None:
        return apply(Linear(), x, W)
    return apply(Linear(), x, W, b)
