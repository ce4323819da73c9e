"""Choosing responses on the review tab: click rows to tick them, type row numbers, tick every
response matching the search on every page, untick all. The choice lives in the tab's ``View``
and is shown in the responses table already on screen (nothing is rendered again)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import gradio as gr
import pandas as pd

from app.context import AppContext
from app.page import PRIVATE, UNASSIGNED, View, chosen_text, domain_errors
from app.review_actions import Recover
from app.review_page import ReviewPage, Updates
from app.review_tab import ReviewTab
from themes import ThemesError
from themes.project_ops import open_framework
from themes.review.tables import CHOSEN_MARK, RESPONSE_COLUMNS, matching_rows


class ResponseChoice:
    """The handlers that tick and untick responses, and the events that call them."""

    def __init__(self, ctx: AppContext, page: ReviewPage, tab: ReviewTab) -> None:
        self.ctx, self.page, self.tab = ctx, page, tab

    def pick_row(self, view: View, table: Any, evt: gr.SelectData) -> Updates:
        """A clicked response is ticked, or unticked when it was."""
        value = evt.row_value[1] if evt.row_value and len(evt.row_value) > 1 else None
        if value is None or not str(value).isdigit():
            return {
                self.page.view_state: view,
                self.tab.chosen_rows: chosen_text(view.chosen),
                self.tab.responses: table,
            }
        row = int(value)
        chosen = tuple(r for r in view.chosen if r != row)
        if len(chosen) == len(view.chosen):
            chosen = (*view.chosen, row)
        return self._with_choice(view, chosen, table)

    def type_rows(self, view: View, text: str, table: Any) -> Updates:
        """Row numbers typed in the box tick those rows."""
        rows = [int(p) for p in text.replace(",", " ").split() if p.isdigit()]
        return self._with_choice(view, tuple(dict.fromkeys(rows)), table)

    @domain_errors
    def choose_matching(self, view: View, query: str, table: Any, request: gr.Request) -> Updates:
        """Every response of the theme on screen that matches the search, on every page."""
        if view.question is None:
            raise ThemesError("Open a project first (Projects tab).")
        state = self.ctx.state(view, request)
        review = self.ctx.question(state, open_framework(state.info), view.question).review
        theme = None if view.theme == UNASSIGNED else view.theme
        rows = matching_rows(review, theme, query or "")
        return self._with_choice(view, tuple(dict.fromkeys([*view.chosen, *rows])), table)

    def clear_choice(self, view: View, table: Any) -> Updates:
        return self._with_choice(view, (), table)

    def _with_choice(self, view: View, chosen: tuple[int, ...], table: Any) -> Updates:
        """The view, the chosen-rows box and the responses table with those rows ticked (the
        table already on screen, so nothing is rendered again)."""
        frame = table.copy() if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
        if len(frame) and len(frame.columns) == len(RESPONSE_COLUMNS):
            frame.columns = RESPONSE_COLUMNS
            marked = set(chosen)
            frame["Chosen"] = [
                CHOSEN_MARK if str(r).isdigit() and int(r) in marked else "" for r in frame["Row"]
            ]
        return {
            self.page.view_state: replace(view, chosen=chosen),
            self.tab.chosen_rows: chosen_text(chosen),
            self.tab.responses: frame,
        }

    def wire(self, recover: Recover) -> None:
        tab, view_state = self.tab, self.page.view_state
        outputs = [view_state, tab.chosen_rows, tab.responses]
        recover(
            tab.responses.select(
                self.pick_row, inputs=[view_state, tab.responses], outputs=outputs, **PRIVATE
            )
        )
        recover(
            tab.chosen_rows.submit(
                self.type_rows, inputs=[view_state, tab.chosen_rows, tab.responses], outputs=outputs
            )
        )
        recover(
            tab.choose_all_button.click(
                self.choose_matching,
                inputs=[view_state, tab.search, tab.responses],
                outputs=outputs,
                **PRIVATE,
            )
        )
        recover(
            tab.clear_button.click(
                self.clear_choice, inputs=[view_state, tab.responses], outputs=outputs, **PRIVATE
            )
        )
