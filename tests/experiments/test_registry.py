"""The experiment registry is lazy, and measuring needs no matplotlib."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numnet.experiments
from numnet.experiments import EXPERIMENTS, describe, load


def fresh_python(code: str) -> str:
    """Run `code` in a new interpreter (so nothing is imported yet); return its stdout."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_listing_imports_no_experiment_and_no_matplotlib():
    out = fresh_python(
        "import json, sys\n"
        "from numnet.cli import main\n"
        "main(['experiment', 'list'])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    *listing, modules = out.strip().splitlines()
    assert [line.split()[0] for line in listing] == list(EXPERIMENTS)
    loaded = set(json.loads(modules))
    assert not {path for path, _ in EXPERIMENTS.values()} & loaded
    assert not any(name.split(".")[0] == "matplotlib" for name in loaded)


def test_every_experiment_module_is_registered():
    folder = Path(numnet.experiments.__file__).parent
    helpers = {
        "__init__", "common", "report", "gan_draw", "rnn_memory_draw", "seq2seq_draw",
        "one_hot_draw", "zigzag_draw",
    }  # fmt: skip
    on_disk = {f"numnet.experiments.{p.stem}" for p in folder.glob("*.py") if p.stem not in helpers}
    assert on_disk == {path for path, _ in EXPERIMENTS.values()}
    assert describe("gates").startswith("AND/NAND/OR")


def test_load_imports_one_module_with_the_four_parts():
    module = load("gates")
    assert module.__name__ == "numnet.experiments.gates"
    for part in ("measure", "draw", "claim", "run"):
        assert callable(getattr(module, part))


def test_measure_returns_numbers_without_matplotlib():
    out = fresh_python(
        "import json, sys\n"
        "from numnet.experiments import load\n"
        "measured = load('activations').measure(seed=0, quick=True)\n"
        "assert not any(m.split('.')[0] == 'matplotlib' for m in sys.modules)\n"
        "print(json.dumps(measured['numbers']))\n"
    )
    numbers = json.loads(out)
    assert numbers["sigmoid_derivative_max"] == 0.25 and numbers["step_derivative_max"] == 0.0
