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


def _build_parser() -> argparse.ArgumentParser:
    from themes import __version__
    from themes.layouts import TOOLS

    format_help = f"survey tool layout, if detection gets it wrong: {', '.join(TOOLS)}"

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
        "--text-column",
        action="append",
        help="a question to analyse; repeat for several (default: the first free-text question)",
    )
    analyse.add_argument(
        "--all-questions", action="store_true", help="analyse every free-text question found"
    )
    analyse.add_argument(
        "--max-mb", type=int, default=200, help="refuse files larger than this (default 200 MB)"
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
    analyse.add_argument("--format", help=format_help)
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
    columns.add_argument("--format", help=format_help)
    columns.set_defaults(handler=_cmd_columns)

    mapping = commands.add_parser(
        "map",
        help="link the themes of an analysis to a strategy framework and show coverage",
        description="Link each theme in an analysis folder (from 'themes analyse') to the items of a "
        "framework, and show how many respondents spoke to each pillar and focus area.",
    )
    mapping.add_argument("results", type=Path, help="folder written by 'themes analyse --out'")
    mapping.add_argument(
        "--framework",
        default="gloucestershire",
        help="bundled framework name or a .toml/.csv file (default: gloucestershire)",
    )
    mapping.add_argument(
        "--threshold", type=float, default=0.30, help="similarity a link needs (default 0.30)"
    )
    mapping.set_defaults(handler=_cmd_map)

    evaluate = commands.add_parser(
        "evaluate",
        help="score framework mapping against human labels in a CSV",
        description="Map labelled responses onto a framework's items with no training and report "
        "top-1 accuracy, micro and macro F1, per-category scores and the worst confusions, beside "
        "the plain baseline (similarity to each item's name and description only).",
    )
    evaluate.add_argument("file", type=Path, help="CSV/XLSX with a text column and a label column")
    evaluate.add_argument("--framework", required=True, help="bundled framework name or .toml/.csv")
    evaluate.add_argument("--text-column", default="text")
    evaluate.add_argument(
        "--label-column",
        default="labels",
        help="labels equal to item names; several joined by --separator",
    )
    evaluate.add_argument("--separator", default=";")
    evaluate.add_argument("--threshold", type=float, default=0.30)
    evaluate.add_argument("--model", help="embedding model name or folder")
    evaluate.set_defaults(handler=_cmd_evaluate)

    models = commands.add_parser(
        "models",
        help="list the embedding models available offline",
        description="List the embedding models that can be used without downloading anything.",
    )
    models.set_defaults(handler=_cmd_models)
    return parser


def _cmd_analyse(args: argparse.Namespace) -> int:
    from themes.analysis import analyse_table
    from themes.cache import EmbeddingCache
    from themes.config import AnalysisConfig
    from themes.ingest import choose_questions, read_table
    from themes.results import write_survey_results
    from themes.views import table_report_text, theme_table_text

    config = AnalysisConfig.from_file(args.config) if args.config else AnalysisConfig()
    config = config.replace(
        model=args.model,
        seed=args.seed,
        min_theme_size=args.min_theme_size,
        max_themes=args.max_themes,
    )
    table = read_table(
        args.file, encoding=args.encoding, tool=args.format, max_bytes=args.max_mb * 1024 * 1024
    )
    questions = choose_questions(table, args.text_column, args.all_questions)
    if not args.quiet:
        print(table_report_text(table), file=sys.stderr)
        if not args.text_column and not args.all_questions:
            print(
                f"Analysing the first free-text question: {questions[0]!r} (choose others with "
                "--text-column, or all with --all-questions)",
                file=sys.stderr,
            )
    cache = (
        None
        if args.no_cache
        else EmbeddingCache(args.cache_dir / "embeddings.sqlite" if args.cache_dir else None)
    )
    results = analyse_table(
        table,
        questions,
        config,
        id_column=args.id_column,
        cache=cache,
        progress=_ProgressPrinter(args.quiet),
    )
    paths = write_survey_results(results, args.out)
    for result in results:
        print(theme_table_text(result) + "\n")
    print(
        f"Wrote {len(paths)} files under {args.out}: {', '.join(p.name for p in paths[:6])}"
        + (" ..." if len(paths) > 6 else "")
    )
    return 0


def _cmd_columns(args: argparse.Namespace) -> int:
    from themes.ingest import read_table
    from themes.views import table_report_text

    table = read_table(args.file, encoding=args.encoding, tool=args.format)
    print(table_report_text(table))
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    from themes.cache import EmbeddingCache
    from themes.embedding import make_embedder
    from themes.framework import load_framework
    from themes.mapping import map_result
    from themes.results import read_results
    from themes.views import coverage_text

    result = read_results(args.results)
    framework = load_framework(args.framework)
    model = str(result.provenance.get("config", {}).get("model", "all-MiniLM-L6-v2"))
    mapping = map_result(
        result, framework, make_embedder(model), EmbeddingCache(), threshold=args.threshold
    )
    print(coverage_text(result, framework, mapping))
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from themes.cache import EmbeddingCache
    from themes.embedding import make_embedder
    from themes.evaluate import evaluate_mapping
    from themes.framework import load_framework
    from themes.views import evaluation_text

    framework = load_framework(args.framework)
    evaluation = evaluate_mapping(
        args.file,
        framework,
        make_embedder(args.model or "all-MiniLM-L6-v2"),
        text_column=args.text_column,
        label_column=args.label_column,
        separator=args.separator,
        cache=EmbeddingCache(),
        threshold=args.threshold,
    )
    print(evaluation_text(evaluation))
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
