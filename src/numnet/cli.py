"""The `numnet` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np

import numnet


def _info(args: argparse.Namespace) -> int:
    print(f"numnet {numnet.__version__}, NumPy {np.__version__}, Python {sys.version.split()[0]}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every numnet command."""
    parser = argparse.ArgumentParser(
        prog="numnet", description="numnet: deep learning from scratch on NumPy."
    )
    parser.add_argument("--version", action="version", version=f"numnet {numnet.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    info = commands.add_parser("info", help="show versions and where data is found")
    info.set_defaults(run=_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 0
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
