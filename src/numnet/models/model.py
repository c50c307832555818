"""`Model`: a network you can train with compile/fit, or drive from your own loop.

Subclass it and write `call(x)` (layers assigned as attributes are found automatically,
in definition order), or use `Sequential`. `fit` is a plain loop over mini-batches;
everything around it (history, progress bar, early stopping, checkpoints, schedules)
is a callback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from numnet import losses as losses_module
from numnet import metrics as metrics_module
from numnet import optimizers, random
from numnet.autograd.mode import no_grad
from numnet.autograd.tensor import Tensor, as_tensor
from numnet.datasets.loader import DataLoader
from numnet.layers.base import Layer
from numnet.models import callbacks as callbacks_module
from numnet.models import saving
from numnet.models.summary import summary_lines
from numnet.progbar import Progbar


def _snake_case(name: str) -> str:
    """Keras' layer names: Dense -> dense, Conv2D -> conv2d, MaxPooling2D -> max_pooling2d."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _as_array(data: Any, name: str) -> np.ndarray:
    array = np.asarray(data.data if isinstance(data, Tensor) else data)
    if array.ndim == 0:
        raise ValueError(f"{name} must be an array of samples, got a scalar")
    return array


class Model:
    """Base class of trainable networks."""

    def __init__(self, name: str | None = None, dtype: Any = None) -> None:
        self.name = name or _snake_case(type(self).__name__)
        self.dtype = np.dtype(dtype) if dtype is not None else None
        self.optimizer: optimizers.Optimizer | None = None
        self.loss: losses_module.Loss | None = None
        self.metrics: list[metrics_module.Metric] = []
        self.stop_training = False
        self.training = False
        self.fit_state: dict[str, Any] = {}
        self.sample_shape: tuple[int, ...] | None = None  # recorded at the first call

    # --- structure -----------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        """Layers assigned as attributes (or in lists of attributes), in definition order."""
        found: list[Layer] = []
        for value in vars(self).values():
            items = value if isinstance(value, list | tuple) else [value]
            for item in items:
                if isinstance(item, Model):
                    found.extend(item.layers)
                elif isinstance(item, Layer):
                    found.append(item)
        self._name_layers(found)
        return found

    @staticmethod
    def _name_layers(layers: Sequence[Layer]) -> None:
        """Give unnamed layers Keras-style names, unique within the model: dense, dense_1."""
        taken = {layer.name for layer in layers if layer.name}
        for layer in layers:
            if layer.name:
                continue
            base = _snake_case(type(layer).__name__)
            name, n = base, 0
            while name in taken:
                n += 1
                name = f"{base}_{n}"
            layer.name = name
            taken.add(name)

    def call(self, x: Tensor) -> Tensor:
        """The forward computation (override in subclasses)."""
        raise NotImplementedError("subclasses of Model implement call(x)")

    def __call__(self, x: Any, training: bool | None = None) -> Tensor:
        x = as_tensor(x)
        if self.sample_shape is None:
            self.sample_shape = tuple(x.shape[1:])
        if training is None or training == self.training:
            return self.call(x)
        previous = self.training
        self.train(training)
        try:
            return self.call(x)
        finally:
            self.train(previous)

    def build(self, sample_shape: tuple[int | None, ...]) -> None:
        """Create every layer's weights by running one zero sample of this shape.

        A leading None is the batch axis, as in Keras' `model.build((None, 784))`."""
        if sample_shape and sample_shape[0] is None:
            sample_shape = tuple(sample_shape[1:])
        if any(not isinstance(size, int | np.integer) or size < 1 for size in sample_shape):
            raise ValueError(
                f"build() takes the shape of one sample, like (784,) or (None, 784); got "
                f"{tuple(sample_shape)}"
            )
        was_training = self.training
        self.eval()
        with no_grad():
            self(np.zeros((1, *sample_shape), dtype=self.dtype or np.float32))
        self.train(was_training)

    def train(self, mode: bool = True) -> Model:
        """Put every layer in training mode (dropout active, batch statistics)."""
        self.training = mode
        for layer in self.layers:
            layer.training = mode
        return self

    def eval(self) -> Model:
        """Put every layer in inference mode."""
        return self.train(False)

    # --- weights -------------------------------------------------------------------------
    def parameters(self) -> list[Tensor]:
        """Trainable weights, layer by layer in definition order."""
        return [p for layer in self.layers for p in layer.parameters()]

    @property
    def weights(self) -> list[Tensor]:
        """All weights, running statistics included."""
        return [w for layer in self.layers for w in layer.weights]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of all weight arrays."""
        return [w.data.copy() for w in self.weights]

    def set_weights(self, arrays: Sequence[np.ndarray]) -> None:
        """Load weight arrays (in `get_weights` order) into the built model."""
        weights = self.weights
        if len(arrays) != len(weights):
            raise ValueError(
                f"model {self.name!r} has {len(weights)} weights, got {len(arrays)} arrays"
            )
        for weight, array in zip(weights, arrays, strict=True):
            array = np.asarray(array)
            if array.shape != weight.shape:
                raise ValueError(
                    f"weight {weight.name} has shape {weight.shape}, got {array.shape}"
                )
            weight.data[...] = array

    def count_params(self) -> int:
        """Number of scalars in all weights."""
        return sum(w.size for w in self.weights)

    def regularization_loss(self) -> Tensor | None:
        """Sum of all layers' weight penalties (None without regularizers)."""
        total = None
        for layer in self.layers:
            term = layer.regularization_loss()
            if term is not None:
                total = term if total is None else total + term
        return total

    # --- compile / fit / evaluate / predict ----------------------------------------------
    def compile(
        self,
        optimizer: str | optimizers.Optimizer = "rmsprop",
        loss: str | losses_module.Loss | None = None,
        metrics: Iterable[str | metrics_module.Metric] | None = None,
    ) -> None:
        """Choose the optimizer, the loss and the metrics reported by fit/evaluate."""
        if loss is None:
            raise ValueError(
                f"compile needs a loss; valid names: {', '.join(sorted(losses_module.LOSSES))}"
            )
        self.optimizer = optimizers.get(optimizer)
        self.loss = losses_module.get(loss)
        self.metrics = [metrics_module.get(m) for m in metrics or []]

    def _input_array(self, x: Any) -> np.ndarray:
        """x as an array in the model's float dtype (float32 unless the model says otherwise)."""
        array = _as_array(x, "x")
        dtype = self.dtype or next((w.dtype for w in self.weights), np.dtype(np.float32))
        return array if array.dtype == dtype else array.astype(dtype)

    def _check_compiled(self) -> tuple[optimizers.Optimizer, losses_module.Loss]:
        if self.optimizer is None or self.loss is None:
            raise RuntimeError("call model.compile(optimizer, loss, metrics) before fit/evaluate")
        return self.optimizer, self.loss

    def compute_loss(self, y: Any, y_pred: Tensor) -> Tensor:
        """The compiled loss plus the weight penalties (what Keras reports as `loss`)."""
        _, loss_fn = self._check_compiled()
        loss = loss_fn(y, y_pred)
        penalty = self.regularization_loss()
        return loss if penalty is None else loss + penalty

    def train_step(self, x: np.ndarray, y: np.ndarray) -> float:
        """One mini-batch: forward, loss, backward, update. Returns the batch loss."""
        optimizer, _ = self._check_compiled()
        params = self.parameters()
        y_pred = self(x)
        loss = self.compute_loss(y, y_pred)
        optimizer.zero_grad(params)
        loss.backward()
        optimizer.step(params)
        for metric in self.metrics:
            metric.update(y, y_pred.data)
        return float(loss.data)

    def fit(
        self,
        x: Any,
        y: Any,
        batch_size: int = 32,
        epochs: int = 1,
        verbose: int = 1,
        validation_data: tuple[Any, Any] | None = None,
        validation_split: float = 0.0,
        shuffle: bool = True,
        callbacks: Iterable[callbacks_module.Callback] | None = None,
        initial_epoch: int = 0,
        seed: int | None = None,
    ) -> callbacks_module.History:
        """Train for `epochs` passes over (x, y); returns a History of per-epoch metrics."""
        self._check_compiled()
        x, y = self._input_array(x), _as_array(y, "y")
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} samples but y has {len(y)}; they must match")
        if not 0 <= validation_split < 1:
            raise ValueError(f"validation_split must be in [0, 1), got {validation_split}")
        if validation_split and validation_data is None:  # Keras takes the last samples
            cut = int(len(x) * (1 - validation_split))
            x, y, validation_data = x[:cut], y[:cut], (x[cut:], y[cut:])
        rng = np.random.default_rng(seed) if seed is not None else random.default_rng()
        loader = DataLoader(x, y, batch_size, shuffle=shuffle, rng=rng)
        history = callbacks_module.History()
        extra = list(callbacks or [])
        progress = [callbacks_module.ProgbarLogger(verbose)] if verbose else []
        hooks = callbacks_module.CallbackList(
            [callbacks_module.TerminateOnNaN(), *extra, *progress, history], self
        )
        self.fit_state = {"epochs": epochs, "steps": len(loader), "batch_size": batch_size}
        self.stop_training = False
        hooks.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            logs = self._train_epoch(loader, epoch, hooks)
            if validation_data is not None and not self.stop_training:
                scores = self.evaluate(
                    *validation_data, batch_size=batch_size, verbose=0, return_dict=True
                )
                logs.update({f"val_{name}": value for name, value in scores.items()})
            hooks.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        self.eval()
        hooks.on_train_end()
        return history

    def _train_epoch(self, loader: DataLoader, epoch: int, hooks: Any) -> dict[str, float]:
        self.train()
        for metric in self.metrics:
            metric.reset()
        hooks.on_epoch_begin(epoch)
        loss_sum, seen = 0.0, 0
        logs: dict[str, float] = {}
        for batch, (xb, yb) in enumerate(loader):
            hooks.on_train_batch_begin(batch)
            batch_loss = self.train_step(xb, yb)
            loss_sum, seen = loss_sum + batch_loss * len(xb), seen + len(xb)
            logs = {"loss": loss_sum / seen, **{m.name: m.result() for m in self.metrics}}
            hooks.on_train_batch_end(batch, logs)
            if self.stop_training:
                break
        return logs

    def evaluate(
        self,
        x: Any,
        y: Any,
        batch_size: int = 32,
        verbose: int = 0,
        return_dict: bool = False,
    ) -> float | list[float] | dict[str, float]:
        """Loss (and metrics) on (x, y) in inference mode: a float, or [loss, *metrics]."""
        self._check_compiled()
        x, y = self._input_array(x), _as_array(y, "y")
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} samples but y has {len(y)}; they must match")
        metrics = [type(m)(m.name) for m in self.metrics]
        was_training = self.training
        self.eval()
        loss_sum = 0.0
        loader = DataLoader(x, y, batch_size)
        bar = Progbar(len(loader)) if verbose else None
        with no_grad():
            for step, (xb, yb) in enumerate(loader, 1):
                y_pred = self(xb)
                loss_sum += float(self.compute_loss(yb, y_pred).data) * len(xb)
                for metric in metrics:
                    metric.update(yb, y_pred.data)
                if bar:
                    bar.update(step)
        self.train(was_training)
        scores = {"loss": loss_sum / len(x), **{m.name: m.result() for m in metrics}}
        if bar:
            bar.update(len(loader), scores, final=True)
        if return_dict:
            return scores
        return scores["loss"] if not metrics else list(scores.values())

    def predict(self, x: Any, batch_size: int = 32, verbose: int = 0) -> np.ndarray:
        """Outputs for x in inference mode, computed batch by batch without a graph."""
        x = self._input_array(x)
        was_training = self.training
        self.eval()
        with no_grad():
            outputs = [self(xb).data for xb, _ in DataLoader(x, None, batch_size)]
        self.train(was_training)
        return np.concatenate(outputs) if outputs else np.empty((0,))

    # --- inspection and saving -----------------------------------------------------------
    def summary(self, print_fn: Any = print) -> None:
        """Print a table of layers with output shapes and parameter counts."""
        for line in summary_lines(self):
            print_fn(line)

    def get_config(self) -> dict[str, Any]:
        """The architecture as JSON-able data (Sequential has one; subclasses may add theirs)."""
        raise NotImplementedError(
            f"{type(self).__name__} is a subclassed Model, whose architecture is Python code: "
            f"use save_weights()/load_weights(), or build it with Sequential to save it whole"
        )

    def save(self, path: str | Path) -> None:
        """Write architecture (JSON) and weights (arrays) to one .npz file, without pickle."""
        saving.save_model(self, path)

    def save_weights(self, path: str | Path) -> None:
        """Write only the weight arrays to an .npz file."""
        saving.save_weights(self, path)

    def load_weights(self, path: str | Path) -> None:
        """Load weight arrays saved by `save_weights` or `save` into this (built) model."""
        saving.load_weights(self, path)
