"""A Keras-style text progress bar (used by `fit`, `evaluate` and dataset downloads)."""

from __future__ import annotations

import sys
import time
from typing import IO


def format_duration(seconds: float) -> str:
    """'1:02:03', '4:05' or '7s'."""
    seconds = round(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if seconds >= 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds}s"


class Progbar:
    """Shows ``12/469 [==>.........] - ETA: 5s - loss: 0.4321`` and redraws it in place.

    On a terminal the line is redrawn at most every `interval` seconds; elsewhere (logs,
    pipes) only the final line is written, so logs stay short.
    """

    def __init__(
        self,
        target: int | None,
        width: int = 30,
        interval: float = 0.05,
        unit: str = "step",
        stream: IO[str] | None = None,
    ) -> None:
        self.target, self.width, self.interval, self.unit = target, width, interval, unit
        self.stream = stream or sys.stdout
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.perf_counter()
        self._last_draw = 0.0

    def update(
        self, current: int, values: dict[str, float] | None = None, final: bool = False
    ) -> None:
        """Show progress `current` of `target` with the given named values."""
        now = time.perf_counter()
        if not final and (not self.interactive or now - self._last_draw < self.interval):
            return
        self._last_draw = now
        elapsed = now - self.start
        line = self._bar(current)
        if final:
            per_unit = elapsed / max(current, 1)
            rate = (
                f"{per_unit * 1000:.0f}ms/{self.unit}"
                if per_unit < 1
                else f"{per_unit:.1f}s/{self.unit}"
            )
            line += f" - {format_duration(elapsed)} {rate}"
        elif self.target and current:
            line += f" - ETA: {format_duration(elapsed / current * (self.target - current))}"
        for name, value in (values or {}).items():
            line += f" - {name}: {value:.4f}"
        end = "\n" if final else ""
        prefix = "\r" if self.interactive else ""
        self.stream.write(f"{prefix}{line}{end}")
        self.stream.flush()

    def _bar(self, current: int) -> str:
        if not self.target:
            return f"{current}"
        digits = len(str(self.target))
        done = int(self.width * min(current, self.target) / self.target)
        arrow = ">" if current < self.target else "="
        bar = ("=" * max(done - 1, 0) + arrow if done else "") + "." * (self.width - done)
        return f"{current:{digits}d}/{self.target} [{bar}]"
