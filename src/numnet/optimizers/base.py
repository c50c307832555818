"""`Optimizer`: updates parameters in place from their `.grad`."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from numnet.autograd.tensor import Tensor
from numnet.optimizers.clipping import clip_by_global_norm, clip_by_norm, clip_by_value
from numnet.optimizers.schedules import SCHEDULES, LearningRateSchedule


class Optimizer:
    """Base class. Subclasses implement `update(param, grad, state, lr)` on arrays.

    `learning_rate` is a number or a schedule (called with the step count). `state` is a
    per-parameter dict (moment estimates, velocities) the optimizer keeps between steps.

    Gradient clipping, as Keras' keyword arguments (see `numnet.optimizers.clipping`);
    every optimizer accepts them and at most one may be set:
    `clipvalue` limits each gradient element to [-clipvalue, clipvalue]; `clipnorm`
    rescales each gradient whose L2 norm exceeds it down to that norm; `global_clipnorm`
    rescales all gradients together when the norm of all of them, as one vector, exceeds it.
    Clipping makes new arrays: `param.grad` is never changed.

    An optimizer whose `update` treats every element on its own, as all the built-in ones
    do, sets `elementwise = True`. `step` then hands `update` a large parameter a block of
    rows at a time (`block_size` elements, with the same rows of the gradient and of the
    state arrays): the same arithmetic, but each block's parameter, gradient and slots stay
    in the CPU's cache through all of the update's passes instead of streaming from memory
    once per pass. One whole-array update is the plain form; tests check the two agree.
    """

    elementwise = False
    block_size = 1 << 16  # 64 Ki elements: a float32 block of 5 arrays is 1.25 MiB

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.01,
        *,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
    ) -> None:
        if not isinstance(learning_rate, LearningRateSchedule):
            check_positive("learning_rate", learning_rate)
        clipping = {
            "clipnorm": clipnorm,
            "clipvalue": clipvalue,
            "global_clipnorm": global_clipnorm,
        }
        given = {name: value for name, value in clipping.items() if value is not None}
        for name, value in given.items():
            check_positive(name, value)
        if len(given) > 1:  # Keras 3 refuses this too: which clipping would apply is unclear
            settings = ", ".join(f"{name}={value}" for name, value in given.items())
            raise ValueError(
                f"set at most one of clipnorm, clipvalue and global_clipnorm, got {settings}"
            )
        self.learning_rate = learning_rate
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.iterations = 0
        self._state: dict[int, dict[str, np.ndarray]] = {}
        self._scratch: dict[np.dtype, np.ndarray] = {}

    @property
    def current_learning_rate(self) -> float:
        """The learning rate the next step will use."""
        if isinstance(self.learning_rate, LearningRateSchedule):
            return float(self.learning_rate(self.iterations))
        return float(self.learning_rate)

    def step(self, params: Iterable[Tensor]) -> None:
        """Apply one update to every parameter that has a gradient."""
        lr = self.current_learning_rate
        self.iterations += 1
        params = [param for param in params if param.grad is not None]
        grads = self.clip_gradients([param.grad for param in params])
        for param, grad in zip(params, grads, strict=True):
            state = self._state.setdefault(id(param), {})
            blocks = row_blocks(param.data.shape, self.block_size) if self.elementwise else []
            if len(blocks) < 2 or not state:  # small, or the first step (it makes the slots)
                self.update(param.data, grad, state, lr)
                continue
            for rows in blocks:
                block_state = {name: array[rows] for name, array in state.items()}
                self.update(param.data[rows], grad[rows], block_state, lr)

    def scratch(self, like: np.ndarray) -> np.ndarray:
        """Work space shaped like `like` for an update's intermediate values, the same
        memory for every block of every parameter: each block's passes then write where the
        previous block's did, in cache, instead of into a full-size array per parameter."""
        buffer = self._scratch.get(like.dtype)
        if buffer is None or buffer.size < like.size:
            buffer = self._scratch[like.dtype] = np.empty_like(like, shape=(like.size,))
        return buffer[: like.size].reshape(like.shape)

    def clip_gradients(self, grads: list[np.ndarray]) -> list[np.ndarray]:
        """`grads` after the clipping asked for in the constructor (the same arrays if none)."""
        if self.clipvalue is not None:
            return clip_by_value(grads, self.clipvalue)
        if self.clipnorm is not None:
            return clip_by_norm(grads, self.clipnorm)
        if self.global_clipnorm is not None:
            return clip_by_global_norm(grads, self.global_clipnorm)
        return grads

    def zero_grad(self, params: Iterable[Tensor]) -> None:
        """Forget the gradients of `params` (call before the next backward)."""
        for param in params:
            param.grad = None

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], lr: float) -> None:
        """Change `param` in place."""
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, for saving."""
        config = {
            k: v for k, v in vars(self).items() if not k.startswith("_") and k != "iterations"
        }
        if isinstance(self.learning_rate, LearningRateSchedule):
            config["learning_rate"] = {
                "class_name": type(self.learning_rate).__name__,
                "config": self.learning_rate.get_config(),
            }
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Optimizer:
        """Rebuild an optimizer from `get_config()`."""
        config = dict(config)
        lr = config.get("learning_rate")
        if isinstance(lr, dict):
            config["learning_rate"] = SCHEDULES[lr["class_name"]](**lr["config"])
        return cls(**config)


def check_positive(name: str, value: float) -> None:
    """Raise a clear ValueError unless value > 0."""
    if not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")


def check_fraction(name: str, value: float) -> None:
    """Raise a clear ValueError unless 0 <= value < 1."""
    if not isinstance(value, int | float) or not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")


def row_blocks(shape: tuple[int, ...], block_size: int) -> list[slice]:
    """Slices of the first axis of an array of `shape`, each about `block_size` elements
    (whole rows; none for a 0-d array)."""
    if not shape or shape[0] == 0:
        return []
    row = math.prod(shape[1:])
    rows = max(1, block_size // max(row, 1))
    return [slice(start, start + rows) for start in range(0, shape[0], rows)]


def slot(state: dict[str, Any], name: str, like: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """The state array `name`, created as `fill`s shaped like `like` on first use (an
    elementwise optimizer's state arrays are all shaped like the parameter)."""
    if name not in state:
        state[name] = np.full_like(like, fill)
    return state[name]
