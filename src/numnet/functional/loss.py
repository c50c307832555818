"""Loss functions. Each returns the mean over the batch (a scalar Tensor).

Targets are constants: one-hot (or probability) arrays shaped like the predictions, or
integer class labels with one axis fewer (for the cross-entropies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from numnet.autograd.function import Function

if TYPE_CHECKING:
    from numnet.autograd.tensor import Tensor

_DELTA = 1e-7  # "Deep Learning from Scratch" adds 1e-7 so log(0) cannot happen.


def _same_shape_targets(name: str, t: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Targets as an array shaped like the predictions ((N,) and (N, 1) are reconciled)."""
    t = np.asarray(getattr(t, "data", t))
    if t.shape != shape:
        if t.size != int(np.prod(shape)):
            raise ValueError(f"{name}: predictions have shape {shape} but targets {t.shape}")
        t = t.reshape(shape)
    return t


def _class_targets(name: str, t: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Targets for a C-class cross-entropy: a dense (N, ..., C) array or integer labels.

    Integer labels are checked against the number of classes so a wrong label gives a
    clear error instead of an index error deep inside NumPy.
    """
    t = np.asarray(getattr(t, "data", t))
    if t.shape == shape:
        return t
    if t.shape == shape[:-1] or (t.ndim == len(shape) and t.shape[-1] == 1):
        labels = t.reshape(shape[:-1])
        if labels.dtype.kind == "f":
            if not np.all(labels == np.round(labels)):
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
    out = np.zeros((*labels.shape, classes), dtype=dtype)
    np.put_along_axis(out, labels[..., None], 1, axis=-1)
    return out


class MeanSquaredError(Function):
    """L = mean((y - t)**2) over all elements; dy = 2 (y - t) / n, dt = -dy."""

    def forward(self, y: np.ndarray, t: np.ndarray) -> np.ndarray:
        self.diff = y - t
        return np.asarray(np.mean(self.diff * self.diff), dtype=y.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        grad_y = (2 * grad_out / self.diff.size) * self.diff
        return grad_y, -grad_y


class BinaryCrossEntropy(Function):
    """L = -mean(t log p + (1 - t) log(1 - p)), with p clipped to [1e-7, 1 - 1e-7]."""

    def __init__(self, t: np.ndarray) -> None:
        self.t = t

    def forward(self, p: np.ndarray) -> np.ndarray:
        self.p = np.clip(p, _DELTA, 1 - _DELTA)
        t, q = self.t, self.p
        return np.asarray(-np.mean(t * np.log(q) + (1 - t) * np.log(1 - q)), dtype=p.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        t, q = self.t, self.p
        return ((grad_out / q.size) * ((q - t) / (q * (1 - q))).astype(q.dtype),)


class BinaryCrossEntropyWithLogits(Function):
    """L = mean(max(z, 0) - z t + log(1 + exp(-|z|))), the stable form of
    binary_cross_entropy(sigmoid(z), t); dz = (sigmoid(z) - t) / n."""

    def __init__(self, t: np.ndarray) -> None:
        self.t = t

    def forward(self, z: np.ndarray) -> np.ndarray:
        self.z = z
        loss = np.maximum(z, 0) - z * self.t + np.log1p(np.exp(-np.abs(z)))
        return np.asarray(loss.mean(), dtype=z.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        e = np.exp(-np.abs(self.z))
        sigmoid = np.where(self.z >= 0, 1, e) / (1 + e)
        return ((grad_out / self.z.size) * (sigmoid - self.t).astype(self.z.dtype),)


class CrossEntropyError(Function):
    """L = -sum(t log(y + 1e-7)) / N for probabilities y, the book's cross_entropy_error."""

    def __init__(self, t: np.ndarray) -> None:
        self.t = t

    def forward(self, y: np.ndarray) -> np.ndarray:
        self.y = y
        self.batch = y.size // y.shape[-1]
        if self.t.shape == y.shape:
            total = np.sum(self.t * np.log(y + _DELTA))
        else:
            picked = np.take_along_axis(y, self.t[..., None], axis=-1)
            total = np.sum(np.log(picked + _DELTA))
        return np.asarray(-total / self.batch, dtype=y.dtype)

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
        shifted = z - z.max(axis=-1, keepdims=True)
        log_sum = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        log_p = shifted - log_sum
        self.softmax = np.exp(log_p)
        self.batch = z.size // z.shape[-1]
        if self.t.shape == z.shape:
            total = np.sum(self.t * log_p)
        else:
            total = np.sum(np.take_along_axis(log_p, self.t[..., None], axis=-1))
        return np.asarray(-total / self.batch, dtype=z.dtype)

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        p = self.softmax
        if self.t.shape == p.shape:
            # d/dz of -sum(t log softmax z) is softmax * sum(t) - t (sum(t) = 1 for one-hot).
            grad = p * self.t.sum(axis=-1, keepdims=True) - self.t
        else:
            grad = p.copy()
            index = self.t[..., None]
            np.put_along_axis(grad, index, np.take_along_axis(p, index, axis=-1) - 1, axis=-1)
        return ((grad_out / self.batch) * grad.astype(p.dtype, copy=False),)


def mean_squared_error(y: Any, t: Any) -> Tensor:
    """Mean of the squared differences between predictions y and targets t.

    Both sides are differentiable (t may be a Tensor that requires grad).
    """
    shape = np.shape(getattr(y, "data", y))
    if getattr(t, "requires_grad", False):
        if t.shape != shape:
            raise ValueError(
                f"mean_squared_error: predictions have shape {shape} but targets {t.shape}"
            )
        return MeanSquaredError()(y, t)
    return MeanSquaredError()(y, _same_shape_targets("mean_squared_error", t, shape))


def binary_cross_entropy(p: Any, t: Any) -> Tensor:
    """Cross-entropy of probabilities p against 0/1 targets t."""
    shape = np.shape(getattr(p, "data", p))
    return BinaryCrossEntropy(_same_shape_targets("binary_cross_entropy", t, shape))(p)


def binary_cross_entropy_with_logits(z: Any, t: Any) -> Tensor:
    """binary_cross_entropy(sigmoid(z), t), computed stably from the logits z."""
    shape = np.shape(getattr(z, "data", z))
    return BinaryCrossEntropyWithLogits(
        _same_shape_targets("binary_cross_entropy_with_logits", t, shape)
    )(z)


def cross_entropy_error(y: Any, t: Any) -> Tensor:
    """Cross-entropy of probabilities y (N, C) against one-hot or integer targets t."""
    shape = np.shape(getattr(y, "data", y))
    if len(shape) == 1:  # a single sample, as in the book
        y = y if hasattr(y, "reshape") else np.asarray(y)
        y = y.reshape(1, shape[0])
        t = np.asarray(getattr(t, "data", t))
        t = t.reshape(1, -1) if t.size == shape[0] else t.reshape(1)
        shape = (1, shape[0])
    return CrossEntropyError(_class_targets("cross_entropy_error", t, shape))(y)


def softmax_cross_entropy(logits: Any, t: Any) -> Tensor:
    """Cross-entropy of softmax(logits) against one-hot or integer targets, fused and stable."""
    shape = np.shape(getattr(logits, "data", logits))
    return SoftmaxCrossEntropy(_class_targets("softmax_cross_entropy", t, shape))(logits)
