"""``themes project``: review projects from the command line, one handler per action."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from themes.analysis.embedding import Embedder
    from themes.review.store import ProjectStore

from themes.cli.common import ProgressPrinter, engine_embedder, quiet, user_name


def cmd_project(args: argparse.Namespace) -> int:
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
        embedder=engine_embedder(args, config.model, config.batch_size),
        user=user_name(args),
        questions=args.text_column,
        config=config,
        cache=EmbeddingCache(),
        progress=ProgressPrinter(quiet(args)),
        tuning=args.tuning,
    )
    from themes.review.views import count_of

    questions = count_of(len(info.questions), "question")
    print(f"Created project {info.id} '{info.name}' with {questions}.")
    return 0


def _project_embedder(
    store: ProjectStore, project_id: str, args: argparse.Namespace | None = None
) -> Embedder:
    """The embedder of the model the project was analysed with (on the engine ``args`` ask for)."""
    from themes.analysis.embedding import make_embedder
    from themes.core.config import AnalysisConfig

    first = store.results(project_id)[0]
    model = str(first.provenance.get("config", {}).get("model", AnalysisConfig().model))
    return make_embedder(model) if args is None else engine_embedder(args, model)


def _project_add(args: argparse.Namespace, store: ProjectStore) -> int:
    """Add a later batch of responses to a project."""
    from themes.analysis.cache import EmbeddingCache
    from themes.project_ops import add_batch

    state = add_batch(
        store,
        args.project,
        args.file,
        embedder=_project_embedder(store, args.project, args),
        user=user_name(args),
        batch=args.batch,
        encoding=args.encoding,
        tool=args.format,
        id_column=args.id_column,
        cache=EmbeddingCache(),
        progress=ProgressPrinter(quiet(args)),
    )
    for entry in state.log[-len(state.info.questions) :]:
        print(entry.summary)
    return 0


def _project_show(args: argparse.Namespace, store: ProjectStore) -> int:
    """A project's reviewed themes and coverage."""
    from themes.project_ops import open_framework, other_names, reviewed_questions
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
            names = (
                other_names(store, state.info.id, question.review, row[0] - 1) if args.names else []
            )
            if names:
                print(
                    "         other names: "
                    + "; ".join(f"{name} ({share:.0%})" for name, share in names)
                )
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
        state = store.edit(args.project, edit, user=user_name(args), version=state.version)
    else:
        method = store.undo if args.action == "undo" else store.redo
        state = method(args.project, user=user_name(args), version=state.version)
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


def _project_suggest(args: argparse.Namespace, store: ProjectStore) -> int:
    """What the edits so far suggest; accept or dismiss one by its number."""
    from themes.analysis.cache import EmbeddingCache
    from themes.core.errors import InputError
    from themes.project_ops import project_suggestions

    state = store.state(args.project)
    question = args.question or state.info.questions[0]
    embedder = _project_embedder(store, args.project)
    found = project_suggestions(
        store, args.project, question, embedder=embedder, cache=EmbeddingCache()
    )
    chosen = args.accept or args.dismiss
    if chosen is not None:
        if not 1 <= chosen <= len(found):
            raise InputError(
                f"There is no suggestion {chosen}: there are {len(found)} now "
                "(run 'themes project suggest' without --accept/--dismiss to list them)."
            )
        suggestion = found[chosen - 1]
        edit = suggestion.accept(question) if args.accept else suggestion.dismiss(question)
        state = store.edit(args.project, edit, user=user_name(args), version=state.version)
        print(state.log[-1].summary)
        return 0
    if not found:
        print(
            "No suggestions yet. Move at least 3 answers into a theme (or a new one), and "
            "answers that look like them will be offered here."
        )
    review = state.questions[question]
    for number, suggestion in enumerate(found, start=1):
        print(f"{number}. {suggestion.sentence()}")
        for row in suggestion.rows[:3]:
            print(f"     row {row}: {review.answers[row].text[:100]}")
    if found:
        print("Accept one with --accept N (one edit, undoable) or dismiss it with --dismiss N.")
    return 0


PROJECT_ACTIONS: dict[str, Callable[[argparse.Namespace, ProjectStore], int]] = {
    "list": _project_list,
    "create": _project_create,
    "add": _project_add,
    "show": _project_show,
    "edit": _project_edit,
    "undo": _project_edit,
    "redo": _project_edit,
    "history": _project_history,
    "suggest": _project_suggest,
    "export": _project_export,
    "report": _project_report,
    "replay": _project_replay,
    "share": _project_share,
    "audit": _project_audit,
    "delete": _project_delete,
}
"""Each 'themes project' action's handler (registered on its parser)."""
