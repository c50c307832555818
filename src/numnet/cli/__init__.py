"""The `numnet` command line: train, evaluate, predict, experiment, info.

Each subcommand lives in its own module with an `add_parser(subparsers)` and a `run(args)`;
`parser.COMMANDS` lists them. `main` turns every error it can report (a bad file, a
missing dataset, even MemoryError) into one line on stderr and exit status 1; ``--debug``
shows the traceback instead.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from numnet.cli.common import EXPECTED_ERRORS, CommandError, one_line
from numnet.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (1 with a one-line message on errors)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 0
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the one place every error is reported
        if args.debug:
            raise
        print(f"numnet {args.command}: error: {one_line(error)}", file=sys.stderr)
        return 1


__all__ = ["EXPECTED_ERRORS", "CommandError", "build_parser", "main", "one_line"]
