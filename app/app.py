"""The themes app: projects (upload a survey export, analyse it, reopen or delete it), reviewing a
project's themes (rename, define, merge, split, move responses, links to the strategy, minority
views, quotes, undo and redo) and its history and exports.

Handlers only parse input, make one domain call and format the result with ``themes`` views.
Nothing per-user lives in module globals: which project, version, question and theme a browser
tab is on travels in the page's state (``gr.State``); projects and every edit live in the
project database, committed before the page confirms them.
"""

from __future__ import annotations

import argparse
import functools
import ipaddress
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Uploads and downloads pass through the web server's own folder: keep it with the other personal
# data (private, and cleared when a project is deleted and at start-up). Gradio reads this when it
# is imported.
from themes.core.data_dirs import web_cache_dir  # noqa: E402

os.environ.setdefault("GRADIO_TEMP_DIR", str(web_cache_dir().resolve()))
# Gradio rebuilds its queue statistics (a pandas table of past events) after every event by
# default: a quarter of the server's time with several reviewers. Rebuilt every 1,000 events.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402

from app.web_security import middleware  # noqa: E402
from themes import AnalysisConfig, ThemesError, make_embedder  # noqa: E402
from themes.analysis.cache import EmbeddingCache  # noqa: E402
from themes.analysis.workspace import (  # noqa: E402
    SurveyFile,
    owned_upload,
    store_upload,
    survey_from_path,
)
from themes.core.data_dirs import make_private  # noqa: E402
from themes.core.errors import ConflictError  # noqa: E402
from themes.core.markup import html_text, md  # noqa: E402
from themes.frameworks.framework import DEFAULT_FRAMEWORK, Framework, bundled_frameworks  # noqa: E402
from themes.ingest.layouts import TOOLS  # noqa: E402
from themes.ingest.reading import Table, id_candidates  # noqa: E402
from themes.project_ops import (  # noqa: E402
    add_batch,
    create_project,
    export_project,
    open_framework,
    reviewed_questions,
    suggest_theme_split,
    write_report,
)
from themes.publish.report import ReportSettings  # noqa: E402
from themes.review.access import Authenticator, parse_accounts  # noqa: E402
from themes.review.edits import ALL_QUESTIONS, Edit
from themes.review.purge import delete_project as remove_project  # noqa: E402
from themes.review.purge import (  # noqa: E402
    new_export_folder,
    purge_orphans,
)
from themes.review.records import ProjectInfo  # noqa: E402
from themes.review.store import ProjectState, ProjectStore  # noqa: E402
from themes.review.tables import (  # noqa: E402
    CHOSEN_MARK,
    HISTORY_COLUMNS,
    RESPONSE_COLUMNS,
    REVIEW_COLUMNS,
    ReviewedQuestion,
    history_rows,
    matching_rows,
    response_rows,
    review_rows,
    review_summary,
    theme_detail,
    theme_order,
)
from themes.review.views import (  # noqa: E402
    TOOL_NAMES,
    column_rows,
    count_of,
    coverage_markdown,
    table_report_markdown,
)

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample" / "gloucestershire_survey.csv"
SAMPLE_PROJECT = "Sample: Gloucestershire health and wellbeing survey"


def read_only_table(**settings: Any) -> gr.Dataframe:
    """A table people read, never edit: words wrap, and no copy button (it would put formula
    text such as '=HYPERLINK(...)' from an answer on the clipboard unneutralised)."""
    return gr.Dataframe(buttons=["fullscreen"], interactive=False, wrap=True, **settings)


# Table headers wrap between words only (never "Peop le").
PAGE_CSS = (
    "th, th * { word-break: keep-all !important; overflow-wrap: normal !important; }\n"
    # Gradio's orange primary and red 'stop' buttons give white text a contrast under 4.5:1
    # (WCAG AA); darker shades of the same colours do.
    ":root, .dark { --button-primary-background-fill: #9a3412;"
    " --button-primary-background-fill-hover: #7c2d12; --button-primary-text-color: #ffffff;"
    " --button-primary-border-color: #9a3412; --button-primary-border-color-hover: #7c2d12;"
    " --button-cancel-background-fill: #b91c1c; --button-cancel-background-fill-hover: #991b1b;"
    " --button-cancel-text-color: #ffffff; --button-cancel-border-color: #b91c1c; }\n"
    "span.or { color: var(--body-text-color) !important; }\n"  # '- or -' in the upload box
    # Markdown tables (strategy coverage) broke numbers mid-way ('25.' over '1').
    ".prose td { word-break: normal !important; overflow-wrap: break-word !important; }"
)
NAME_KEY = "themes-reviewer"
"""Where a browser keeps the reviewer's name (per tab, and the last one typed for new tabs)."""
PAGE_HEAD = """<script>
// Accessibility repairs to Gradio's markup, applied whenever the page changes:
// - its empty file and plot boxes carry aria-label on a plain div, which ARIA does not allow
//   (axe-core: aria-prohibited-attr); as images they may;
// - each radio button gets a name of its own, so a list of 16 themes is 16 tab stops and the
//   arrow keys do nothing: the buttons of one list now share a name (one tab stop, arrows move);
// - radio and checkbox groups (fieldsets) have no accessible name: they get their label's text.
function themesRepair() {
  for (const box of document.querySelectorAll("div.empty[aria-label]:not([role])")) {
    box.setAttribute("role", "img");
  }
  for (const group of document.querySelectorAll("fieldset")) {
    const radios = group.querySelectorAll("input[type=radio]");
    if (!group.dataset.group) group.dataset.group = String(++themesRepair.groups);
    const name = "themes-group-" + group.dataset.group;
    for (const radio of radios) if (radio.name !== name) radio.name = name;
    const title = group.querySelector("[data-testid=block-info]");
    const text = title ? title.innerText.trim() : "";
    if (text && group.getAttribute("aria-label") !== text) group.setAttribute("aria-label", text);
  }
}
themesRepair.groups = 0;
new MutationObserver(themesRepair).observe(document.documentElement, {
  childList: true,
  subtree: true,
});
</script>"""

AUDIT_COLUMNS = ["When (UTC)", "Who", "What", "Project", "Detail"]
COLUMN_HEADERS = ["Column", "Found to be", "Why", "Example answer"]
PROJECT_COLUMNS = ["Project", "Questions", "Edits", "Created (UTC)", "Created by", "Framework"]
NO_ID = "(none: use row numbers)"
DETECT = "detect"
UNASSIGNED = -1
NEW_THEME = -2
PAGE_SIZE = 100
VIEW_OUTPUTS = 26  # what render() returns, in the order of view_outputs
HISTORY_SHOWN = 200  # newest lines of the history on the page; exports hold all of it
ENCODINGS = [DETECT, "utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]
FORMATS = [("detect", DETECT)] + [(TOOL_NAMES[tool], tool) for tool in TOOLS]


@dataclass(frozen=True)
class View:
    """Where one browser tab is: the project and the version it last saw, question and theme,
    and who is reviewing in it (undo and redo act on their edits)."""

    project: str | None = None
    version: int = 0
    question: str | None = None
    theme: int | None = None
    user: str = ""
    chosen: tuple[int, ...] = ()  # responses ticked in the table (kept across pages, searches)


class Kept(tuple):
    """A page rendered after a refused edit: the boxes keep what the reviewer typed."""


def domain_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Show domain errors to the user as a Gradio error message, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ThemesError as exc:
            # The toast renders HTML; a refusal is the user's to fix, not a server fault, so no
            # traceback goes to the console.
            raise gr.Error(html_text(exc), print_exception=False) from exc

    return wrapper


def _console(message: str, fraction: float) -> None:
    print(f"  [{fraction * 100:5.1f}%] {message}", flush=True)


def _option(value: str | None) -> str | None:
    return None if value in (None, "", DETECT) else value


def _chosen_text(chosen: Sequence[int]) -> str:
    """What the chosen-rows box shows: '12, 15, 40'."""
    return ", ".join(map(str, chosen))


def _rows_from_text(text: str) -> list[int]:
    """'12, 15 40' -> [12, 15, 40]; anything else is a clear error."""
    rows = []
    for part in text.replace(",", " ").split():
        if not part.isdigit():
            raise ThemesError(
                f"{part!r} is not a row number. Type row numbers separated by commas, or click "
                "rows in the responses table."
            )
        rows.append(int(part))
    if not rows:
        raise ThemesError("Choose responses first: click rows in the table or type row numbers.")
    return rows


def ensure_sample_project(
    store: ProjectStore, data_file: Path, config: AnalysisConfig, framework: str
) -> str:
    """The bundled sample as a project (made once, analysed from cache after the first start)."""
    for info in store.projects():
        if info.name == SAMPLE_PROJECT and info.source == data_file.name:
            return info.id
    survey, _ = survey_from_path(data_file)
    info = create_project(
        store,
        survey,
        SAMPLE_PROJECT,
        framework=framework,
        embedder=make_embedder(config.model, config.batch_size),
        user="themes",
        config=config,
        cache=EmbeddingCache(),
        progress=_console,
    )
    return info.id


def build_app(
    data_file: Path = SAMPLE,
    config: AnalysisConfig | None = None,
    preload: bool = False,
    framework_name: str = DEFAULT_FRAMEWORK,
    store: ProjectStore | None = None,
    warm: bool = False,
) -> gr.Blocks:
    """The Gradio app. Only read-only things (settings, model) and the project database are
    shared between users.

    With ``preload``, the bundled sample is made into a project before the app starts (analysed
    once, then read back), so the first page shows themes at once.
    """
    config = config or AnalysisConfig()
    embedder = make_embedder(config.model, config.batch_size)
    cache = EmbeddingCache()
    store = store or ProjectStore()
    if preload:
        ensure_sample_project(store, data_file, config, framework_name)
    if warm:  # load the model and compile the clustering code while the first page is read
        threading.Thread(target=_warm_up, args=(embedder,), daemon=True).start()

    accounts = parse_accounts(os.environ.get("THEMES_USERS", ""))
    admins = {name for name, account in accounts.items() if account.admin}

    def signed_in(request: gr.Request | None) -> str | None:
        """The signed-in user, or None when the app runs without sign-in (one local user)."""
        return getattr(request, "username", None) if request is not None else None

    def reviewer(name: str, request: gr.Request | None) -> str:
        return signed_in(request) or " ".join((name or "").split()) or "anonymous"

    def allow(request: gr.Request | None, project_id: str | None, action: str) -> None:
        if not project_id:
            raise ThemesError("Open a project first (Projects tab).")
        user = signed_in(request)
        store.authorise(project_id, user, action, admin=user in admins)

    def visible(request: gr.Request | None) -> list[ProjectInfo]:
        user = signed_in(request)
        return [
            p
            for p in store.projects()
            if user is None or user in admins or p.created_by == user or user in store.members(p.id)
        ]

    # -- rendering --------------------------------------------------------------------------

    def _project_list(
        request: gr.Request | None, projects: list[ProjectInfo] | None = None
    ) -> tuple[pd.DataFrame, Any]:
        projects = visible(request) if projects is None else projects
        table = pd.DataFrame(
            [
                [
                    p.name,
                    len(p.questions),
                    p.version,
                    p.created.replace("T", " ")[:16],
                    p.created_by,
                    framework.name if (framework := open_framework(p)) else p.framework,
                ]
                for p in projects
            ],
            columns=PROJECT_COLUMNS,
        )
        choices = [(f"{p.name} ({p.created[:10]})", p.id) for p in projects]
        return table, gr.Radio(choices=choices, value=choices[0][1] if choices else None)

    def _question(state: ProjectState, framework: Framework | None, name: str) -> ReviewedQuestion:
        for q in reviewed_questions(store, state, framework, only=name):
            return q
        raise ThemesError(f"This project has no question {name!r}.")

    def render(
        view: View, state: ProjectState, query: str = "", page: int = 1, notice: str = ""
    ) -> tuple[Any, ...]:
        """Everything on the review tab for one view of one project version. With a
        ``notice`` (an edit refused because someone changed the same thing), the page shows
        their change and the message, and the edit boxes keep what the reviewer typed, so the
        same button applies it again on top."""
        framework = open_framework(state.info)
        question_name = view.question if view.question in state.questions else None
        question_name = question_name or state.info.questions[0]
        q = _question(state, framework, question_name)
        store.prepare_edits(state.info.id, question_name)  # the first edit then waits less
        review = q.review
        reach = review.reach()
        order = theme_order(review, reach)  # one order everywhere: the table's
        theme_id = view.theme
        if theme_id not in review.themes and theme_id != UNASSIGNED:
            theme_id = order[0] if order else None  # the table's first row
        chosen = view.chosen if theme_id == view.theme else ()
        view = View(state.info.id, state.version, question_name, theme_id, view.user, chosen)
        table = pd.DataFrame(review_rows(q, framework), columns=REVIEW_COLUMNS)
        chart = pd.DataFrame(
            {
                "Theme": [f"{r[0]}. {r[1]}" for r in table.values],
                "Respondents": table["People"],
            }
        )
        # The same order and the same count as the table: respondents, also-mentions included.
        theme_choices = [
            (f"{t + 1}. {review.themes[t].label} ({reach[t]} people)", t) for t in order
        ] + [(f"Unassigned responses ({len(review.unassigned())})", UNASSIGNED)]
        others = [c for c in theme_choices if c[1] not in (theme_id, UNASSIGNED)]
        rows, matching = response_rows(
            review, None if theme_id == UNASSIGNED else theme_id, query, page, PAGE_SIZE, chosen
        )
        pages = max(1, -(-matching // PAGE_SIZE))
        if theme_id is None or theme_id == UNASSIGNED:
            detail = (
                "### Unassigned responses\nAnswers that fit no theme. Move them to a theme, or "
                "leave them: they are counted in every report."
            )
            label = definition = group = ""
            minority = False
            links: list[str] = []
        else:
            detail = theme_detail(q, theme_id, framework)
            theme = review.themes[theme_id]
            label, definition, minority = theme.label, theme.definition, theme.minority
            group = theme.group
            links = (
                [link.item_id for link in q.mapping.links.get(theme_id, ())] if q.mapping else []
            )
        link_choices = [(f"{i.id} {i.name}", i.id) for i in framework.items] if framework else []
        mine, theirs = state.undoable_by(view.user), state.redoable_by(view.user)
        can_undo = f"Undo your edit: {mine[-1].summary}" if mine else "Nothing of yours to undo"
        can_redo = f"Redo your edit: {theirs[0].summary}" if theirs else "Nothing of yours to redo"
        shown_log = state.log[-HISTORY_SHOWN:]
        heading = (
            f"## {md(state.info.name)}\nVersion {state.version} · "
            f"{count_of(len(state.info.questions), 'question')} · framework: "
            f"{md(framework.name if framework else state.info.framework)}"
            f" · last change: {md(state.log[-1].summary) if state.log else 'none yet'}"
            + (f"\n\n**Not saved.** {md(notice)}" if notice else "")
        )
        keep = gr.skip() if notice else None
        outputs = (
            view,
            heading,
            gr.Radio(
                # Shown by the question's text (Qualtrics names columns by short ids).
                choices=[(r.question_text, r.question) for r in store.results(state.info.id)],
                value=question_name,
            ),
            review_summary(q),
            table,
            chart,
            coverage_markdown(review, framework, q.mapping)
            if framework and q.mapping
            else "No framework.",
            gr.Radio(choices=theme_choices, value=theme_id),
            detail,
            label if keep is None else keep,
            definition if keep is None else keep,
            minority if keep is None else keep,
            keep or gr.CheckboxGroup(choices=link_choices, value=links),
            keep or gr.Dropdown(choices=review.groups(), value=group or None),
            keep or gr.CheckboxGroup(choices=others, value=[]),
            keep
            or gr.Radio(choices=[*others, ("A new theme (name it below)", NEW_THEME)], value=None),
            pd.DataFrame(rows, columns=RESPONSE_COLUMNS),
            f"Showing {len(rows)} of {matching} responses (page {page} of {pages})."
            + (
                " Rows marked 'main: …' have another main theme; a part of them raises this one, "
                "so they count here too."
                if any(r[5].startswith("main: ") for r in rows)
                else ""
            ),
            gr.Button(value=can_undo, interactive=bool(mine)),
            gr.Button(value=can_redo, interactive=bool(theirs)),
            pd.DataFrame(history_rows(shown_log, state.undoable), columns=HISTORY_COLUMNS),
            "\n".join(review.redaction.names) if keep is None else keep,
            "\n".join(review.redaction.keep) if keep is None else keep,
            review.redaction.outward_postcodes if keep is None else keep,
            address_of(view, state),
            keep or _chosen_text(chosen),
        )
        return Kept(outputs) if notice else outputs

    def then(outputs: tuple[Any, ...], *extra: Any) -> tuple[Any, ...]:
        """A handler's page plus its own outputs (cleared boxes), which a refused edit keeps."""
        kept = isinstance(outputs, Kept)
        return (*outputs, *(gr.skip() if kept else value for value in extra))

    def address_of(view: View, state: ProjectState) -> str:
        """The page's address for this view (?project=...&question=N&theme=N), so that a reload,
        the back button or a shared link lands on the same project, question and theme."""
        parts = [f"project={view.project}"]
        if view.question in state.info.questions:
            parts.append(f"question={state.info.questions.index(view.question) + 1}")
        if view.theme == UNASSIGNED:
            parts.append("theme=unassigned")
        elif view.theme is not None:
            parts.append(f"theme={view.theme + 1}")
        return "?" + "&".join(parts)

    def view_from_address(request: gr.Request | None, projects: list[ProjectInfo]) -> View | None:
        """The view a page address names, when it names one of ``projects`` (those the user
        may open)."""
        params = dict(getattr(request, "query_params", None) or {})
        project = params.get("project", "")
        if not project or project not in {p.id for p in projects}:
            return None
        questions = store.info(project).questions
        number = str(params.get("question", ""))
        question = (
            questions[int(number) - 1]
            if number.isdigit() and 1 <= int(number) <= len(questions)
            else None
        )
        theme_text = str(params.get("theme", ""))
        theme = (
            UNASSIGNED
            if theme_text == "unassigned"
            else int(theme_text) - 1
            if theme_text.isdigit() and int(theme_text) >= 1
            else None
        )
        return View(project, 0, question, theme)

    def _state(view: View, request: gr.Request | None, action: str = "view") -> ProjectState:
        allow(request, view.project, action)
        return store.state(view.project or "")

    def _edit(
        view: View, name: str, request: gr.Request | None, op: str, **args: Any
    ) -> tuple[Any, ...]:
        if view.question is None:
            raise ThemesError("Open a project first (Projects tab).")
        allow(request, view.project, "edit")
        return _saved(view, name, request, Edit(op, view.question, args))

    def _saved(view: View, name: str, request: gr.Request | None, edit: Edit) -> tuple[Any, ...]:
        """Save one edit and render the page; when someone changed the same thing since this
        page was loaded, render their change with the reason instead (nothing is saved)."""
        view = replace(view, user=reviewer(name, request))
        try:
            state = store.edit(view.project or "", edit, user=view.user, version=view.version)
        except ConflictError as exc:
            return render(view, store.state(view.project or ""), notice=str(exc))
        return render(view, state)

    def _theme(view: View) -> int:
        if view.theme is None or view.theme == UNASSIGNED:
            raise ThemesError("Choose a theme first.")
        return view.theme

    # -- handlers ---------------------------------------------------------------------------

    @domain_errors
    def list_projects(request: gr.Request) -> tuple[Any, ...]:
        return _project_list(request)

    @domain_errors
    def start(view: View, request: gr.Request) -> tuple[Any, ...]:
        """The page as it opens: the project list, and the newest project open for review."""
        projects = visible(request)
        table, choice = _project_list(request, projects)
        if not projects:
            return (table, choice, *[gr.skip()] * VIEW_OUTPUTS)
        linked = view_from_address(request, projects)
        who = reviewer("", request)
        if linked is not None and linked.project is not None:
            state = store.state(linked.project)
            return (table, choice, *render(replace(linked, user=who), state))
        opened = View(projects[0].id, user=who)
        return (table, choice, *render(opened, store.state(projects[0].id)))

    @domain_errors
    def open_project(
        project_id: str | None, view: View, name: str, request: gr.Request
    ) -> tuple[Any, ...]:
        projects = visible(request)
        if not project_id:
            if not projects:
                raise ThemesError("There are no projects yet: create one from a survey export.")
            project_id = projects[0].id
        allow(request, project_id, "view")
        state = store.state(project_id)
        opened = View(project_id, user=reviewer(name, request))
        return (*render(opened, state), gr.Tabs(selected="review"))

    @domain_errors
    def show_question(view: View, question: str, name: str, request: gr.Request) -> tuple[Any, ...]:
        view = replace(view, question=question, theme=None, user=reviewer(name, request), chosen=())
        return render(view, _state(view, request))

    @domain_errors
    def show_theme(
        view: View,
        theme: int | None,
        query: str,
        page: float | None,
        name: str,
        request: gr.Request,
    ) -> tuple[Any, ...]:
        state = _state(view, request)
        chosen = view.chosen if theme == view.theme else ()  # a choice belongs to one theme
        view = replace(view, theme=theme, user=reviewer(name, request), chosen=chosen)
        return render(view, state, query or "", int(page or 1))

    @domain_errors
    def reload(view: View, name: str, request: gr.Request) -> tuple[Any, ...]:
        return render(replace(view, user=reviewer(name, request)), _state(view, request))

    @domain_errors
    def rename_theme(view: View, name: str, label: str, request: gr.Request) -> tuple[Any, ...]:
        return _edit(view, name, request, "rename", theme=_theme(view), label=label)

    @domain_errors
    def define_theme(
        view: View, name: str, definition: str, request: gr.Request
    ) -> tuple[Any, ...]:
        return _edit(view, name, request, "define", theme=_theme(view), definition=definition)

    @domain_errors
    def flag_minority(view: View, name: str, flag: bool, request: gr.Request) -> tuple[Any, ...]:
        return _edit(view, name, request, "flag_minority", theme=_theme(view), flag=bool(flag))

    @domain_errors
    def set_links(view: View, name: str, items: list[str], request: gr.Request) -> tuple[Any, ...]:
        return _edit(view, name, request, "set_links", theme=_theme(view), items=list(items or []))

    @domain_errors
    def automatic_links(view: View, name: str, request: gr.Request) -> tuple[Any, ...]:
        return _edit(view, name, request, "set_links", theme=_theme(view), items=None)

    @domain_errors
    def set_group(view: View, name: str, group: str | None, request: gr.Request) -> tuple[Any, ...]:
        return _edit(view, name, request, "set_group", themes=[_theme(view)], group=group or "")

    @domain_errors
    def rename_group(
        view: View, name: str, group: str | None, label: str, request: gr.Request
    ) -> tuple[Any, ...]:
        if not group:
            raise ThemesError("Choose the broad theme to rename first.")
        return _edit(view, name, request, "rename_group", group=group, label=label)

    @domain_errors
    def merge_themes(
        view: View, name: str, sources: list[int], request: gr.Request
    ) -> tuple[Any, ...]:
        if not sources:
            raise ThemesError("Tick the themes to merge into this one first.")
        return _edit(
            view, name, request, "merge", themes=[int(s) for s in sources], into=_theme(view)
        )

    @domain_errors
    def delete_theme(view: View, name: str, confirm: bool, request: gr.Request) -> tuple[Any, ...]:
        if not confirm:
            raise ThemesError(
                "Tick 'Yes, delete this theme' first. Its responses will become unassigned, not lost."
            )
        return _edit(view, name, request, "delete", theme=_theme(view))

    @domain_errors
    def suggest_split(view: View, request: gr.Request) -> tuple[Any, ...]:
        allow(request, view.project, "edit")
        suggestion = suggest_theme_split(
            store, view.project or "", view.question or "", _theme(view), embedder, cache
        )
        current = store.state(view.project or "").questions[view.question or ""].theme(_theme(view))
        lines = [
            f"**Suggested split into {len(suggestion.groups)} groups** (distinctness "
            f"{suggestion.quality:+.2f}; above 0.10 the groups are clearly different). The first "
            "group stays in this theme, under its present name unless you tick the box below; "
            "the others become new themes named as shown. Accept, or move responses by hand "
            "instead.",
            "",
        ]
        for number, (label, keywords, rows) in enumerate(suggestion.groups, start=1):
            shown = (
                f"**{md(current.label)}** ({len(rows)} responses, stays; suggested name: "
                f"{md(label)})"
                if number == 1
                else f"**{md(label)}** ({len(rows)} responses, new theme)"
            )
            lines.append(f"{number}. {shown}: {md(', '.join(keywords[:5]))}")
        stays = suggestion.groups[0][0]
        pending = {"groups": suggestion.as_edit_groups(), "stays": stays}
        rename = gr.Checkbox(
            # A reviewer's name for the theme is replaced only when they tick this.
            label=f"Also rename this theme to the suggested name '{stays}'",
            value=False,
            visible=stays != current.label,
        )
        return pending, "\n".join(lines), gr.Button(interactive=True), rename

    @domain_errors
    def accept_split(
        view: View,
        name: str,
        pending: dict[str, Any] | None,
        rename: bool,
        request: gr.Request,
    ) -> tuple[Any, ...]:
        if not pending or not pending.get("groups"):
            raise ThemesError("Ask for a suggested split first.")
        extra = {"label": pending["stays"]} if rename and pending.get("stays") else {}
        outputs = _edit(
            view, name, request, "split", theme=_theme(view), groups=pending["groups"], **extra
        )
        hidden = gr.Checkbox(value=False, visible=False)
        return then(outputs, None, "Split done.", gr.Button(interactive=False), hidden)

    def _acting_on(view: View, rows: str) -> tuple[View, list[int]]:
        """The rows an edit acts on (typed or ticked), and the view with that choice cleared:
        once the edit uses them, they are no longer ticked."""
        return replace(view, chosen=()), _rows_from_text(rows)

    @domain_errors
    def move_responses(
        view: View, name: str, rows: str, target: int | None, new_label: str, request: gr.Request
    ) -> tuple[Any, ...]:
        view, chosen = _acting_on(view, rows)
        if target is None:
            raise ThemesError("Choose where the responses go: a theme or 'A new theme'.")
        if int(target) == NEW_THEME:
            return _edit(view, name, request, "move", rows=chosen, new_label=new_label or "")
        return _edit(view, name, request, "move", rows=chosen, to=int(target))

    @domain_errors
    def also_mention(
        view: View, name: str, rows: str, target: int | None, request: gr.Request
    ) -> tuple[Any, ...]:
        if target is None or int(target) == NEW_THEME:
            raise ThemesError(
                "Choose, under 'Move them to', the existing theme these responses also raise."
            )
        view, chosen = _acting_on(view, rows)
        return _edit(view, name, request, "mention", rows=chosen, theme=int(target))

    @domain_errors
    def drop_mention(view: View, name: str, rows: str, request: gr.Request) -> tuple[Any, ...]:
        theme = _theme(view)
        view, chosen = _acting_on(view, rows)
        return _edit(view, name, request, "mention", rows=chosen, theme=theme, flag=False)

    @domain_errors
    def unassign_responses(
        view: View, name: str, rows: str, request: gr.Request
    ) -> tuple[Any, ...]:
        view, chosen = _acting_on(view, rows)
        return _edit(view, name, request, "unassign", rows=chosen)

    @domain_errors
    def mark_quotes(
        view: View, name: str, rows: str, flag: bool, request: gr.Request
    ) -> tuple[Any, ...]:
        state: tuple[Any, ...] = ()
        current, chosen = _acting_on(view, rows)
        refused = False
        for row in chosen:
            state = _edit(current, name, request, "mark_quote", row=row, flag=flag)
            refused = refused or isinstance(state, Kept)
            current = state[0]
        return Kept(state) if refused else state

    def use_quotes(view: View, name: str, rows: str, request: gr.Request) -> tuple[Any, ...]:
        return mark_quotes(view, name, rows, True, request)

    def drop_quotes(view: View, name: str, rows: str, request: gr.Request) -> tuple[Any, ...]:
        return mark_quotes(view, name, rows, False, request)

    @domain_errors
    def add_more(
        view: View,
        name: str,
        path: str | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        if not path:
            raise ThemesError("Choose the export with the new responses first.")
        allow(request, view.project, "edit")
        upload = Path(path)
        try:
            survey, _ = store_upload(upload.read_bytes(), upload.name)
        finally:
            upload.unlink(missing_ok=True)

        def report(message: str, fraction: float) -> None:
            progress(fraction, desc=message)

        state = add_batch(
            store,
            view.project or "",
            survey.path,
            embedder=embedder,
            user=reviewer(name, request),
            batch=survey.name,
            threshold=config.reassign_outliers or 0.45,
            cache=cache,
            progress=report,
        )
        stored = owned_upload(survey)
        if stored:  # the rows are in the project now; the copy of the file is not kept
            Path(stored).unlink(missing_ok=True)
        note = md(" ".join(e.summary + "." for e in state.log[-len(state.info.questions) :]))
        return (*render(view, state), note)

    def _list(text: str) -> list[str]:
        return [p.strip() for p in (text or "").replace(",", "\n").splitlines() if p.strip()]

    @domain_errors
    def set_redaction(
        view: View, name: str, names: str, keep: str, outward: bool, request: gr.Request
    ) -> tuple[Any, ...]:
        allow(request, view.project, "edit")
        return _saved(
            view,
            name,
            request,
            Edit(
                "set_redaction",
                ALL_QUESTIONS,
                {"names": _list(names), "keep": _list(keep), "outward_postcodes": bool(outward)},
            ),
        )

    @domain_errors
    def undo(view: View, name: str, request: gr.Request) -> tuple[Any, ...]:
        allow(request, view.project, "edit")
        view = replace(view, user=reviewer(name, request))
        return render(view, store.undo(view.project or "", user=view.user, version=view.version))

    @domain_errors
    def redo(view: View, name: str, request: gr.Request) -> tuple[Any, ...]:
        allow(request, view.project, "edit")
        view = replace(view, user=reviewer(name, request))
        return render(view, store.redo(view.project or "", user=view.user, version=view.version))

    @domain_errors
    def export(view: View, name: str, request: gr.Request) -> list[str]:
        state = _state(view, request, "export")
        folder = new_export_folder(state.info.id)
        paths = export_project(store, state.info.id, folder, user=reviewer(name, request))
        archive = shutil.make_archive(str(folder / "reviewed-results"), "zip", folder)
        return [archive, *[str(p) for p in paths]]

    @domain_errors
    def make_report(
        view: View,
        title: str,
        status: str,
        threshold: float | None,
        name: str,
        request: gr.Request,
    ) -> list[str]:
        state = _state(view, request, "export")
        folder = new_export_folder(state.info.id)
        paths = write_report(
            store,
            state.info.id,
            folder,
            ReportSettings(title or "What we heard", status or "draft", int(threshold or 10)),
            user=reviewer(name, request),
        )
        return [str(p) for p in paths]

    def pick_row(view: View, table: Any, evt: gr.SelectData) -> tuple[Any, ...]:
        """A clicked response is ticked, or unticked when it was."""
        value = evt.row_value[1] if evt.row_value and len(evt.row_value) > 1 else None
        if value is None or not str(value).isdigit():
            return view, _chosen_text(view.chosen), table
        row = int(value)
        chosen = tuple(r for r in view.chosen if r != row)
        if len(chosen) == len(view.chosen):
            chosen = (*view.chosen, row)
        return _with_choice(view, chosen, table)

    def type_rows(view: View, text: str, table: Any) -> tuple[Any, ...]:
        """Row numbers typed in the box tick those rows."""
        rows = [int(p) for p in text.replace(",", " ").split() if p.isdigit()]
        return _with_choice(view, tuple(dict.fromkeys(rows)), table)

    @domain_errors
    def choose_matching(view: View, query: str, table: Any, request: gr.Request) -> tuple[Any, ...]:
        """Every response of the theme on screen that matches the search, on every page."""
        if view.question is None:
            raise ThemesError("Open a project first (Projects tab).")
        state = _state(view, request)
        review = _question(state, open_framework(state.info), view.question).review
        theme = None if view.theme == UNASSIGNED else view.theme
        rows = matching_rows(review, theme, query or "")
        return _with_choice(view, tuple(dict.fromkeys([*view.chosen, *rows])), table)

    def clear_choice(view: View, table: Any) -> tuple[Any, ...]:
        return _with_choice(view, (), table)

    def _with_choice(view: View, chosen: tuple[int, ...], table: Any) -> tuple[Any, ...]:
        """The view, the chosen-rows box and the responses table with those rows ticked (the
        table already on screen, so nothing is rendered again)."""
        frame = table.copy() if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
        if len(frame) and len(frame.columns) == len(RESPONSE_COLUMNS):
            frame.columns = RESPONSE_COLUMNS
            marked = set(chosen)
            frame["Chosen"] = [
                CHOSEN_MARK if str(r).isdigit() and int(r) in marked else "" for r in frame["Row"]
            ]
        return replace(view, chosen=chosen), _chosen_text(chosen), frame

    def _preview(survey: SurveyFile, table: Table) -> tuple[Any, ...]:
        ids = [NO_ID, *id_candidates(table)]
        stem = Path(survey.name).stem.replace("_", " ")
        return (
            survey,
            table_report_markdown(table),
            pd.DataFrame(column_rows(table), columns=COLUMN_HEADERS),
            gr.CheckboxGroup(choices=table.columns, value=list(survey.questions)),
            gr.Radio(choices=ids, value=survey.id_column or NO_ID),
            gr.Textbox(value=stem),
        )

    @domain_errors
    def inspect_upload(
        path: str | None, encoding: str, layout: str, previews: bool
    ) -> tuple[Any, ...]:
        if not path:
            raise ThemesError("Choose a CSV, TSV or XLSX survey export to upload first.")
        upload = Path(path)
        try:
            survey, table = store_upload(
                upload.read_bytes(),
                upload.name,
                encoding=_option(encoding),
                tool=_option(layout),
                include_previews=bool(previews),
            )
        finally:
            upload.unlink(missing_ok=True)  # our own copy is kept; Gradio's temporary one is not
        return _preview(survey, table)

    @domain_errors
    def reread_upload(
        pending: SurveyFile | None, path: str | None, encoding: str, layout: str, previews: bool
    ) -> tuple[Any, ...]:
        """The attached export read again with other settings (encoding, survey tool,
        previews): from our kept copy, since Gradio's is removed once read."""
        if pending is None:
            if path and Path(path).exists():
                return inspect_upload(path, encoding, layout, previews)
            raise ThemesError(
                "Attach the survey export again: it could not be read with the earlier settings, "
                "and no copy of it was kept."
            )
        survey, table = store_upload(
            Path(pending.path).read_bytes(),
            pending.name,
            encoding=_option(encoding),
            tool=_option(layout),
            include_previews=bool(previews),
        )
        return _preview(survey, table)

    def forget_upload() -> tuple[Any, ...]:
        """A new file is being attached, or the file was removed: nothing is read yet."""
        return None, "", pd.DataFrame(columns=COLUMN_HEADERS), gr.CheckboxGroup(choices=[])

    @domain_errors
    def new_project(
        pending: SurveyFile | None,
        questions: list[str],
        id_column: str,
        project_name: str,
        framework: str,
        name: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        if pending is None:
            raise ThemesError(
                "No survey export has been read yet: attach a CSV, TSV or XLSX export above and "
                "wait until its columns are listed. If it could not be read, the reason was shown "
                "when you attached it."
            )
        if not questions:
            raise ThemesError("Choose at least one free-text question to analyse.")
        table = pending.read()
        survey = replace(
            pending,
            id_column=None if id_column == NO_ID else id_column,
            questions=tuple(questions),
        )
        for column in [*questions, *([survey.id_column] if survey.id_column else [])]:
            if column not in table.columns:
                raise ThemesError(f"{column!r} is not a column of {survey.name}.")

        def report(message: str, fraction: float) -> None:
            progress(fraction, desc=message)

        began = time.monotonic()
        info = create_project(
            store,
            survey,
            project_name,
            framework=framework or framework_name,
            embedder=embedder,
            user=reviewer(name, request),
            config=config,
            cache=cache,
            progress=report,
        )
        state = store.state(info.id)
        answers = sum(len(q.answers) for q in state.questions.values())
        return (
            *_project_list(request),
            *render(View(info.id, user=reviewer(name, request)), state),
            gr.Tabs(selected="review"),
            f"Created '{md(info.name)}': {answers} answers analysed in "
            f"{time.monotonic() - began:.0f} s. It is open on the Review themes tab.",
        )

    @domain_errors
    def share_project(
        project_id: str | None, person: str, role: str, name: str, request: gr.Request
    ) -> str:
        if not project_id:
            raise ThemesError("Choose the project to share.")
        allow(request, project_id, "share")
        store.share(
            project_id, person, None if role == "remove" else role, by=reviewer(name, request)
        )
        title = store.info(project_id).name
        if role == "remove":
            return f"{md(person)} no longer has access to '{md(title)}'."
        return f"Shared '{md(title)}' with {md(person)} as {md(role)}."

    @domain_errors
    def show_audit(request: gr.Request) -> pd.DataFrame:
        user = signed_in(request)
        if user is not None and user not in admins:
            raise ThemesError("Only an administrator can read the audit.")
        return pd.DataFrame(store.audit_log(), columns=AUDIT_COLUMNS)

    @domain_errors
    def delete_project(
        project_id: str | None, confirm: bool, view: View, name: str, request: gr.Request
    ) -> tuple[Any, ...]:
        if not project_id:
            raise ThemesError("Choose the project to delete.")
        if not confirm:
            raise ThemesError(
                "Tick 'Yes, delete it' first: this removes the project and its edits."
            )
        allow(request, project_id, "delete")
        title = store.info(project_id).name
        # ... and its exports, and the server's copies of them; recorded in the audit
        remove_project(store, project_id, user=reviewer(name, request))
        if view.project == project_id:
            view = View()
        return (*_project_list(request), f"Deleted '{md(title)}' and all its data.", view, False)

    # -- layout -----------------------------------------------------------------------------

    frameworks = bundled_frameworks()
    with gr.Blocks(title="themes: what people said", delete_cache=(3600, 3600)) as demo:
        view_state = gr.State(View())
        pending = gr.State(None)
        split_groups = gr.State(None)
        gr.Markdown("# What people said")
        # The view's address; the browser's location follows it (see address.change below).
        address = gr.Textbox(visible="hidden", elem_id="view-address", show_label=False)
        user_name = gr.Textbox(
            "",  # also the default for API callers that do not name themselves
            label="Your name (recorded with each edit)",
            placeholder="e.g. Sam at Healthwatch",
            max_lines=1,
        )
        with gr.Tabs() as tabs:
            with gr.Tab("Review themes", id="review"):
                heading = gr.Markdown("Open a project on the Projects tab.")
                with gr.Row():
                    undo_button = gr.Button(
                        "Nothing of yours to undo", interactive=False, size="sm"
                    )
                    redo_button = gr.Button(
                        "Nothing of yours to redo", interactive=False, size="sm"
                    )
                    reload_button = gr.Button("Reload (see others' changes)", size="sm")
                question = gr.Radio(label="Question", choices=[])
                summary = gr.Markdown()
                themes_table = read_only_table(
                    headers=REVIEW_COLUMNS,
                    label="Themes (by broad theme, largest first; click a row to review it)",
                    column_widths=["4%", "18%", "10%", "10%", "13%", "18%", "18%", "9%"],
                    max_height=640,  # about 8 themes in view, not 4
                )
                with gr.Accordion("Chart: respondents per theme", open=False):
                    chart = gr.BarPlot(
                        x="Theme",
                        y="Respondents",
                        label="Respondents per theme (the table above has the same numbers)",
                        sort="-y",
                        y_lim=[0, None],  # from zero, so the smallest theme has a bar
                        x_label_angle=-30,
                        height=320,
                    )
                with gr.Accordion("Strategy coverage", open=False):
                    coverage = gr.Markdown()
                theme = gr.Radio(label="Theme to review", choices=[])
                with gr.Row():
                    with gr.Column(scale=3):
                        detail = gr.Markdown()
                    with gr.Column(scale=2):
                        label_box = gr.Textbox(label="Theme name", max_lines=1)
                        rename_button = gr.Button("Rename", size="sm")
                        definition_box = gr.Textbox(label="Definition or memo", lines=3)
                        define_button = gr.Button("Save definition", size="sm")
                        minority_box = gr.Checkbox(label="Notable minority view")
                        with gr.Accordion("Strategy links", open=False):
                            links_box = gr.CheckboxGroup(label="Linked strategy items", choices=[])
                            with gr.Row():
                                links_button = gr.Button("Save links", size="sm")
                                auto_links_button = gr.Button("Use automatic links", size="sm")
                        with gr.Accordion("Broad theme", open=False):
                            group_box = gr.Dropdown(
                                label="Broad theme of this theme (pick one or type a new name)",
                                choices=[],
                                allow_custom_value=True,
                            )
                            group_button = gr.Button("Put this theme under it", size="sm")
                            group_label = gr.Textbox(
                                label="New name for the broad theme chosen above", max_lines=1
                            )
                            group_rename_button = gr.Button("Rename broad theme", size="sm")
                        with gr.Accordion("Merge, split or delete", open=False):
                            merge_box = gr.CheckboxGroup(
                                label="Merge these themes into this one (it keeps its name)",
                                choices=[],
                            )
                            merge_button = gr.Button("Merge ticked themes", size="sm")
                            split_button = gr.Button("Suggest a split", size="sm")
                            split_text = gr.Markdown()
                            split_rename = gr.Checkbox(visible=False)
                            accept_button = gr.Button(
                                "Accept the suggested split", interactive=False, size="sm"
                            )
                            delete_confirm = gr.Checkbox(label="Yes, delete this theme")
                            delete_button = gr.Button(
                                "Delete theme (responses become unassigned)",
                                variant="stop",
                                size="sm",
                            )
                with gr.Row():
                    search = gr.Textbox(
                        label="Search these responses", placeholder="e.g. parking", max_lines=1
                    )
                    page = gr.Number(label="Page", value=1, minimum=1, precision=0)
                page_note = gr.Markdown()
                responses = read_only_table(
                    headers=RESPONSE_COLUMNS,
                    label="Responses (click a row to tick it; click again to untick)",
                    column_widths=["7%", "6%", "10%", "53%", "7%", "17%"],
                    max_height=520,
                )
                with gr.Row():
                    choose_all_button = gr.Button(
                        "Tick all responses matching the search (every page)", size="sm"
                    )
                    clear_button = gr.Button("Untick all", size="sm")
                with gr.Row():
                    chosen_rows = gr.Textbox(
                        label="Chosen response rows (ticked; or type row numbers and press Enter)",
                        placeholder="e.g. 12, 15, 40",
                        max_lines=1,
                    )
                    move_target = gr.Radio(label="Move them to", choices=[])
                    new_label = gr.Textbox(label="New theme name (optional)", max_lines=1)
                with gr.Row():
                    move_button = gr.Button("Move chosen responses", size="sm")
                    unassign_button = gr.Button("Mark as fitting no theme", size="sm")
                    quote_button = gr.Button("Use as quotes", size="sm")
                    unquote_button = gr.Button("Stop using as quotes", size="sm")
                with gr.Row():
                    mention_button = gr.Button("They also raise the theme chosen above", size="sm")
                    unmention_button = gr.Button(
                        "They do not raise this theme (keep their main theme)", size="sm"
                    )
                with gr.Accordion("Redaction of quotes for publication", open=False):
                    gr.Markdown(
                        "Quotes in exports are redacted automatically: emails, phone numbers, NHS "
                        "numbers, postcodes and names after a title or role ('Dr Patel', 'nurse "
                        "Sarah'). Names written alone are not found by rule: list your staff, "
                        "wards and practices here. Read every quote before publishing."
                    )
                    redact_names = gr.Textbox(
                        label="Names to redact (one per line or comma-separated)", lines=3
                    )
                    redact_keep = gr.Textbox(
                        label="Words never to redact (e.g. a charity's name)", lines=2
                    )
                    redact_outward = gr.Checkbox(
                        label="Also redact postcode districts on their own (e.g. 'GL1')"
                    )
                    redact_button = gr.Button("Save redaction settings", size="sm")
                with gr.Accordion("Add a later batch of responses", open=False):
                    gr.Markdown(
                        "An export with the same questions, collected later. New answers go to the "
                        "reviewed theme they are most similar to, or stay unassigned; groups of "
                        "unassigned new answers are listed as possible new themes. Nothing you "
                        "reviewed is undone."
                    )
                    batch_file = gr.File(
                        label="Export with the new responses",
                        file_types=[".csv", ".tsv", ".txt", ".xlsx"],
                        type="filepath",
                    )
                    batch_button = gr.Button("Add these responses", size="sm")
                    batch_note = gr.Markdown()
            with gr.Tab("Projects", id="projects"):
                projects_table = read_only_table(
                    headers=PROJECT_COLUMNS,
                    label="Projects",
                )
                project_choice = gr.Radio(label="Project", choices=[])
                with gr.Row():
                    open_button = gr.Button("Open project", variant="primary")
                    refresh_button = gr.Button("Refresh list")
                with gr.Accordion("New project from a survey export", open=False):
                    gr.Markdown(
                        "Upload the export from your survey tool (SurveyMonkey, Microsoft Forms, "
                        "Google Forms, Qualtrics, EngagementHQ, Citizen Space, SmartSurvey or any "
                        "spreadsheet with one header row; CSV, TSV or XLSX). It stays on this "
                        "computer."
                    )
                    upload = gr.File(
                        label="Survey export",
                        file_types=[".csv", ".tsv", ".txt", ".xlsx"],
                        type="filepath",
                    )
                    with gr.Row():
                        encoding = gr.Radio(ENCODINGS, value=DETECT, label="Text encoding (CSV)")
                        layout = gr.Radio(FORMATS, value=DETECT, label="Survey tool")
                    previews = gr.Checkbox(
                        label="Keep survey previews and test responses (Qualtrics 'Status'); "
                        "they are left out by default",
                        value=False,
                    )
                    report = gr.Markdown()
                    columns = read_only_table(
                        headers=COLUMN_HEADERS,
                        label="What each column was found to be",
                        max_height=400,
                    )
                    chosen = gr.CheckboxGroup(label="Free-text questions to analyse", choices=[])
                    id_choice = gr.Radio(label="Respondent id column", choices=[])
                    project_name = gr.Textbox(label="Project name", max_lines=1)
                    framework_choice = gr.Radio(
                        frameworks, value=framework_name, label="Strategy framework"
                    )
                    gr.Markdown(
                        "Analysing takes about a minute per thousand answers on a laptop; its "
                        "progress shows below the button."
                    )
                    create_button = gr.Button("Create project and analyse", variant="primary")
                    # The analysis's progress (step, share done, time) shows here, by the button.
                    create_progress = gr.Markdown("", elem_id="create-progress", min_height=48)
                with gr.Accordion("Delete a project", open=False):
                    gr.Markdown("Deletes the chosen project, its responses and its edit history.")
                    delete_project_confirm = gr.Checkbox(label="Yes, delete it")
                    delete_project_button = gr.Button("Delete the chosen project", variant="stop")
                    deleted_note = gr.Markdown()
                with gr.Accordion("Share the chosen project", open=False):
                    gr.Markdown(
                        "With sign-in on, people see only the projects shared with them. A "
                        "reviewer can edit and export; a viewer can read; an owner can also share "
                        "and delete."
                    )
                    share_person = gr.Textbox(label="Their sign-in name", max_lines=1)
                    share_role = gr.Radio(
                        [
                            ("Reviewer", "reviewer"),
                            ("Viewer", "viewer"),
                            ("Owner", "owner"),
                            ("Remove their access", "remove"),
                        ],
                        value="reviewer",
                        label="Role",
                    )
                    share_button = gr.Button("Share")
                    shared_note = gr.Markdown()
            with gr.Tab("History and export", id="history"):
                history = read_only_table(
                    headers=HISTORY_COLUMNS,
                    label="Every edit, newest first (undone edits stay in the history)",
                    column_widths=["5%", "15%", "12%", "56%", "12%"],
                    max_height=600,
                )
                export_button = gr.Button("Export reviewed results (CSV, XLSX and history)")
                export_files = gr.File(label="Reviewed results", file_count="multiple")
                with gr.Accordion(
                    "Audit: deletions, exports, reports, shares and refused sign-ins", open=False
                ):
                    audit_button = gr.Button("Show the audit", size="sm")
                    audit_table = read_only_table(
                        headers=AUDIT_COLUMNS,
                        label="Audit, newest first",
                        max_height=400,
                    )
                gr.Markdown(
                    "### Report\nA 'what we heard' report (Word and web page) with themes by "
                    "strategy pillar, anonymised quotes and small numbers hidden, and the codebook "
                    "for NVivo, ATLAS.ti and MAXQDA (.qdc). Read it before sending it on."
                )
                with gr.Row():
                    report_title = gr.Textbox(label="Report title", value="What we heard")
                    report_status = gr.Radio(
                        [("Draft for factual accuracy check", "draft"), ("Final", "final")],
                        value="draft",
                        label="Status",
                    )
                    report_threshold = gr.Number(
                        label="Hide counts below", value=10, minimum=1, precision=0
                    )
                report_button = gr.Button("Make the report", variant="primary")
                report_files = gr.File(label="Report", file_count="multiple")

        view_outputs = [
            view_state,
            heading,
            question,
            summary,
            themes_table,
            chart,
            coverage,
            theme,
            detail,
            label_box,
            definition_box,
            minority_box,
            links_box,
            group_box,
            merge_box,
            move_target,
            responses,
            page_note,
            undo_button,
            redo_button,
            history,
            redact_names,
            redact_keep,
            redact_outward,
            address,
            chosen_rows,
        ]
        private: dict[str, Any] = {"api_visibility": "private"}

        def recover(dependency: Any) -> Any:
            """After a refused action, leave its outputs as they were: Gradio otherwise marks each
            with an 'Error' badge that blocks the page until a reload (the message still shows,
            and API callers still get the error)."""
            outputs = [demo.blocks[i] for i in dependency["outputs"]]
            if outputs:
                dependency.failure(
                    lambda: gr.skip(), outputs=outputs, show_progress="hidden", **private
                )
            return dependency

        # The reviewer's name is kept by this browser tab (sessionStorage: a reload keeps it,
        # another tab keeps its own), and a new tab starts from the name typed last anywhere.
        demo.load(
            None,
            outputs=[user_name],
            js=f"() => sessionStorage.getItem('{NAME_KEY}') ?? localStorage.getItem('{NAME_KEY}')"
            " ?? ''",
            **private,
        )
        user_name.change(
            None,
            inputs=[user_name],
            js=f"(name) => {{ sessionStorage.setItem('{NAME_KEY}', name);"
            f" localStorage.setItem('{NAME_KEY}', name); }}",
            **private,
        )
        recover(
            demo.load(
                start,
                inputs=[view_state],
                outputs=[projects_table, project_choice, *view_outputs],
                api_name="start",
            )
        )
        address.change(
            None,
            inputs=[address],
            js="(q) => { if (q && window.location.search !== q) "
            "window.history.replaceState(null, '', q); return []; }",
            **private,
        )
        recover(
            refresh_button.click(list_projects, outputs=[projects_table, project_choice], **private)
        )
        recover(
            open_button.click(
                open_project,
                inputs=[project_choice, view_state, user_name],
                outputs=[*view_outputs, tabs],
                api_name="open_project",
            )
        )
        recover(
            question.input(
                show_question,
                inputs=[view_state, question, user_name],
                outputs=view_outputs,
                api_name="show_question",
            )
        )
        theme_inputs = [view_state, theme, search, page, user_name]
        recover(
            theme.input(
                show_theme, inputs=theme_inputs, outputs=view_outputs, api_name="show_theme"
            )
        )
        recover(search.submit(show_theme, inputs=theme_inputs, outputs=view_outputs, **private))
        recover(page.submit(show_theme, inputs=theme_inputs, outputs=view_outputs, **private))
        recover(
            reload_button.click(
                reload, inputs=[view_state, user_name], outputs=view_outputs, api_name="reload"
            )
        )

        def pick_theme(view: View, evt: gr.SelectData) -> int | None:
            number = evt.row_value[0] if evt.row_value else None
            return int(number) - 1 if number is not None else view.theme

        recover(
            themes_table.select(pick_theme, inputs=[view_state], outputs=theme, **private).then(
                show_theme, inputs=theme_inputs, outputs=view_outputs, **private
            )
        )
        choice_outputs = [view_state, chosen_rows, responses]
        recover(
            responses.select(
                pick_row, inputs=[view_state, responses], outputs=choice_outputs, **private
            )
        )
        recover(
            chosen_rows.submit(
                type_rows, inputs=[view_state, chosen_rows, responses], outputs=choice_outputs
            )
        )
        recover(
            choose_all_button.click(
                choose_matching,
                inputs=[view_state, search, responses],
                outputs=choice_outputs,
                **private,
            )
        )
        recover(
            clear_button.click(
                clear_choice, inputs=[view_state, responses], outputs=choice_outputs, **private
            )
        )

        edits: list[tuple[Any, Callable[..., Any], list[Any], str]] = [
            (rename_button, rename_theme, [label_box], "rename_theme"),
            (define_button, define_theme, [definition_box], "define_theme"),
            (links_button, set_links, [links_box], "set_links"),
            (group_button, set_group, [group_box], "set_group"),
            (group_rename_button, rename_group, [group_box, group_label], "rename_group"),
            (merge_button, merge_themes, [merge_box], "merge_themes"),
            (delete_button, delete_theme, [delete_confirm], "delete_theme"),
        ]
        for button, handler, extra, api in edits:
            recover(
                button.click(
                    handler,
                    inputs=[view_state, user_name, *extra],
                    outputs=view_outputs,
                    api_name=api,
                )
            )
        recover(
            label_box.submit(
                rename_theme,
                inputs=[view_state, user_name, label_box],
                outputs=view_outputs,
                **private,
            )
        )
        recover(
            minority_box.input(
                flag_minority,
                inputs=[view_state, user_name, minority_box],
                outputs=view_outputs,
                api_name="flag_minority",
            )
        )
        recover(
            auto_links_button.click(
                automatic_links,
                inputs=[view_state, user_name],
                outputs=view_outputs,
                api_name="automatic_links",
            )
        )
        recover(
            split_button.click(
                suggest_split,
                inputs=[view_state],
                outputs=[split_groups, split_text, accept_button, split_rename],
                api_name="suggest_split",
            )
        )
        recover(
            accept_button.click(
                accept_split,
                inputs=[view_state, user_name, split_groups, split_rename],
                outputs=[*view_outputs, split_groups, split_text, accept_button, split_rename],
                api_name="accept_split",
            )
        )
        recover(
            move_button.click(
                move_responses,
                inputs=[view_state, user_name, chosen_rows, move_target, new_label],
                outputs=view_outputs,
                api_name="move_responses",
            )
        )
        recover(
            mention_button.click(
                also_mention,
                inputs=[view_state, user_name, chosen_rows, move_target],
                outputs=view_outputs,
                api_name="also_mention",
            )
        )
        for button, handler, api in (  # buttons that act on the chosen rows
            (unmention_button, drop_mention, "drop_mention"),
            (unassign_button, unassign_responses, "unassign_responses"),
            (quote_button, use_quotes, "mark_quotes"),
            (unquote_button, drop_quotes, "unmark_quotes"),
        ):
            recover(
                button.click(
                    handler,
                    inputs=[view_state, user_name, chosen_rows],
                    outputs=view_outputs,
                    api_name=api,
                )
            )
        recover(
            redact_button.click(
                set_redaction,
                inputs=[view_state, user_name, redact_names, redact_keep, redact_outward],
                outputs=view_outputs,
                api_name="set_redaction",
            )
        )
        recover(
            batch_button.click(
                add_more,
                inputs=[view_state, user_name, batch_file],
                outputs=[*view_outputs, batch_note],
                show_progress_on=[batch_note],
                api_name="add_responses",
            )
        )
        recover(
            undo_button.click(
                undo, inputs=[view_state, user_name], outputs=view_outputs, api_name="undo"
            )
        )
        recover(
            redo_button.click(
                redo, inputs=[view_state, user_name], outputs=view_outputs, api_name="redo"
            )
        )
        recover(
            export_button.click(
                export, inputs=[view_state, user_name], outputs=export_files, api_name="export"
            )
        )
        recover(
            report_button.click(
                make_report,
                inputs=[view_state, report_title, report_status, report_threshold, user_name],
                outputs=report_files,
                api_name="make_report",
            )
        )

        preview_outputs = [pending, report, columns, chosen, id_choice, project_name]
        forgotten = [pending, report, columns, chosen]
        upload.clear(forget_upload, outputs=forgotten, **private)
        recover(
            upload.upload(forget_upload, outputs=forgotten, **private).then(
                inspect_upload,
                inputs=[upload, encoding, layout, previews],
                outputs=preview_outputs,
                api_name="inspect_upload",
            )
        )
        for control in (encoding, layout, previews):
            recover(
                control.input(
                    reread_upload,
                    inputs=[pending, upload, encoding, layout, previews],
                    outputs=preview_outputs,
                    **private,
                )
            )
        recover(
            create_button.click(
                new_project,
                inputs=[pending, chosen, id_choice, project_name, framework_choice, user_name],
                outputs=[projects_table, project_choice, *view_outputs, tabs, create_progress],
                api_name="create_project",
                show_progress_on=[create_progress],
            )
        )
        recover(
            delete_project_button.click(
                delete_project,
                inputs=[project_choice, delete_project_confirm, view_state, user_name],
                outputs=[
                    projects_table,
                    project_choice,
                    deleted_note,
                    view_state,
                    delete_project_confirm,
                ],
                api_name="delete_project",
            )
        )
        recover(
            share_button.click(
                share_project,
                inputs=[project_choice, share_person, share_role, user_name],
                outputs=[shared_note],
                api_name="share_project",
            )
        )
        recover(audit_button.click(show_audit, outputs=[audit_table], api_name="audit"))
    return demo


def _warm_up(embedder: Any) -> None:
    from themes.analysis.discover import warm_up

    embedder.embed(["Warming up the model."])
    print(f"Ready for new analyses (warm-up took {warm_up():.0f} s)", flush=True)


def launch_options(host: str) -> dict[str, Any]:
    """Safe launch settings. Anything but loopback needs accounts (THEMES_USERS='name:password'
    or 'name:password:admin', comma-separated; passwords of 12 characters or more), the host
    names people use (THEMES_ALLOWED_HOSTS), and should have TLS (THEMES_TLS_CERT and
    THEMES_TLS_KEY, PEM files) unless a proxy in front provides it. Accounts on loopback turn
    sign-in on there too."""
    options: dict[str, Any] = dict(
        css=PAGE_CSS,
        head=PAGE_HEAD,
        server_name=host,
        share=False,
        run_history=False,
        max_file_size="200mb",
        footer_links=[],
        show_error=False,
    )
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    try:
        accounts = parse_accounts(os.environ.get("THEMES_USERS", ""))
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    if not loopback and not accounts:
        raise SystemExit(
            f"Refusing to listen on {host} without authentication. Set THEMES_USERS="
            "'name:password' (comma-separate several; add ':admin' for an administrator), or use "
            "--host 127.0.0.1."
        )
    if accounts:

        def refused(name: str, why: str) -> None:
            ProjectStore().record(name or "(no name)", "sign-in refused", detail=why)

        options["auth"] = Authenticator(accounts, on_failure=refused)
        options["auth_message"] = "Sign in with the name and password your administrator gave you."
    cert, key = os.environ.get("THEMES_TLS_CERT", ""), os.environ.get("THEMES_TLS_KEY", "")
    if bool(cert) != bool(key):
        raise SystemExit("Set both THEMES_TLS_CERT and THEMES_TLS_KEY (PEM files), or neither.")
    for path in (cert, key):
        if path and not Path(path).is_file():
            raise SystemExit(f"The TLS file {path!r} does not exist.")
    if cert:
        options["ssl_certfile"], options["ssl_keyfile"] = cert, key
    elif not loopback:
        print(
            "Warning: serving over plain HTTP; passwords and answers cross the network unencrypted "
            "unless a proxy in front adds HTTPS. Set THEMES_TLS_CERT and THEMES_TLS_KEY to serve "
            "HTTPS directly.",
            file=sys.stderr,
        )
    options["app_kwargs"] = {"middleware": middleware(host, loopback)}
    return options


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Launch the themes app.")
    parser.add_argument("--data", type=Path, default=SAMPLE, help="survey export to show first")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("THEMES_PORT", "7860")))
    args = parser.parse_args(argv)
    options = launch_options(args.host)  # a refused address is said before any work is done
    make_private()  # answers are personal data: files 0600, folders 0700
    purged = purge_orphans(ProjectStore(), web_cache=True)  # nobody is using it yet
    if purged:
        print(f"Removed {len(purged)} leftover copies of answers (uploads, exports, downloads)")
    print(f"Preparing {args.data.name} (the first start analyses it; later starts reuse that)")
    demo = build_app(args.data, preload=True, warm=True)
    demo.queue(default_concurrency_limit=2).launch(server_port=args.port, **options)


if __name__ == "__main__":
    main()
