"""Loss functions. Each returns the mean over the batch (a scalar Tensor).

Targets are constants: one-hot (or probability) arrays shaped like the predictions, or
integer class labels with one axis fewer (for the cross-entropies).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.ops.reduction import row_max
from numnet.autograd.tensor import Tensor, apply, as_tensor
from numnet.backend import get_array_module

_DELTA = 1e-7  # "Deep Learning from Scratch" adds 1e-7 so log(0) cannot happen.


def _array(x: Any) -> np.ndarray:
    """x (targets: a Tensor, an array or a list) as an array of its own array module."""
    data = x.data if isinstance(x, Tensor) else x
    return get_array_module(data).asarray(data)


def _same_shape_targets(name: str, t: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Targets as an array shaped like the predictions ((N,) and (N, 1) are reconciled)."""
    t = _array(t)
    if t.shape != shape:
        if t.size != math.prod(shape):
            raise ValueError(f"{name}: predictions have shape {shape} but targets {t.shape}")
        t = t.reshape(shape)
    return t


def _class_targets(name: str, t: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Targets for a C-class cross-entropy: a dense (N, ..., C) array or integer labels.

    Integer labels are checked against the number of classes so a wrong label gives a
    clear error instead of an index error deep inside NumPy.
    """
    t = _array(t)
    if t.shape == shape:
        return t
    if t.shape == shape[:-1] or (t.ndim == len(shape) and t.shape[-1] == 1):
        labels = t.reshape(shape[:-1])
        if labels.dtype.kind == "f":
            if not (labels == labels.round()).all():
                raise ValueError(f"{name}: integer class labels expected, got fractional values")
            labels = labels.astype(np.int64)
        if labels.dtype.kind not in "iu":
            raise ValueError(f"{name}: class labels must be integers, got dtype {labels.dtype}")
        classes = shape[-1]
        if labels.size and (labels.min() < 0 or labels.max() >= classes):
            bad = labels.min() if labels.min() < 0 else labels.max()
            raise ValueError(
                f"{name}: label {bad} is out of range for {classes} classes (0..{classes - 1})"
            )
        return labels
    raise ValueError(
        f"{name}: predictions have shape {shape}; targets must be one-hot of the same shape "
        f"or integer labels of shape {shape[:-1]}, got {t.shape}"
    )


def _one_hot(labels: np.ndarray, classes: int, dtype: np.dtype) -> np.ndarray:
    xp = get_array_module(labels)
    out = xp.zeros((*labels.shape, classes), dtype=dtype)
    xp.put_along_axis(out, labels[..., None], 1, axis=-1)
    return out


class MeanSquaredError(Function):
    """L = mean((y - t)**2) over all elements; dy = 2 (y - t) / n, dt = -dy."""

    def forward(self, y: np.ndarray, t: np.ndarray) -> np.ndarray:
        self.diff = y - t
        return get_array_module(y).asarray((self.diff * self.diff).mean(), dtype=y.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        grad_y = (2 * grad_out / self.diff.size) * self.diff
        return grad_y, -grad_y


class BinaryCrossEntropy(Function):
    """L = -mean(t log p + (1 - t) log(1 - p)), with p clipped to [1e-7, 1 - 1e-7]."""

    def __init__(self, t: np.ndarray) -> None:
        self.t = t

    def forward(self, p: np.ndarray) -> np.ndarray:
        xp = get_array_module(p)
        self.p = xp.clip(p, _DELTA, 1 - _DELTA)
        t, q = self.t, self.p
        return xp.asarray(-(t * xp.log(q) + (1 - t) * xp.log(1 - q)).mean(), dtype=p.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        t, q = self.t, self.p
        return ((grad_out / q.size) * ((q - t) / (q * (1 - q))).astype(q.dtype),)


class BinaryCrossEntropyWithLogits(Function):
    """L = mean(max(z, 0) - z t + log(1 + exp(-|z|))), the stable form of
    binary_cross_entropy(sigmoid(z), t); dz = (sigmoid(z) - t) / n."""

    def __init__(self, t: np.ndarray) -> None:
        self.t = t

    def forward(self, z: np.ndarray) -> np.ndarray:
        xp = get_array_module(z)
        self.z = z
        loss = xp.maximum(z, 0) - z * self.t + xp.log1p(xp.exp(-xp.abs(z)))
        return xp.asarray(loss.mean(), dtype=z.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        xp = get_array_module(grad_out)
        e = xp.exp(-xp.abs(self.z))
        sigmoid = xp.where(self.z >= 0, 1, e) / (1 + e)
        return ((grad_out / self.z.size) * (sigmoid - self.t).astype(self.z.dtype),)


class CrossEntropyError(Function):
    """L = -sum(t log(y + 1e-7)) / N for probabilities y, the book's cross_entropy_error."""

    def __init__(self, t: np.ndarray) -> None:
        self.t = t

    def forward(self, y: np.ndarray) -> np.ndarray:
        xp = get_array_module(y)
        self.y = y
        self.batch = y.size // y.shape[-1]
        if self.t.shape == y.shape:
            total = (self.t * xp.log(y + _DELTA)).sum()
        else:
            picked = xp.take_along_axis(y, self.t[..., None], axis=-1)
            total = xp.log(picked + _DELTA).sum()
        return xp.asarray(-total / self.batch, dtype=y.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        t = self.t
        if t.shape != self.y.shape:
            t = _one_hot(t, self.y.shape[-1], self.y.dtype)
        return ((-grad_out / self.batch) * t / (self.y + _DELTA),)


class SoftmaxCrossEntropy(Function):
    """L = cross-entropy of softmax(z), fused: log-softmax never takes log of 0, and the
    gradient is the famous (softmax(z) - t) / N."""

    def __init__(self, t: np.ndarray) -> None:
        self.t = t

    def forward(self, z: np.ndarray) -> np.ndarray:
        xp = get_array_module(z)
        shifted = z - row_max(z)
        log_sum = xp.log(xp.exp(shifted).sum(axis=-1, keepdims=True))
        log_p = shifted - log_sum
        self.softmax = xp.exp(log_p)
        self.batch = z.size // z.shape[-1]
        if self.t.shape == z.shape:
            total = (self.t * log_p).sum()
        else:
            # Row i's true class, in the (samples, classes) view: DLFS's [arange(N), t].
            self.at_label = (xp.arange(self.batch), self.t.reshape(-1))
            total = log_p.reshape(self.batch, -1)[self.at_label].sum()
        return xp.asarray(-total / self.batch, dtype=z.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        p = self.softmax
        if self.t.shape == p.shape:
            # d/dz of -sum(t log softmax z) is softmax * sum(t) - t (sum(t) = 1 for one-hot).
            grad = p * self.t.sum(axis=-1, keepdims=True) - self.t
        else:
            grad = p.copy()
            grad.reshape(self.batch, -1)[self.at_label] -= 1
        return ((grad_out / self.batch) * grad.astype(p.dtype, copy=False),)


def mean_squared_error(y: Any, t: Any) -> Tensor:
    """Mean of the squared differences between predictions y and targets t.

    Both sides are differentiable (t may be a Tensor that requires grad).
    """
    y = as_tensor(y)
    if getattr(t, "requires_grad", False):
        if t.shape != y.shape:
            raise ValueError(
                f"mean_squared_error: predictions have shape {y.shape} but targets {t.shape}"
            )
        return apply(MeanSquaredError(), y, t)
    return apply(MeanSquaredError(), y, _same_shape_targets("mean_squared_error", t, y.shape))


def binary_cross_entropy(p: Any, t: Any) -> Tensor:
    """Cross-entropy of probabilities p against 0/1 targets t."""
    p = as_tensor(p)
    return apply(BinaryCrossEntropy(_same_shape_targets("binary_cross_entropy", t, p.shape)), p)


def binary_cross_entropy_with_logits(z: Any, t: Any) -> Tensor:
    """binary_cross_entropy(sigmoid(z), t), computed stably from the logits z."""
    z = as_tensor(z)
    targets = _same_shape_targets("binary_cross_entropy_with_logits", t, z.shape)
    return apply(BinaryCrossEntropyWithLogits(targets), z)


def cross_entropy_error(y: Any, t: Any) -> Tensor:
    """Cross-entropy of probabilities y (N, C) against one-hot or integer targets t."""
    y = as_tensor(y)
    if y.ndim == 1:  # a single sample, as in the book
        t = _array(t)
        t = t.reshape(1, -1) if t.size == y.shape[0] else t.reshape(1)
        y = y.reshape(1, y.shape[0])
    return apply(CrossEntropyError(_class_targets("cross_entropy_error", t, y.shape)), y)


def softmax_cross_entropy(logits: Any, t: Any) -> Tensor:
    """Cross-entropy of softmax(logits) against one-hot or integer targets, fused and stable."""
    logits = as_tensor(logits)
    targets = _class_targets("softmax_cross_entropy", t, logits.shape)
    return apply(SoftmaxCrossEntropy(targets), logits)
