"""The search space: which hyperparameters a trial draws, and from which ranges.

The notes call applied deep learning "a very empirical process" and list what to try:
the learning rate, the number of layers and of units, the batch size, the activation,
dropout, weight decay, the optimizer. Each is one parameter here, of one of two kinds:
a `Range` of numbers (drawn uniformly, or uniformly in log space where only the order of
magnitude matters, as for a learning rate) or a `Choice` among a few values.

A user moves or narrows a parameter with one override string, as `numnet tune --space`
takes it: ``learning_rate=1e-4:1e-2`` (a range), ``layers=2`` (fixed),
``activation=relu,tanh`` (choices). A range that cannot be searched (low above high, a
log scale that reaches zero) is a ValueError in one line, before any trial runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from numnet.activations import ACTIVATIONS
from numnet.naming import lookup
from numnet.optimizers import OPTIMIZERS


@dataclass(frozen=True)
class Range:
    """Numbers in [low, high]: whole ones when `integer`, drawn in log space when `log`.

    `lowest` and `beyond` bound what the values can mean: every value must be at least
    `lowest` and below `beyond` (a dropout rate lies in [0, 1))."""

    low: float
    high: float
    log: bool = False
    integer: bool = False
    lowest: float = -math.inf
    beyond: float = math.inf

    def checked(self, name: str) -> Range:
        """This range, or a ValueError saying in one line why it cannot be searched."""
        shown = f"{self.low:g}:{self.high:g}"
        if self.low > self.high:
            raise ValueError(f"search space: {name}={shown} is empty (low is above high)")
        if self.log and self.low <= 0:
            raise ValueError(
                f"search space: {name} is searched on a log scale, so both bounds must be "
                f"> 0, got {shown}"
            )
        if self.low < self.lowest or self.high >= self.beyond:
            raise ValueError(
                f"search space: {name} takes values in [{self.lowest:g}, {self.beyond:g}), "
                f"got {shown}"
            )
        return self

    def parsed(self, name: str, text: str) -> Range:
        """This kind of range with the bounds in `text`: ``low:high``, or one value."""
        parts = text.split(":")
        if len(parts) > 2 or not all(p.strip() for p in parts):
            raise ValueError(f"search space: {name} takes low:high or one value, got {text!r}")
        kind = int if self.integer else float
        try:
            bounds = [kind(p) for p in parts]
        except ValueError:
            what = "whole numbers" if self.integer else "numbers"
            raise ValueError(f"search space: {name} takes {what}, got {text!r}") from None
        return replace(self, low=bounds[0], high=bounds[-1]).checked(name)

    def suggest(self, trial: Any, name: str) -> int | float:
        """The value `trial` draws for this parameter."""
        if self.integer:
            return trial.suggest_int(name, int(self.low), int(self.high), log=self.log)
        return trial.suggest_float(name, self.low, self.high, log=self.log)

    def describe(self) -> str:
        """``low:high``, and ``(log)`` for a log scale."""
        return f"{self.low:g}:{self.high:g}" + (" (log)" if self.log else "")


@dataclass(frozen=True)
class Choice:
    """One of a few values: names looked up in `names` (optimizers, activations), or, when
    `names` is None, whole numbers >= 1 (batch sizes)."""

    values: tuple[Any, ...]
    names: Mapping[str, Any] | None = None

    def parsed(self, name: str, text: str) -> Choice:
        """This kind of choice among the comma-separated values in `text`."""
        items = [item.strip() for item in text.split(",")]
        if not all(items):
            raise ValueError(f"search space: {name} takes values separated by commas: {text!r}")
        values = [self._value(name, item) for item in items]
        return replace(self, values=tuple(dict.fromkeys(values)))  # duplicates once

    def _value(self, name: str, item: str) -> Any:
        if self.names is not None:
            lookup(name, item, self.names)  # an unknown name is a ValueError listing the valid
            return item.lower()
        if not item.isdigit() or int(item) < 1:
            raise ValueError(f"search space: {name} takes whole numbers >= 1, got {item!r}")
        return int(item)

    def suggest(self, trial: Any, name: str) -> Any:
        """The value `trial` draws for this parameter."""
        return trial.suggest_categorical(name, list(self.values))

    def describe(self) -> str:
        """The values, separated by commas."""
        return ",".join(map(str, self.values))


Parameter = Range | Choice

# What every model's training takes.
TRAINING: dict[str, Parameter] = {
    "learning_rate": Range(1e-4, 1e-1, log=True),
    "batch_size": Choice((32, 64, 128, 256)),
    "optimizer": Choice(("sgd", "momentum", "rmsprop", "adam"), OPTIMIZERS),
}
# The shape of the network, searched for the notes' MLP (see numnet.tuning.models).
ARCHITECTURE: dict[str, Parameter] = {
    "layers": Range(1, 3, integer=True, lowest=1),
    "units": Range(32, 512, log=True, integer=True, lowest=1),
    "activation": Choice(("relu", "tanh", "sigmoid", "elu"), ACTIVATIONS),
    "dropout": Range(0.0, 0.5, lowest=0.0, beyond=1.0),
    "weight_decay": Range(1e-6, 1e-2, log=True, lowest=0.0),
}


class SearchSpace:
    """Named parameters, each a `Range` or a `Choice`; `suggest(trial)` draws them all."""

    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        self.parameters = dict(parameters)
        for name, parameter in self.parameters.items():
            if isinstance(parameter, Range):
                parameter.checked(name)

    def override(self, spec: str) -> SearchSpace:
        """A copy with one parameter moved: `spec` is ``name=low:high``, ``name=value`` or
        ``name=a,b,c``; a ValueError in one line when it is not a searchable range."""
        name, sep, text = spec.partition("=")
        name = name.strip()
        if not sep or not text.strip():
            raise ValueError(
                f"search space: expected name=range, like learning_rate=1e-4:1e-2, got {spec!r}"
            )
        if name not in self.parameters:
            known = ", ".join(self.parameters)
            hint = (
                " (the network's shape is searched for --model mlp)" if name in ARCHITECTURE else ""
            )
            raise ValueError(f"search space: no parameter {name!r}; it has {known}{hint}")
        moved = self.parameters[name].parsed(name, text.strip())
        return SearchSpace({**self.parameters, name: moved})

    def with_overrides(self, specs: Iterable[str]) -> SearchSpace:
        """A copy with every override in `specs` applied in order."""
        space = self
        for spec in specs:
            space = space.override(spec)
        return space

    def suggest(self, trial: Any) -> dict[str, Any]:
        """One configuration: every parameter as `trial` draws it (an Optuna Trial)."""
        return {name: p.suggest(trial, name) for name, p in self.parameters.items()}

    def describe(self) -> dict[str, str]:
        """Each parameter's range or choices as text, e.g. {'layers': '1:3', ...}."""
        return {name: p.describe() for name, p in self.parameters.items()}


def default_space(model: str = "mlp") -> SearchSpace:
    """The notes' hyperparameters as `model` can use them: all of them for the MLP, whose
    shape is drawn; the training ones (learning rate, batch size, optimizer) for the other
    networks of numnet.zoo, whose architecture is fixed."""
    searched_shape = model.lower() == "mlp"
    return SearchSpace({**TRAINING, **(ARCHITECTURE if searched_shape else {})})
