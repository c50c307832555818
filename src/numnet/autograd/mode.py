"""The no-grad switch: the one process-wide flag numnet has."""

from __future__ import annotations

import contextlib


class _GradMode:
    enabled: bool = True


def is_grad_enabled() -> bool:
    """Return True when operations record a graph for backpropagation."""
    return _GradMode.enabled


class no_grad(contextlib.ContextDecorator):
    """Context manager (or decorator) inside which no graph is recorded.

    Use it for evaluation and for parameter updates: it saves the memory and time that
    recording the graph would cost.
    """

    def __enter__(self) -> None:
        self._previous = _GradMode.enabled
        _GradMode.enabled = False

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self._previous


class enable_grad(contextlib.ContextDecorator):
    """Context manager that turns graph recording back on inside a `no_grad` block."""

    def __enter__(self) -> None:
        self._previous = _GradMode.enabled
        _GradMode.enabled = True

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self._previous
