"""The `numnet` command line: train, evaluate, predict, experiment, info.

Each subcommand lives in its own module with an `add_parser(subparsers)` and a `run(args)`;
`parser.COMMANDS` lists them. `main` turns the errors a user can cause into one line on
stderr and exit status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from numnet.cli.common import CommandError
from numnet.cli.parser import build_parser

EXPECTED_ERRORS = (CommandError, FileNotFoundError, ValueError, ImportError, OSError, TypeError)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (1 with a one-line message on errors)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 0
    try:
        return int(args.run(args))
    except EXPECTED_ERRORS as error:
        if args.debug:
            raise
        message = str(error).strip().splitlines()
        print(
            f"numnet {args.command}: error: {message[0] if message else type(error).__name__}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


__all__ = ["CommandError", "build_parser", "main"]
