"""The ``themes`` command line: parse arguments, make one domain call, format the result.

Heavy libraries are imported inside commands so ``themes --help`` starts fast.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from themes.review.store import ProjectStore


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


_COMMON = argparse.ArgumentParser(add_help=False)
_COMMON.add_argument(
    "-q",
    "--quiet",
    action="store_true",
    default=argparse.SUPPRESS,
    help="no progress messages; only errors",
)
_COMMON.add_argument(
    "-v",
    "--verbose",
    action="store_true",
    default=argparse.SUPPRESS,
    help="more detail on what each step does (log messages)",
)


def _sub(group: Any, name: str, **settings: Any) -> argparse.ArgumentParser:
    """A subcommand with the options every command takes (-q, -v)."""
    parser: argparse.ArgumentParser = group.add_parser(name, parents=[_COMMON], **settings)
    return parser


def _set_up_logging(args: argparse.Namespace) -> None:
    """Logging configured once for the whole command: warnings by default, -q errors only,
    -v the steps too."""
    import logging

    level = logging.WARNING
    if _quiet(args):
        level = logging.ERROR
    elif getattr(args, "verbose", False):
        level = logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


def _quiet(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "quiet", False))


def _build_parser() -> argparse.ArgumentParser:
    from themes import __version__
    from themes.ingest.layouts import TOOLS

    format_help = "survey tool layout, if detection gets it wrong"

    parser = argparse.ArgumentParser(
        prog="themes",
        description="Find themes in free-text survey responses, offline.",
    )
    parser.add_argument("--version", action="version", version=f"themes {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyse = _sub(
        commands,
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
    analyse.add_argument(
        "--layouts",
        type=int,
        help="UMAP layouts whose consensus gives the themes (default 5, 1 above 20,000 answers; "
        "1 is faster and less stable)",
    )
    analyse.add_argument(
        "--one-theme-per-answer",
        action="store_true",
        help="do not split longer answers into clauses to find the other themes they raise",
    )
    analyse.add_argument("--encoding", help="text encoding of a CSV (default: detected)")
    analyse.add_argument("--format", choices=TOOLS, help=format_help)
    analyse.add_argument(
        "--include-previews",
        action="store_true",
        help="keep Qualtrics survey previews and test responses (left out by default)",
    )
    analyse.add_argument(
        "--no-cache", action="store_true", help="do not read or write the embedding cache"
    )
    analyse.add_argument(
        "--cache-dir", type=Path, help="embedding cache folder (default: data/cache)"
    )
    analyse.set_defaults(handler=_cmd_analyse)

    purge = _sub(
        commands,
        "purge",
        help="remove copies of answers no project needs (uploads, analyses, exports)",
        description="Remove stored uploads and analyses that belong to no project (a preview that "
        "never became one, a crash), export and report folders, and the app's cached downloads. "
        "Run it while the app is stopped to clear the cached downloads too.",
    )
    purge.add_argument(
        "--older-than",
        type=float,
        default=60,
        metavar="MINUTES",
        help="only what has not been touched for this long (default 60, so an upload being "
        "previewed or an analysis being written survives; 0 for everything)",
    )
    purge.add_argument(
        "--keep-downloads",
        action="store_true",
        help="leave the app's cached downloads (use while the app is running)",
    )
    purge.set_defaults(handler=_cmd_purge)

    columns = _sub(
        commands,
        "columns",
        help="list a file's columns and which look like free-text questions",
        description="List the columns of a survey export and guess the free-text questions.",
    )
    columns.add_argument("file", type=Path, help="survey export (CSV, TSV or XLSX)")
    columns.add_argument("--encoding", help="text encoding of a CSV (default: detected)")
    columns.add_argument("--format", choices=TOOLS, help=format_help)
    columns.add_argument(
        "--include-previews",
        action="store_true",
        help="keep Qualtrics survey previews and test responses (left out by default)",
    )
    columns.set_defaults(handler=_cmd_columns)

    mapping = _sub(
        commands,
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
        "--threshold", type=float, default=0.25, help="similarity a link needs (default 0.25)"
    )
    mapping.set_defaults(handler=_cmd_map)

    evaluate = _sub(
        commands,
        "evaluate",
        help="score themes (and framework mapping) against human labels in a CSV",
        description="Themes: run the pipeline a user gets on the labelled answers, beside plain "
        "BERTopic on the same embeddings, and report the number of themes, the share left "
        "unassigned, NMI, ARI, homogeneity and completeness against the labels, a purity table, "
        "and with several --seeds the ARI between runs. Mapping (with --framework): map the "
        "answers onto the framework's items with no training and report top-1 accuracy, micro "
        "and macro F1, per-category scores and the worst confusions, beside the plain baseline.",
    )
    evaluate.add_argument("file", type=Path, help="CSV/XLSX with a text column and a label column")
    evaluate.add_argument("--framework", help="also score mapping onto this framework")
    evaluate.add_argument(
        "--seeds", default="42", help="comma-separated seeds, one run each (e.g. 1,2,3)"
    )
    evaluate.add_argument(
        "--all-rows",
        action="store_true",
        help="themes: score multi-label rows too, by their first label (default: single-label rows)",
    )
    evaluate.add_argument("--no-baseline", action="store_true", help="skip plain BERTopic")
    evaluate.add_argument("--skip-themes", action="store_true", help="only score the mapping")
    evaluate.add_argument("--text-column", default="text")
    evaluate.add_argument(
        "--label-column",
        default="labels",
        help="labels equal to item names; several joined by --separator",
    )
    evaluate.add_argument("--separator", default=";")
    evaluate.add_argument(
        "--group-column",
        help="themes: also score the broad themes against these coarser labels (e.g. major)",
    )
    evaluate.add_argument(
        "--threshold", type=float, default=0.25, help="mapping: similarity a link needs"
    )
    evaluate.add_argument("--model", help="embedding model name or folder")
    evaluate.set_defaults(handler=_cmd_evaluate)

    redact_cmd = _sub(
        commands,
        "redact",
        help="redact identifiers in text (one response per line) before publishing",
        description="Replace emails, UK phone numbers, NHS numbers, postcodes and names (after a "
        "title or role, or listed with --names) by typed placeholders; print the redacted lines "
        "and, with --log, what was replaced and what a person should check.",
    )
    redact_cmd.add_argument(
        "file", nargs="?", type=Path, help="text file (default: standard input)"
    )
    redact_cmd.add_argument("--names", default="", help="names to redact, comma-separated")
    redact_cmd.add_argument("--keep", default="", help="words never to redact, comma-separated")
    redact_cmd.add_argument("--outward-postcodes", action="store_true", help="also redact 'GL1'")
    redact_cmd.add_argument("--log", action="store_true", help="print the redaction log too")
    redact_cmd.set_defaults(handler=_cmd_redact)

    redaction_eval = _sub(
        commands,
        "evaluate-redaction",
        help="measure redaction recall and precision on a generated labelled set",
        description="Build a labelled set of feedback-like sentences with realistic identifiers "
        "and look-alikes that must not be redacted, and report recall and precision per type.",
    )
    redaction_eval.add_argument("--per-kind", type=int, default=500, help="sentences per type")
    redaction_eval.add_argument("--seed", type=int, default=0)
    redaction_eval.set_defaults(handler=_cmd_evaluate_redaction)

    project = _sub(
        commands,
        "project",
        help="review projects: create, list, edit, undo, export, replay, delete",
        description="Review projects kept in the project database ($THEMES_DATA_DIR/projects.sqlite, "
        "by default data/projects.sqlite), the same ones the app shows.",
    )
    project.add_argument(
        "--db", type=Path, help="project database file (default: data/projects.sqlite)"
    )
    project.add_argument(
        "--user", default="", help="your name for the edit history (default: $USER)"
    )
    actions = project.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = _sub(actions, "create", help="analyse a survey export into a new project")
    create.add_argument("file", type=Path, help="survey export (CSV, TSV or XLSX)")
    create.add_argument("--name", required=True, help="the project's name")
    create.add_argument(
        "--text-column",
        action="append",
        help="a question to analyse (repeat; default: all free-text)",
    )
    create.add_argument("--id-column", help="respondent id column (default: detected)")
    create.add_argument("--framework", default="gloucestershire", help="framework name or file")
    create.add_argument("--encoding")
    create.add_argument("--format", choices=TOOLS, help=format_help)
    create.add_argument("--config", type=Path, help="TOML file of analysis settings")
    create.add_argument("--model", help="embedding model name or folder (see 'themes models')")
    create.add_argument("--seed", type=int, help="random seed (default 42)")
    _sub(actions, "list", help="list projects")
    add = _sub(
        actions,
        "add",
        help="add a later batch of responses (same questions): placed in the reviewed themes, "
        "no edit undone",
    )
    add.add_argument("project")
    add.add_argument("file", type=Path, help="survey export with the same question columns")
    add.add_argument("--batch", help="a name for the batch (default: the file name)")
    add.add_argument("--id-column", help="respondent id column (default: detected)")
    add.add_argument("--encoding")
    add.add_argument("--format", choices=TOOLS, help=format_help)
    show = _sub(actions, "show", help="a project's reviewed themes and coverage")
    show.add_argument("project", help="project id (see 'themes project list')")
    edit = _sub(
        actions,
        "edit",
        help='apply one edit, e.g. --op rename --args \'{"theme": 3, "label": "GP access"}\'',
    )
    edit.add_argument("project")
    edit.add_argument(
        "--op",
        required=True,
        help="rename, define, merge, split, move, unassign, delete, set_links, flag_minority, "
        "mark_quote, set_redaction, set_group (themes, group), rename_group (group, label) or "
        "mention (rows, theme, flag: answers also raise a theme besides their main one)",
    )
    edit.add_argument(
        "--args",
        default="{}",
        help="the edit's arguments as JSON (theme ids are internal ids: the number shown minus 1)",
    )
    edit.add_argument("--question", help="the question (default: the project's first)")
    for name, text in (("undo", "undo the latest edit"), ("redo", "redo the latest undone edit")):
        action = _sub(actions, name, help=text)
        action.add_argument("project")
    history = _sub(actions, "history", help="print the edit history")
    history.add_argument("project")
    export = _sub(
        actions,
        "export",
        help="write reviewed themes, coded responses and the edit history to a folder",
    )
    export.add_argument("project")
    export.add_argument("--out", type=Path, required=True)
    report = _sub(
        actions,
        "report",
        help="write the 'what we heard' report (DOCX and HTML) and the REFI-QDA codebook",
    )
    report.add_argument("project")
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--title", default="What we heard")
    report.add_argument("--final", action="store_true", help="mark it final (default: draft)")
    report.add_argument(
        "--threshold", type=int, default=10, help="publish counts below this as 'fewer than N'"
    )
    report.add_argument("--organisation", default="")
    replay_cmd = _sub(
        actions,
        "replay",
        help="apply an exported history.json to the project's analyses from scratch and write "
        "the results (a check that the history reproduces the review)",
    )
    replay_cmd.add_argument("project")
    replay_cmd.add_argument("history", type=Path, help="history.json from 'export' or the app")
    replay_cmd.add_argument("--out", type=Path, required=True)
    delete = _sub(actions, "delete", help="delete a project and all its data")
    delete.add_argument("project")
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")
    share = _sub(
        actions, "share", help="let a signed-in app user see (viewer) or edit (reviewer) a project"
    )
    share.add_argument("project")
    share.add_argument("user", help="their sign-in name (THEMES_USERS)")
    share.add_argument("role", choices=["owner", "reviewer", "viewer", "remove"])
    _sub(
        actions,
        "audit",
        help="deletions, exports, reports, shares and refused sign-ins, newest first",
    )
    project.set_defaults(handler=_cmd_project)
    for name, action_parser in actions.choices.items():
        action_parser.set_defaults(project_handler=_PROJECT_ACTIONS[name])

    models = _sub(
        commands,
        "models",
        help="list the embedding models available offline",
        description="List the embedding models that can be used without downloading anything.",
    )
    models.set_defaults(handler=_cmd_models)
    return parser


def _cmd_analyse(args: argparse.Namespace) -> int:
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.pipeline import analyse_table
    from themes.analysis.results import write_survey_results
    from themes.core.config import AnalysisConfig
    from themes.ingest.reading import choose_questions, read_table
    from themes.review.views import table_report_text, theme_table_text

    config = AnalysisConfig.from_file(args.config) if args.config else AnalysisConfig()
    config = config.replace(
        model=args.model,
        seed=args.seed,
        min_theme_size=args.min_theme_size,
        max_themes=args.max_themes,
        layouts=args.layouts,
    )
    if args.one_theme_per_answer:
        config = dataclasses.replace(config, also_mentions=None)
    table = read_table(
        args.file,
        encoding=args.encoding,
        tool=args.format,
        max_bytes=args.max_mb * 1024 * 1024,
        include_previews=args.include_previews,
    )
    questions = choose_questions(table, args.text_column, args.all_questions)
    if not _quiet(args):
        print(table_report_text(table), file=sys.stderr)
        if not args.text_column and not args.all_questions:
            print(
                f"Analysing the free-text question with the most answers: {questions[0]!r} (choose others with "
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
        progress=_ProgressPrinter(_quiet(args)),
    )
    paths = write_survey_results(results, args.out)
    for result in results:
        print(theme_table_text(result) + "\n")
    print(
        f"Wrote {len(paths)} files under {args.out}: {', '.join(p.name for p in paths[:6])}"
        + (" ..." if len(paths) > 6 else "")
    )
    return 0


def _cmd_purge(args: argparse.Namespace) -> int:
    from themes.review.purge import purge_orphans
    from themes.review.store import ProjectStore

    purged = purge_orphans(
        ProjectStore(), older_than=args.older_than * 60, web_cache=not args.keep_downloads
    )
    for path in purged.paths:
        print(f"removed {path}")
    print(f"Removed {len(purged)} copies of answers that no project needs.")
    return 0


def _cmd_columns(args: argparse.Namespace) -> int:
    from themes.ingest.reading import read_table
    from themes.review.views import table_report_text

    table = read_table(
        args.file,
        encoding=args.encoding,
        tool=args.format,
        include_previews=args.include_previews,
    )
    print(table_report_text(table))
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.embedding import make_embedder
    from themes.analysis.results import read_results
    from themes.frameworks.framework import load_framework
    from themes.frameworks.mapping import map_result
    from themes.review.views import coverage_text

    result = read_results(args.results)
    framework = load_framework(args.framework)
    model = str(result.provenance.get("config", {}).get("model", "all-MiniLM-L6-v2"))
    mapping = map_result(
        result, framework, make_embedder(model), EmbeddingCache(), threshold=args.threshold
    )
    print(coverage_text(result, framework, mapping))
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.embedding import make_embedder
    from themes.core.config import AnalysisConfig
    from themes.core.errors import InputError

    started = time.perf_counter()
    if not args.framework and args.skip_themes:
        raise InputError("Nothing to evaluate: give --framework, or drop --skip-themes.")
    if not args.skip_themes:
        from themes.evaluation.theme_quality import evaluate_themes, quality_text

        try:
            seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
        except ValueError:
            raise InputError(
                f"--seeds must be whole numbers separated by commas, got {args.seeds!r}."
            ) from None
        config = AnalysisConfig(model=args.model) if args.model else AnalysisConfig()
        report = evaluate_themes(
            args.file,
            make_embedder(config.model, config.batch_size),
            text_column=args.text_column,
            label_column=args.label_column,
            separator=args.separator,
            config=config,
            seeds=seeds or [42],
            baseline=not args.no_baseline,
            single_label=not args.all_rows,
            cache=EmbeddingCache(),
            group_column=args.group_column,
        )
        print(quality_text(report))
        print()
    if args.framework:
        _evaluate_mapping(args)
    print(f"(evaluate took {time.perf_counter() - started:.0f} s)")
    return 0


def _evaluate_mapping(args: argparse.Namespace) -> None:
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.embedding import make_embedder
    from themes.evaluation.mapping_scores import evaluate_mapping, evaluation_text
    from themes.frameworks.framework import load_framework

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


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _cmd_redact(args: argparse.Namespace) -> int:
    from themes.core.errors import InputError
    from themes.privacy.redact import RedactionSettings, redact

    settings = RedactionSettings(
        _split_list(args.names), _split_list(args.keep), args.outward_postcodes
    )
    try:
        text = args.file.read_text(encoding="utf-8-sig") if args.file else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read {args.file}: {exc}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        result = redact(line, settings)
        print(result.text)
        if args.log:
            for r in result.redactions:
                print(f"  line {number}: {r.kind.value} '{r.original}' ({r.rule})", file=sys.stderr)
            for f in result.flags:
                print(f"  line {number}: check '{f.text}': {f.reason}", file=sys.stderr)
    return 0


def _cmd_evaluate_redaction(args: argparse.Namespace) -> int:
    from themes.evaluation.redaction import STAFF_LIST, build_cases, evaluate_redaction
    from themes.privacy.redact import RedactionSettings

    cases = build_cases(args.per_kind, args.seed)
    print(
        f"{len(cases)} sentences (seed {args.seed}): {args.per_kind} per identifier type, "
        f"{args.per_kind // 2} names written alone, {sum(1 for c in cases if not c.gold)} look-alikes"
    )
    print(f"{'type':<30}{'cases':>7}{'recall':>8}{'precision':>11}")
    scores, wrong, seconds = evaluate_redaction(cases)
    for s in scores:
        print(f"{s.kind.value:<30}{s.gold:>7}{s.recall:>8.3f}{s.precision:>11.3f}")
    for group, settings, label in (
        ("titled", None, "names after a title/role"),
        ("bare", None, "names alone, no name list"),
        ("bare", RedactionSettings(names=STAFF_LIST), "names alone, with name list"),
    ):
        part, _, _ = evaluate_redaction([c for c in cases if c.group == group], settings)
        name = next(s for s in part if s.kind.value == "name")
        print(f"  {label:<28}{name.gold:>7}{name.recall:>8.3f}{name.precision:>11.3f}")
    print(f"look-alike sentences changed: {len(wrong)} of {sum(1 for c in cases if not c.gold)}")
    for line in wrong:
        print(f"  {line}")
    print(f"{seconds:.2f} s ({1000 * seconds / len(cases):.2f} ms per sentence)")
    return 0


def _user(args: argparse.Namespace) -> str:
    import getpass

    try:
        return args.user or getpass.getuser()
    except (KeyError, OSError):
        return "anonymous"


def _cmd_project(args: argparse.Namespace) -> int:
    from themes.review.store import ProjectStore

    handler: Callable[[argparse.Namespace, ProjectStore], int] = args.project_handler
    return handler(args, ProjectStore(args.db))


def _project_list(args: argparse.Namespace, store: ProjectStore) -> int:
    """Every project, a line each."""
    projects = store.projects()
    if not projects:
        print("No projects yet: create one with 'themes project create FILE --name NAME'.")
    for p in projects:
        print(
            f"{p.id}  {p.name}  ({len(p.questions)} question(s), {p.version} edits, "
            f"created {p.created} by {p.created_by}, framework {p.framework})"
        )
    return 0


def _project_create(args: argparse.Namespace, store: ProjectStore) -> int:
    """Analyse a survey export into a new project."""
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.embedding import make_embedder
    from themes.analysis.workspace import survey_from_path
    from themes.core.config import AnalysisConfig
    from themes.project_ops import create_project

    survey, _ = survey_from_path(args.file, encoding=args.encoding, tool=args.format)
    if args.id_column:
        from dataclasses import replace

        survey = replace(survey, id_column=args.id_column)
    config = AnalysisConfig.from_file(args.config) if args.config else AnalysisConfig()
    config = config.replace(model=args.model, seed=args.seed)
    info = create_project(
        store,
        survey,
        args.name,
        framework=args.framework,
        embedder=make_embedder(config.model, config.batch_size),
        user=_user(args),
        questions=args.text_column,
        config=config,
        cache=EmbeddingCache(),
        progress=_ProgressPrinter(_quiet(args)),
    )
    from themes.review.views import count_of

    questions = count_of(len(info.questions), "question")
    print(f"Created project {info.id} '{info.name}' with {questions}.")
    return 0


def _project_add(args: argparse.Namespace, store: ProjectStore) -> int:
    """Add a later batch of responses to a project."""
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.embedding import make_embedder
    from themes.core.config import AnalysisConfig
    from themes.project_ops import add_batch

    first = store.results(args.project)[0]
    model = str(first.provenance.get("config", {}).get("model", AnalysisConfig().model))
    state = add_batch(
        store,
        args.project,
        args.file,
        embedder=make_embedder(model),
        user=_user(args),
        batch=args.batch,
        encoding=args.encoding,
        tool=args.format,
        id_column=args.id_column,
        cache=EmbeddingCache(),
        progress=_ProgressPrinter(_quiet(args)),
    )
    for entry in state.log[-len(state.info.questions) :]:
        print(entry.summary)
    return 0


def _project_show(args: argparse.Namespace, store: ProjectStore) -> int:
    """A project's reviewed themes and coverage."""
    from themes.project_ops import open_framework, reviewed_questions
    from themes.review.tables import review_rows
    from themes.review.views import coverage_text

    state = store.state(args.project)
    framework = open_framework(state.info)
    for question in reviewed_questions(store, state, framework):
        print(f"Question: {question.review.question}")
        group = None
        for row in review_rows(question, framework):
            if row[4] != group:
                group = row[4]
                print(f"  {group or '(no broad theme)'}")
            print(f"    {row[0]:>3}  {row[1]:<40.40}  {row[2]:>5}  {row[3]:>5}%  {row[5]}")
        if framework is not None and question.mapping is not None:
            print(coverage_text(question.review, framework, question.mapping))
        print()
    return 0


def _project_edit(args: argparse.Namespace, store: ProjectStore) -> int:
    """Apply one edit, or undo or redo the user's latest."""
    import json

    from themes.core.errors import InputError
    from themes.review.edits import Edit

    state = store.state(args.project)
    if args.action == "edit":
        try:
            edit_args = json.loads(args.args)
        except json.JSONDecodeError as exc:
            raise InputError(f"--args is not valid JSON ({exc}).") from None
        asked = args.question or state.info.questions[0]
        edit = Edit(args.op, asked, edit_args if isinstance(edit_args, dict) else {})
        state = store.edit(args.project, edit, user=_user(args), version=state.version)
    else:
        method = store.undo if args.action == "undo" else store.redo
        state = method(args.project, user=_user(args), version=state.version)
    print(state.log[-1].summary)
    return 0


def _project_history(args: argparse.Namespace, store: ProjectStore) -> int:
    """The edit history, newest first."""
    from themes.review.tables import history_rows

    state = store.state(args.project)
    for seq, at, user, summary, status in history_rows(state.log, state.undoable):
        print(f"{seq:>4}  {at}  {user:<12.12}  {summary}  [{status}]")
    return 0


def _project_export(args: argparse.Namespace, store: ProjectStore) -> int:
    """The reviewed results as files."""
    from themes.project_ops import export_project

    paths = export_project(store, args.project, args.out)
    print(f"Wrote {len(paths)} files under {args.out}: " + ", ".join(p.name for p in paths))
    return 0


def _project_report(args: argparse.Namespace, store: ProjectStore) -> int:
    """The 'what we heard' report."""
    from themes.core.errors import InputError
    from themes.project_ops import write_report
    from themes.publish.report import ReportSettings

    if args.threshold < 1:
        raise InputError("--threshold must be at least 1.")
    paths = write_report(
        store,
        args.project,
        args.out,
        ReportSettings(
            args.title, "final" if args.final else "draft", args.threshold, args.organisation
        ),
    )
    print(f"Wrote {', '.join(p.name for p in paths)} under {args.out}")
    return 0


def _project_replay(args: argparse.Namespace, store: ProjectStore) -> int:
    """Replay an exported history onto the analysis and write the files again."""
    import json

    from themes.core.errors import InputError
    from themes.project_ops import open_framework, replay_history
    from themes.review.exports import write_reviewed
    from themes.review.tables import reviewed_question

    try:
        records = json.loads(args.history.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"Cannot read {args.history}: {exc}") from None
    history = records.get("history", records) if isinstance(records, dict) else records
    states = replay_history(store, args.project, history)
    info = store.info(args.project)
    framework = open_framework(info)
    results = {r.question: r for r in store.results(args.project)}
    questions = [
        reviewed_question(states[q], results[q], framework, store.item_scores(info.id, q))
        for q in info.questions
    ]
    paths = write_reviewed(questions, framework, history, args.out, info.name)
    print(f"Replayed {len(history)} history entries; wrote {len(paths)} files under {args.out}.")
    return 0


def _project_share(args: argparse.Namespace, store: ProjectStore) -> int:
    """Give a user a role in a project, or take it away."""
    from themes.project_ops import LOCAL_USER

    role = None if args.role == "remove" else args.role
    store.share(args.project, args.user, role, by=LOCAL_USER)
    print(f"{args.user}: {args.role} of project {args.project}.")
    return 0


def _project_audit(args: argparse.Namespace, store: ProjectStore) -> int:
    """Deletions, exports, reports, shares and refused sign-ins."""
    for line in store.audit_log():
        print("  ".join(line))
    return 0


def _project_delete(args: argparse.Namespace, store: ProjectStore) -> int:
    """Delete a project and all its data."""
    from themes.core.errors import InputError

    info = store.info(args.project)
    if not args.yes:
        raise InputError(f"This deletes '{info.name}' and all its data; add --yes to confirm.")
    from themes.review.purge import delete_project

    removed = delete_project(store, args.project)
    print(
        f"Deleted project {info.id} '{info.name}' and {len(removed)} file(s) or folder(s) "
        "holding its answers."
    )
    return 0


_PROJECT_ACTIONS: dict[str, Callable[[argparse.Namespace, ProjectStore], int]] = {
    "list": _project_list,
    "create": _project_create,
    "add": _project_add,
    "show": _project_show,
    "edit": _project_edit,
    "undo": _project_edit,
    "redo": _project_edit,
    "history": _project_history,
    "export": _project_export,
    "report": _project_report,
    "replay": _project_replay,
    "share": _project_share,
    "audit": _project_audit,
    "delete": _project_delete,
}
"""Each 'themes project' action's handler (registered on its parser)."""


def _cmd_models(args: argparse.Namespace) -> int:
    from themes.analysis.embedding import INT8_SUFFIX, available_models, models_dir

    names = available_models()
    print("Embedding models available offline:")
    for name in names:
        print(f"  {name}")
    print(
        f"Add others by copying a sentence-transformers model folder into {models_dir()}/<name>/.\n"
        f"Append {INT8_SUFFIX} to a name (e.g. {names[0] if names else 'all-MiniLM-L6-v2'}"
        f"{INT8_SUFFIX}) for the same model with 8-bit weights: about 1.5x faster, slightly\n"
        "less accurate (eval/RESULTS.md)."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``themes`` command."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    from themes.core.data_dirs import make_private

    make_private()  # answers are personal data: files 0600, folders 0700
    _set_up_logging(args)
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


if __name__ == "__main__":
    raise SystemExit(main())
