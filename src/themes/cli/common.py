"""What every command shares: progress on stderr, logging set once, who is acting."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from themes.analysis.embedding import Embedder


class ProgressPrinter:
    """Prints progress to stderr, at most a line every half second (always the last one)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.last_time = 0.0

    def __call__(self, message: str, fraction: float) -> None:
        now = time.monotonic()
        if self.quiet or (now - self.last_time < 0.5 and fraction < 1.0):
            return
        self.last_time = now
        print(f"[{fraction * 100:5.1f}%] {message}", file=sys.stderr, flush=True)


def set_up_logging(args: argparse.Namespace) -> None:
    """Logging configured once for the whole command: warnings by default, -q errors only,
    -v the steps too."""
    import logging

    level = logging.WARNING
    if quiet(args):
        level = logging.ERROR
    elif getattr(args, "verbose", False):
        level = logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


def quiet(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "quiet", False))


def user_name(args: argparse.Namespace) -> str:
    import getpass

    try:
        return args.user or getpass.getuser()
    except (KeyError, OSError):
        return "anonymous"


def split_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def engine_embedder(args: argparse.Namespace, model: str, batch_size: int = 64) -> Embedder:
    """The embedder for ``model`` on the engine the options ask for (``--engine``; ``--address``
    or ``--workers`` alone mean ``ray``), else the one ``THEMES_ENGINE`` names."""
    from themes.analysis.embedding import make_embedder
    from themes.core.errors import ConfigError

    engine = args.engine or ("ray" if args.address or args.workers else None)
    if engine == "local" and (args.address or args.workers):
        raise ConfigError("--address and --workers go with --engine ray, not --engine local.")
    if args.workers is not None and args.workers < 1:
        raise ConfigError(f"--workers must be 1 or more, not {args.workers}.")
    return make_embedder(model, batch_size, engine, address=args.address, workers=args.workers)
