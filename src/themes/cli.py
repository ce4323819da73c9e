"""The ``themes`` command line: parse arguments, make one domain call, format the result.

Heavy libraries are imported inside commands so ``themes --help`` starts fast.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path


class _ProgressPrinter:
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


FORMAT_HELP = (
    "survey tool layout, if detection gets it wrong: qualtrics, surveymonkey, smartsurvey, "
    "engagementhq, msforms, googleforms, citizenspace or generic"
)


def _build_parser() -> argparse.ArgumentParser:
    from themes import __version__

    parser = argparse.ArgumentParser(
        prog="themes",
        description="Find themes in free-text survey responses, offline.",
    )
    parser.add_argument("--version", action="version", version=f"themes {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyse = commands.add_parser(
        "analyse",
        aliases=["analyze"],
        help="find themes in one free-text question of a survey export",
        description="Find themes in one free-text question and write results to a folder.",
    )
    analyse.add_argument("file", type=Path, help="survey export (CSV, TSV or XLSX)")
    analyse.add_argument(
        "--text-column", help="the question to analyse (default: the first free-text column)"
    )
    analyse.add_argument(
        "--id-column", help="respondent id column (default: detected, else row number)"
    )
    analyse.add_argument(
        "--out", type=Path, default=Path("out"), help="folder for results (default: out/)"
    )
    analyse.add_argument("--config", type=Path, help="TOML file of analysis settings")
    analyse.add_argument("--model", help="embedding model name or folder (see 'themes models')")
    analyse.add_argument("--seed", type=int, help="random seed (default 42)")
    analyse.add_argument(
        "--min-theme-size", type=int, help="smallest theme (default: adapts to data size)"
    )
    analyse.add_argument("--max-themes", type=int, help="most themes to keep (default 30)")
    analyse.add_argument("--encoding", help="text encoding of a CSV (default: detected)")
    analyse.add_argument("--format", help=FORMAT_HELP)
    analyse.add_argument(
        "--no-cache", action="store_true", help="do not read or write the embedding cache"
    )
    analyse.add_argument(
        "--cache-dir", type=Path, help="embedding cache folder (default: data/cache)"
    )
    analyse.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    analyse.set_defaults(handler=_cmd_analyse)

    columns = commands.add_parser(
        "columns",
        help="list a file's columns and which look like free-text questions",
        description="List the columns of a survey export and guess the free-text questions.",
    )
    columns.add_argument("file", type=Path, help="survey export (CSV, TSV or XLSX)")
    columns.add_argument("--encoding", help="text encoding of a CSV (default: detected)")
    columns.add_argument("--format", help=FORMAT_HELP)
    columns.set_defaults(handler=_cmd_columns)

    models = commands.add_parser(
        "models",
        help="list the embedding models available offline",
        description="List the embedding models that can be used without downloading anything.",
    )
    models.set_defaults(handler=_cmd_models)
    return parser


def _cmd_analyse(args: argparse.Namespace) -> int:
    from themes.analysis import analyse_responses
    from themes.cache import EmbeddingCache
    from themes.config import AnalysisConfig
    from themes.ingest import guess_text_columns, read_table, responses_from_table
    from themes.results import write_results
    from themes.views import theme_table_text

    config = AnalysisConfig.from_file(args.config) if args.config else AnalysisConfig()
    config = config.replace(
        model=args.model,
        seed=args.seed,
        min_theme_size=args.min_theme_size,
        max_themes=args.max_themes,
    )
    table = read_table(args.file, encoding=args.encoding, tool=args.format)
    column = args.text_column
    if column is None:
        guesses = guess_text_columns(table)
        if not guesses:
            from themes.errors import InputError

            raise InputError(
                f"No column of {table.source} looks like free text. Name one with --text-column; "
                f"columns are: {', '.join(table.columns)}."
            )
        column = guesses[0]
        print(
            f"Analysing the first free-text column: {column!r} (choose another with --text-column)",
            file=sys.stderr,
        )
    responses = responses_from_table(table, column, id_column=args.id_column)
    cache = (
        None
        if args.no_cache
        else EmbeddingCache(args.cache_dir / "embeddings.sqlite" if args.cache_dir else None)
    )
    result = analyse_responses(
        responses, config, cache=cache, progress=_ProgressPrinter(args.quiet)
    )
    paths = write_results(result, args.out)
    print(theme_table_text(result))
    print(f"\nWrote {', '.join(str(p) for p in paths)}")
    return 0


def _cmd_columns(args: argparse.Namespace) -> int:
    from themes.ingest import read_table
    from themes.views import table_report_text

    table = read_table(args.file, encoding=args.encoding, tool=args.format)
    print(table_report_text(table))
    return 0


def _cmd_models(args: argparse.Namespace) -> int:
    from themes.embedding import available_models, models_dir

    names = available_models()
    print("Embedding models available offline:")
    for name in names:
        print(f"  {name}")
    print(
        f"Add others by copying a sentence-transformers model folder into {models_dir()}/<name>/."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``themes`` command."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    from themes.errors import ThemesError

    try:
        return int(args.handler(args))
    except ThemesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; nothing was written.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
