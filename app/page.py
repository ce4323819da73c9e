"""What every screen of the app shares: the page's look (CSS, accessibility repairs), table
headers and choices, where a browser tab is (``View``), its address, and the helpers that turn
a domain error into a message and typed row numbers into rows."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from themes import ThemesError
from themes.core.markup import html_text
from themes.ingest.layouts import TOOLS
from themes.review.views import TOOL_NAMES

if TYPE_CHECKING:
    from themes.review.records import ProjectInfo
    from themes.review.store import ProjectState, ProjectStore

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
    # A dropdown with nothing picked greys its box under 4.5:1 ('Or pick a name ...').
    "input[role=combobox].subdued { color: var(--body-text-color) !important; }\n"
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
HISTORY_SHOWN = 200  # newest lines of the history on the page; exports hold all of it
ENCODINGS = [DETECT, "utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]
FORMATS = [("detect", DETECT)] + [(TOOL_NAMES[tool], tool) for tool in TOOLS]
PRIVATE: dict[str, Any] = {"api_visibility": "private"}
"""Settings of an event that is the page's own, not part of the app's API."""
ONE_ANALYSIS: dict[str, Any] = {"concurrency_id": "analysis", "concurrency_limit": 1}
"""Settings of an event that analyses answers: one analysis at a time on the whole server (each
uses every core and a gigabyte or more), while edits and page views go on beside it."""


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


def option(value: str | None) -> str | None:
    """A choice that may say 'detect' (or nothing): None then."""
    return None if value in (None, "", DETECT) else value


def chosen_text(chosen: Sequence[int]) -> str:
    """What the chosen-rows box shows: '12, 15, 40'."""
    return ", ".join(map(str, chosen))


def rows_from_text(text: str) -> list[int]:
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


def view_from_address(
    store: ProjectStore, request: gr.Request | None, projects: list[ProjectInfo]
) -> View | None:
    """The view a page address names, when it names one of ``projects`` (those the user may
    open)."""
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
