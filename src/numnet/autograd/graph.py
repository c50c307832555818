"""Backpropagation: an iterative walk over the recorded graph, and un-broadcasting.

The walk visits every tensor after all the tensors computed from it, so each op's
backward runs once, with the sum of the gradients of all its consumers (the chain rule
plus the "branch" rule of a computational graph). It uses an explicit stack, never
recursion, so a chain of any depth (a long RNN unroll) backpropagates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from numnet.backend import get_array_module

if TYPE_CHECKING:
    from numnet.autograd.tensor import Tensor


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` over the axes NumPy broadcast, so it gets back the input's `shape`."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1
    )
    return grad.sum(axis=axes, keepdims=True).reshape(shape)


def topological_order(root: Tensor) -> list[Tensor]:
    """Tensors of root's graph that need a gradient, each after every tensor it feeds."""
    order: list[Tensor] = []
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        if node.creator is not None:
            stack.extend((t, False) for t in node.creator.inputs if t.requires_grad)
    order.reverse()
    return order


def _seed(root: Tensor, grad: Any) -> np.ndarray:
    """The gradient backward starts from, checked against root."""
    if not root.requires_grad:
        raise RuntimeError(
            "backward() called on a tensor that does not require grad: create the "
            "inputs with requires_grad=True and compute outside no_grad()"
        )
    xp = get_array_module(root.data)
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward() needs a `grad` argument for a non-scalar tensor of shape "
                f"{root.shape}; only one-element outputs get the implicit grad 1"
            )
        return xp.ones_like(root.data)
    seed = xp.asarray(grad, dtype=root.dtype)
    if seed.shape != root.shape:
        raise ValueError(f"grad has shape {seed.shape} but the tensor has {root.shape}")
    return seed


def _keep(grad: np.ndarray, old: np.ndarray | None, leaf: bool, stored: set[int]) -> np.ndarray:
    """The array a tensor's `.grad` becomes: the sum with what it held, or `grad` itself.

    A tensor's `.grad` must never share memory with another's (or with the caller's
    `grad`), or changing one would change the other. So `grad` is copied when it is a view,
    was stored already, or belongs to a tensor that keeps its gradient (`retain_grad`):
    its consumers may still read it. A fresh array reaching a leaf (a weight's gradient
    from a matrix product, say) is nobody else's and is stored as it is: no copy of every
    weight's gradient at every step.
    """
    if old is not None:
        return old + grad
    if not leaf or grad.base is not None or id(grad) in stored:
        grad = grad.copy()
    stored.add(id(grad))
    return grad


def backward(root: Tensor, grad: Any = None) -> None:
    """Propagate `grad` (d loss / d root) to every leaf of root's graph that requires grad.

    `grad` is an array of root's shape; it may be None for a one-element root, whose
    gradient with respect to itself is 1. Leaves accumulate into `.grad`; intermediate
    tensors keep theirs only after `retain_grad()`.
    """
    seed = _seed(root, grad)
    grads: dict[int, np.ndarray] = {id(root): seed}
    stored: set[int] = {id(seed)}  # arrays a tensor's .grad may not share: copy those
    for node in topological_order(root):
        grad_node = grads.pop(id(node), None)
        if grad_node is None:
            continue
        fn = node.creator
        if fn is None or node.retains_grad:
            node.grad = _keep(grad_node, node.grad, fn is None, stored)
        if fn is None:
            continue
        for tensor, grad_input in zip(fn.inputs, fn.backward(grad_node), strict=True):
            if grad_input is None or not tensor.requires_grad:
                continue
            key = id(tensor)
            grads[key] = grad_input if key not in grads else grads[key] + grad_input
