"""The argument parser of every numnet command, built from the list of subcommands."""

from __future__ import annotations

import argparse

import numnet
from numnet.cli import evaluate, experiment, export, generate, info, predict, rl, train, tune

# Each subcommand is one module with `add_parser(subparsers)`, which returns its parser,
# and `run(args)`, which returns the exit status. A new one is a module added here.
COMMANDS = (train, evaluate, predict, generate, export, experiment, tune, rl, info)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every numnet command."""
    parser = argparse.ArgumentParser(
        prog="numnet", description="numnet: deep learning from scratch on NumPy."
    )
    parser.add_argument("--version", action="version", version=f"numnet {numnet.__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(subparsers).set_defaults(run=command.run)
    return parser
