"""`numnet experiment list|all|NAME`: reproduce the notes' claims as figures and numbers."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from numnet import plot
from numnet.experiments import EXPERIMENTS, load
from numnet.experiments.common import Result
from numnet.experiments.report import write_index


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `experiment` and its flags to `subparsers`; return its parser."""
    experiment = subparsers.add_parser(
        "experiment", help="reproduce a claim of the notes as a figure"
    )
    experiment.add_argument("name", help=f"list, all, or one of: {', '.join(EXPERIMENTS)}")
    experiment.add_argument("--out", default=None, help="output folder (runs/experiments)")
    experiment.add_argument("--seed", type=int, default=0, help="random seed (0)")
    experiment.add_argument("--quick", action="store_true", help="a reduced, faster configuration")
    return experiment


def run(args: argparse.Namespace) -> int:
    """List the experiments, or run one or all of them into --out (all: one folder each,
    plus index.html)."""
    if args.name == "list":
        return list_experiments()
    out = Path(args.out or Path("runs") / "experiments")
    names = list(EXPERIMENTS) if args.name == "all" else [args.name]
    modules = [load(name) for name in names]  # an unknown name fails before anything runs
    plot.pyplot()  # every experiment draws: say what to install before training, not after
    done = []
    for name, module in zip(names, modules, strict=True):
        folder = out / name if args.name == "all" else out
        done.append(_run_one(name, module, folder, args))
    if args.name == "all":
        print(summary([result for _, result, _ in done]))
        print(f"Wrote {write_index(done, out)}")
    else:
        print(f"Wrote {', '.join(f.file for f in done[0][1].figures)} and results.json to {out}")
    return 0


def list_experiments() -> int:
    """Print each experiment's name and description, importing none of them."""
    for name, (_, description) in EXPERIMENTS.items():
        print(f"{name:<22}{description}")
    return 0


def summary(results: list[Result]) -> str:
    """ "14 of 15 claims held", saying so when the run was quick."""
    held = sum(result.claim_holds for result in results)
    quick = any(result.quick for result in results)
    note = " (a quick run: the claims are checked only in a full run)" if quick else ""
    return f"{held} of {len(results)} claims held{note}"


def _run_one(
    name: str, module: ModuleType, folder: Path, args: argparse.Namespace
) -> tuple[str, Result, float]:
    """Run one experiment and print one line: whether its claim held, and the claim (its
    numbers are in results.json); return (name, result, seconds)."""
    start = time.perf_counter()
    result = module.run(folder, seed=args.seed, quick=args.quick)
    seconds = time.perf_counter() - start
    verdict = "holds" if result.claim_holds else "does not hold"
    print(f"{name} ({seconds:.1f} s): claim {verdict}: {result.claim}")
    return name, result, seconds
