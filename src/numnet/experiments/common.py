"""What every experiment shares: its result record and where its files go."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One picture an experiment drew, and what to see in it."""

    file: str
    caption: str


@dataclass
class Result:
    """The outcome of one experiment: its claim, key numbers and figures."""

    name: str
    claim: str
    numbers: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)

    def save(self, out_dir: Path) -> Path:
        """Write results.json into out_dir."""
        path = Path(out_dir) / "results.json"
        path.write_text(json.dumps(asdict(self), indent=2, default=float))
        return path


def prepare(out_dir: str | Path) -> Path:
    """Create the experiment's output folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return out
