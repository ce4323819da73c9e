"""The review page of one view of one project version: every component it fills (on the review
tab, the history table and the page's address) and the values it fills them with, as
``{component: value}`` updates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from app.context import AppContext
from app.page import HISTORY_SHOWN, NEW_THEME, PAGE_SIZE, UNASSIGNED, View, address_of, chosen_text
from themes.core.markup import md
from themes.frameworks.framework import Framework
from themes.project_ops import open_framework, other_names
from themes.review.store import ProjectState
from themes.review.tables import (
    HISTORY_COLUMNS,
    RESPONSE_COLUMNS,
    REVIEW_COLUMNS,
    history_rows,
    response_rows,
    review_rows,
    review_summary,
    theme_detail,
    theme_order,
)
from themes.review.views import count_of, coverage_markdown

Updates = dict[Any, Any]


class Refused(dict):  # type: ignore[type-arg]
    """A page rendered after a refused edit: the boxes keep what the reviewer typed."""


@dataclass(frozen=True)
class ReviewPage:
    """The components a review page fills, in the order the app's API returns them."""

    view_state: Any
    heading: Any
    question: Any
    summary: Any
    themes_table: Any
    chart: Any
    coverage: Any
    theme: Any
    detail: Any
    label_box: Any
    definition_box: Any
    minority_box: Any
    links_box: Any
    group_box: Any
    merge_box: Any
    move_target: Any
    responses: Any
    page_note: Any
    undo_button: Any
    redo_button: Any
    history: Any
    redact_names: Any
    redact_keep: Any
    redact_outward: Any
    address: Any
    chosen_rows: Any
    name_choice: Any

    @property
    def outputs(self) -> list[Any]:
        return list(vars(self).values())

    def skip(self) -> Updates:
        """Leave every component of the page as it is."""
        return dict.fromkeys(self.outputs, gr.skip())


def then(updates: Updates, extra: Updates) -> Updates:
    """A handler's page plus its own outputs (cleared boxes), which a refused edit keeps."""
    if isinstance(updates, Refused):
        return Refused({**updates, **dict.fromkeys(extra, gr.skip())})
    return {**updates, **extra}


def render(
    ctx: AppContext,
    page: ReviewPage,
    view: View,
    state: ProjectState,
    query: str = "",
    page_number: int = 1,
    notice: str = "",
) -> Updates:
    """Everything on the review page for one view of one project version. With a ``notice`` (an
    edit refused because someone changed the same thing), the page shows their change and the
    message, and the edit boxes keep what the reviewer typed, so the same button applies it
    again on top."""
    store = ctx.store
    framework: Framework | None = open_framework(state.info)
    question_name = view.question if view.question in state.questions else None
    question_name = question_name or state.info.questions[0]
    q = ctx.question(state, framework, question_name)
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
        review, None if theme_id == UNASSIGNED else theme_id, query, page_number, PAGE_SIZE, chosen
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
        names: list[tuple[str, float]] = []
    else:
        names = other_names(store, state.info.id, review, theme_id, wait=False)
        detail = theme_detail(q, theme_id, framework, names)
        theme = review.themes[theme_id]
        label, definition, minority = theme.label, theme.definition, theme.minority
        group = theme.group
        links = [link.item_id for link in q.mapping.links.get(theme_id, ())] if q.mapping else []
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
    updates = {
        page.view_state: view,
        page.heading: heading,
        page.question: gr.Radio(
            # Shown by the question's text (Qualtrics names columns by short ids).
            choices=[(r.question_text, r.question) for r in store.results(state.info.id)],
            value=question_name,
        ),
        page.summary: review_summary(q),
        page.themes_table: table,
        page.chart: chart,
        page.coverage: coverage_markdown(review, framework, q.mapping)
        if framework and q.mapping
        else "No framework.",
        page.theme: gr.Radio(choices=theme_choices, value=theme_id),
        page.detail: detail,
        page.label_box: label if keep is None else keep,
        page.definition_box: definition if keep is None else keep,
        page.minority_box: minority if keep is None else keep,
        page.links_box: keep or gr.CheckboxGroup(choices=link_choices, value=links),
        page.group_box: keep or gr.Dropdown(choices=review.groups(), value=group or None),
        page.merge_box: keep or gr.CheckboxGroup(choices=others, value=[]),
        page.move_target: keep
        or gr.Radio(choices=[*others, ("A new theme (name it below)", NEW_THEME)], value=None),
        page.responses: pd.DataFrame(rows, columns=RESPONSE_COLUMNS),
        page.page_note: f"Showing {len(rows)} of {matching} responses (page {page_number} of "
        f"{pages})."
        + (
            " Rows marked 'main: …' have another main theme; a part of them raises this one, "
            "so they count here too."
            if any(r[5].startswith("main: ") for r in rows)
            else ""
        ),
        page.undo_button: gr.Button(value=can_undo, interactive=bool(mine)),
        page.redo_button: gr.Button(value=can_redo, interactive=bool(theirs)),
        page.history: pd.DataFrame(
            history_rows(shown_log, state.undoable), columns=HISTORY_COLUMNS
        ),
        page.redact_names: "\n".join(review.redaction.names) if keep is None else keep,
        page.redact_keep: "\n".join(review.redaction.keep) if keep is None else keep,
        page.redact_outward: review.redaction.outward_postcodes if keep is None else keep,
        page.address: address_of(view, state),
        page.chosen_rows: keep or chosen_text(chosen),
        page.name_choice: keep
        or gr.Dropdown(
            choices=[(f"{name} ({share:.0%} of its answers)", name) for name, share in names],
            value=None,
        ),
    }
    return Refused(updates) if notice else updates
