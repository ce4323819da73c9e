"""The ``themes`` entry point: parse, set up logging, run the command, turn errors into exit codes
(1 for bad data or settings, 2 for bad usage, from argparse)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from themes.cli.common import set_up_logging
from themes.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``themes`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from themes.core.data_dirs import make_private

    make_private()  # answers are personal data: files 0600, folders 0700
    set_up_logging(args)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    from themes.core.errors import ThemesError

    try:
        return int(args.handler(args))
    except ThemesError as exc:  # the data or a setting is wrong (usage errors exit 2, argparse)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; nothing was written.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into 'head' or a closed pager: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
