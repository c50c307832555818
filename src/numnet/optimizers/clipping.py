"""Gradient clipping: bound the size of a step before the optimizer's update rule sees it.

Exploding gradients (Pascanu, Mikolov & Bengio 2013, "On the difficulty of training
recurrent neural networks") make one bad batch throw the weights far away; clipping keeps
the direction of the gradient but limits how far a single step can go. The three forms
are Keras' optimizer arguments:

- ``clipvalue=v``: each element to [-v, v] (changes the direction a little);
- ``clipnorm=c``: each gradient g to g * c / max(||g||, c), so ||g|| <= c;
- ``global_clipnorm=c``: every gradient g_i to g_i * c / max(N, c), where
  N = sqrt(sum_i ||g_i||**2) is the norm of all gradients taken as one vector, so the
  relative sizes of the gradients are kept.

Every function returns new arrays and leaves the gradients it was given unchanged.
"""

from __future__ import annotations

import math

import numpy as np


def l2_norm(grad: np.ndarray) -> float:
    """sqrt(sum(grad**2)), summed in float64 so a large float32 gradient cannot overflow."""
    return math.sqrt(float(np.sum(np.square(grad, dtype=np.float64))))


def clip_by_value(grads: list[np.ndarray], clipvalue: float) -> list[np.ndarray]:
    """Every element of every gradient limited to [-clipvalue, clipvalue]."""
    return [np.clip(grad, -clipvalue, clipvalue) for grad in grads]


def clip_by_norm(grads: list[np.ndarray], clipnorm: float) -> list[np.ndarray]:
    """Each gradient rescaled on its own so its L2 norm is at most `clipnorm`."""
    return [_scaled(grad, clipnorm / max(l2_norm(grad), clipnorm)) for grad in grads]


def clip_by_global_norm(grads: list[np.ndarray], clipnorm: float) -> list[np.ndarray]:
    """All gradients rescaled by one factor so their global norm is at most `clipnorm`."""
    global_norm = math.sqrt(sum(l2_norm(grad) ** 2 for grad in grads))
    scale = clipnorm / max(global_norm, clipnorm)
    return [_scaled(grad, scale) for grad in grads]


def _scaled(grad: np.ndarray, scale: float) -> np.ndarray:
    # A new array in the gradient's own dtype (float32 stays float32), even when scale is 1.
    return grad * np.asarray(scale, dtype=grad.dtype)
