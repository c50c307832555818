"""Batch normalisation (Ioffe & Szegedy 2015)."""

from __future__ import annotations

from typing import Any

import numpy as np

from numnet.autograd.function import Function
from numnet.autograd.tensor import Tensor, apply
from numnet.backend import get_array_module


def _reduce_axes(ndim: int, axis: int) -> tuple[int, ...]:
    """Every axis but the feature axis: statistics are per feature (per channel)."""
    axis %= ndim
    return tuple(a for a in range(ndim) if a != axis)


def _sum_of_products(a: np.ndarray, b: np.ndarray, axis: int) -> np.ndarray:
    """(a * b) summed over every axis but `axis`, without making the product array."""
    letters = "abcdefghijklmnopqrstuvwxyz"[: a.ndim]
    return get_array_module(a).einsum(f"{letters},{letters}->{letters[axis % a.ndim]}", a, b)


def _broadcastable(v: np.ndarray, ndim: int, axis: int) -> np.ndarray:
    """Shape a per-feature vector so it broadcasts along `axis` of an ndim array."""
    shape = [1] * ndim
    shape[axis % ndim] = -1
    return v.reshape(shape)


class BatchNormTrain(Function):
    """Training form: normalise with the batch's own mean and variance.

    x_hat = (x - mu) / sqrt(var + eps), y = gamma * x_hat + beta. Backward, with m the
    number of values per feature:
    dx = (gamma / sqrt(var + eps)) * (dy - mean(dy) - x_hat * mean(dy * x_hat)).
    """

    def __init__(self, eps: float, axis: int) -> None:
        self.eps, self.axis = eps, axis

    def forward(self, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
        xp, axes = get_array_module(x), _reduce_axes(x.ndim, self.axis)
        self.mean = x.mean(axis=axes)
        # x_hat is built in one buffer: centre, take the variance from it, then scale.
        x_hat = x - _broadcastable(self.mean, x.ndim, self.axis)
        self.var = _sum_of_products(x_hat, x_hat, self.axis) / (x.size // self.mean.size)
        inv_std = 1 / xp.sqrt(self.var + self.eps)
        self.inv_std = _broadcastable(inv_std, x.ndim, self.axis).astype(x.dtype)
        x_hat *= self.inv_std
        self.x_hat, self.gamma = x_hat, _broadcastable(gamma, x.ndim, self.axis)
        y = x_hat * self.gamma
        y += _broadcastable(beta, x.ndim, self.axis)
        return y

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        axes = _reduce_axes(grad_out.ndim, self.axis)
        x_hat = self.x_hat
        grad_beta = grad_out.sum(axis=axes)
        grad_gamma = _sum_of_products(grad_out, x_hat, self.axis)
        grad_x = None
        if self.needs_input_grad[0]:
            m = grad_out.size // grad_beta.size
            mean_dy = _broadcastable(grad_beta / m, grad_out.ndim, self.axis)
            mean_dy_xhat = _broadcastable(grad_gamma / m, grad_out.ndim, self.axis)
            # (gamma / std) * (dy - mean(dy) - x_hat * mean(dy * x_hat)), in one new buffer
            grad_x = x_hat * -mean_dy_xhat
            grad_x += grad_out
            grad_x -= mean_dy
            grad_x *= self.gamma * self.inv_std
        return grad_x, grad_gamma, grad_beta


def inference_affine(
    gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray, var: np.ndarray, eps: float, dtype: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Batch norm's inference form as y = x * scale + shift: the per-feature vectors
    scale = gamma / sqrt(var + eps) and shift = beta - mean * scale, in `dtype`."""
    scale = (gamma * (1 / get_array_module(gamma).sqrt(var + eps))).astype(dtype, copy=False)
    return scale, (beta - mean * scale).astype(dtype, copy=False)


class BatchNormInference(Function):
    """Inference form: normalise with fixed running statistics, which makes batch norm an
    affine map y = x * scale + shift with scale = gamma / sqrt(var + eps) and
    shift = beta - mean * scale, computed once per call on the small per-feature vectors."""

    def __init__(self, mean: np.ndarray, var: np.ndarray, eps: float, axis: int) -> None:
        self.mean, self.var, self.eps, self.axis = mean, var, eps, axis

    def forward(self, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
        self.x, self.inv_std = x, 1 / get_array_module(x).sqrt(self.var + self.eps)
        scale, shift = inference_affine(gamma, beta, self.mean, self.var, self.eps, x.dtype)
        self.scale = _broadcastable(scale, x.ndim, self.axis)
        y = x * self.scale
        y += _broadcastable(shift, x.ndim, self.axis)
        return y

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, ...]:
        axes = _reduce_axes(grad_out.ndim, self.axis)
        ndim = grad_out.ndim
        x_hat = (self.x - _broadcastable(self.mean, ndim, self.axis)) * _broadcastable(
            self.inv_std, ndim, self.axis
        )
        return grad_out * self.scale, (grad_out * x_hat).sum(axis=axes), grad_out.sum(axis=axes)


def batch_norm(
    x: Any,
    gamma: Any,
    beta: Any,
    running_mean: np.ndarray | None = None,
    running_var: np.ndarray | None = None,
    training: bool = True,
    momentum: float = 0.99,
    eps: float = 1e-3,
    axis: int = -1,
) -> Tensor:
    """Normalise x per feature (the `axis` axis), then scale by gamma and shift by beta.

    Training uses the batch statistics and, when running arrays are given, updates them
    in place as Keras does: running = momentum * running + (1 - momentum) * batch.
    Inference (training=False) uses the running statistics.
    """
    if not training:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm in inference needs running_mean and running_var")
        return apply(BatchNormInference(running_mean, running_var, eps, axis), x, gamma, beta)
    op = BatchNormTrain(eps, axis)
    y = apply(op, x, gamma, beta)
    if running_mean is not None and running_var is not None:
        running_mean *= momentum
        running_mean += (1 - momentum) * op.mean
        running_var *= momentum
        running_var += (1 - momentum) * op.var
    return y
