"""The ``themes`` argument parser: every command and its options, each registered with its
handler."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

from themes.cli.commands import (
    cmd_analyse,
    cmd_columns,
    cmd_evaluate,
    cmd_evaluate_redaction,
    cmd_map,
    cmd_models,
    cmd_purge,
    cmd_redact,
)
from themes.cli.project import PROJECT_ACTIONS, cmd_project

_TUNING_HELP = (
    "what the model tuned to the framework's own text is used for: off (the model as shipped), "
    "mapping (links to the framework's items; default) or themes (links, and finding the "
    "themes). It is built once per framework, about a minute or two on 2 cores"
)


_TUNINGS = ("off", "mapping", "themes")  # themes.frameworks.tuning.TUNINGS, unimported for speed


def _tuning_option(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = _TUNINGS, help: str = _TUNING_HELP
) -> None:
    parser.add_argument("--tuning", choices=choices, default="mapping", help=help)


def _engine_options(parser: argparse.ArgumentParser) -> None:
    """Where the answers are embedded: here, or on a Ray cluster (``themes[ray]``)."""
    parser.add_argument(
        "--engine",
        choices=("local", "ray"),
        help="embed here (local, the default; or $THEMES_ENGINE) or on a Ray cluster (ray: "
        "needs the optional extra, pip install 'themes[ray]'); above 50,000 answers the themes "
        "are found on a sample of 50,000 and the other answers placed in them either way",
    )
    parser.add_argument(
        "--address",
        help="with --engine ray: the cluster to join, e.g. ray://host:10001 or host:6379 "
        "(default $THEMES_RAY_ADDRESS, else Ray is started on this machine)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="with --engine ray: model workers (default $THEMES_RAY_WORKERS, else one per CPU)",
    )


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


def _count(value: str) -> int:
    """A whole number of zero or more, for argparse: refused with a message that says so."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, got {value!r}")
    return number


def _sub(group: Any, name: str, **settings: Any) -> argparse.ArgumentParser:
    """A subcommand with the options every command takes (-q, -v)."""
    parser: argparse.ArgumentParser = group.add_parser(name, parents=[_COMMON], **settings)
    return parser


def build_parser() -> argparse.ArgumentParser:
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
    analyse.add_argument(
        "--quick",
        action="store_true",
        help="a quick look, labelled a preview: a static model distilled from the sentence model "
        "(made once per install, about a minute), themes found on 10,000 answers and every other "
        "answer placed in them; 50,000 answers in under a minute, with less agreement with human "
        "coding than the full analysis",
    )
    _engine_options(analyse)
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
    analyse.set_defaults(handler=cmd_analyse)

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
    purge.set_defaults(handler=cmd_purge)

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
    columns.set_defaults(handler=cmd_columns)

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
        "--threshold",
        type=float,
        help="similarity a link needs (default 0.25, or 0.2 with the model tuned to the framework)",
    )
    _tuning_option(
        mapping,
        _TUNINGS[:2],
        "off: the model as shipped; mapping: the model tuned to the framework's own text "
        "(default; built once per framework)",
    )
    mapping.set_defaults(handler=cmd_map)

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
    evaluate.add_argument(
        "--resamples",
        type=_count,
        default=0,
        metavar="N",
        help="themes: also run each seed on N resamples that each leave out 1%% of the answers "
        "at random, and report the mean, spread and range of the scores: how far a figure moves "
        "on almost the same data (a change smaller than that is noise)",
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
        "--threshold",
        type=float,
        help="mapping: similarity a link needs (default 0.25, or 0.2 with the tuned model)",
    )
    evaluate.add_argument("--model", help="embedding model name or folder")
    evaluate.add_argument(
        "--quick", action="store_true", help="themes: score the quick look ('analyse --quick')"
    )
    evaluate.add_argument(
        "--simulate-reviewer",
        action="store_true",
        help="themes: a simulated reviewer makes 10 to 200 corrections by the labels and "
        "accepts the suggestions they teach; report agreement after each",
    )
    _tuning_option(
        evaluate,
        help="with --framework: mapping (default) also scores the model tuned to the framework's "
        "own text beside the model as shipped; themes also finds the themes with it; off skips it",
    )
    evaluate.set_defaults(handler=cmd_evaluate)

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
    redact_cmd.set_defaults(handler=cmd_redact)

    redaction_eval = _sub(
        commands,
        "evaluate-redaction",
        help="measure redaction recall and precision on a generated labelled set",
        description="Build a labelled set of feedback-like sentences with realistic identifiers "
        "and look-alikes that must not be redacted, and report recall and precision per type.",
    )
    redaction_eval.add_argument("--per-kind", type=int, default=500, help="sentences per type")
    redaction_eval.add_argument("--seed", type=int, default=0)
    redaction_eval.set_defaults(handler=cmd_evaluate_redaction)

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
    _tuning_option(create)
    _engine_options(create)
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
    _engine_options(add)
    suggest = _sub(
        actions,
        "suggest",
        help="answers that look like the ones reviewers moved into a theme: list, accept, dismiss",
    )
    suggest.add_argument("project")
    suggest.add_argument("--question", help="the question (default: the project's first)")
    choice = suggest.add_mutually_exclusive_group()
    choice.add_argument("--accept", type=int, metavar="N", help="accept suggestion N (one edit)")
    choice.add_argument("--dismiss", type=int, metavar="N", help="dismiss suggestion N")
    show = _sub(actions, "show", help="a project's reviewed themes and coverage")
    show.add_argument("project", help="project id (see 'themes project list')")
    show.add_argument(
        "--names",
        action="store_true",
        help="under each theme, other names its answers support (and the share of its answers "
        "using each one's rarest word), to rename it with 'themes project edit --op rename'",
    )
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
        "mention (rows, theme, flag: answers also raise a theme besides their main one) or "
        "dismiss_suggestion (theme, rows)",
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
    project.set_defaults(handler=cmd_project)
    for name, action_parser in actions.choices.items():
        action_parser.set_defaults(project_handler=PROJECT_ACTIONS[name])

    models = _sub(
        commands,
        "models",
        help="list the embedding models available offline",
        description="List the embedding models that can be used without downloading anything.",
    )
    models.set_defaults(handler=cmd_models)
    return parser
