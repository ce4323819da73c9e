"""What the review tab does: open a question or theme, every edit a reviewer makes (each one
domain call, ``themes.review``), undo and redo, and the events that call them. Each handler
returns ``{component: value}`` updates of the review page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr

from app.context import AppContext
from app.page import (
    NEW_THEME,
    ONE_ANALYSIS,
    PRIVATE,
    UNASSIGNED,
    View,
    domain_errors,
    rows_from_text,
)
from app.review_page import Refused, ReviewPage, Updates, render, then
from app.review_tab import ReviewTab
from themes import ThemesError
from themes.analysis.workspace import owned_upload, store_upload
from themes.core.errors import ConflictError
from themes.core.markup import md
from themes.project_ops import add_batch, project_suggestions, suggest_theme_split
from themes.review.edits import ALL_QUESTIONS, Edit
from themes.review.suggestions import Suggestion

Recover = Callable[[Any], Any]


def _theme(view: View) -> int:
    if view.theme is None or view.theme == UNASSIGNED:
        raise ThemesError("Choose a theme first.")
    return view.theme


def _acting_on(view: View, rows: str) -> tuple[View, list[int]]:
    """The rows an edit acts on (typed or ticked), and the view with that choice cleared: once
    the edit uses them, they are no longer ticked."""
    return replace(view, chosen=()), rows_from_text(rows)


def _list(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace(",", "\n").splitlines() if p.strip()]


class ReviewActions:
    """The review tab's handlers, over the app's shared context and the page they fill."""

    def __init__(self, ctx: AppContext, page: ReviewPage, tab: ReviewTab) -> None:
        self.ctx, self.page, self.tab = ctx, page, tab

    # -- showing -------------------------------------------------------------------------------

    def render(self, view: View, state: Any, query: str = "", page: int = 1) -> Updates:
        return render(self.ctx, self.page, view, state, query, page)

    @domain_errors
    def show_question(self, view: View, question: str, name: str, request: gr.Request) -> Updates:
        view = replace(
            view, question=question, theme=None, user=self.ctx.reviewer(name, request), chosen=()
        )
        return self.render(view, self.ctx.state(view, request))

    @domain_errors
    def show_theme(
        self,
        view: View,
        theme: int | None,
        query: str,
        page: float | None,
        name: str,
        request: gr.Request,
    ) -> Updates:
        state = self.ctx.state(view, request)
        chosen = view.chosen if theme == view.theme else ()  # a choice belongs to one theme
        view = replace(view, theme=theme, user=self.ctx.reviewer(name, request), chosen=chosen)
        return self.render(view, state, query or "", int(page or 1))

    @domain_errors
    def reload(self, view: View, name: str, request: gr.Request) -> Updates:
        view = replace(view, user=self.ctx.reviewer(name, request))
        return self.render(view, self.ctx.state(view, request))

    # -- edits ---------------------------------------------------------------------------------

    def _edit(
        self, view: View, name: str, request: gr.Request | None, op: str, **args: Any
    ) -> Updates:
        if view.question is None:
            raise ThemesError("Open a project first (Projects tab).")
        self.ctx.allow(request, view.project, "edit")
        return self._saved(view, name, request, Edit(op, view.question, args))

    def _saved(self, view: View, name: str, request: gr.Request | None, edit: Edit) -> Updates:
        """Save one edit and render the page; when someone changed the same thing since this
        page was loaded, render their change with the reason instead (nothing is saved)."""
        store = self.ctx.store
        view = replace(view, user=self.ctx.reviewer(name, request))
        try:
            state = store.edit(view.project or "", edit, user=view.user, version=view.version)
        except ConflictError as exc:
            return render(
                self.ctx, self.page, view, store.state(view.project or ""), notice=str(exc)
            )
        return self.render(view, state)

    @domain_errors
    def rename_theme(self, view: View, name: str, label: str, request: gr.Request) -> Updates:
        return self._edit(view, name, request, "rename", theme=_theme(view), label=label)

    @domain_errors
    def define_theme(self, view: View, name: str, definition: str, request: gr.Request) -> Updates:
        return self._edit(view, name, request, "define", theme=_theme(view), definition=definition)

    @domain_errors
    def flag_minority(self, view: View, name: str, flag: bool, request: gr.Request) -> Updates:
        return self._edit(view, name, request, "flag_minority", theme=_theme(view), flag=bool(flag))

    @domain_errors
    def set_links(self, view: View, name: str, items: list[str], request: gr.Request) -> Updates:
        return self._edit(
            view, name, request, "set_links", theme=_theme(view), items=list(items or [])
        )

    @domain_errors
    def automatic_links(self, view: View, name: str, request: gr.Request) -> Updates:
        return self._edit(view, name, request, "set_links", theme=_theme(view), items=None)

    @domain_errors
    def set_group(self, view: View, name: str, group: str | None, request: gr.Request) -> Updates:
        return self._edit(
            view, name, request, "set_group", themes=[_theme(view)], group=group or ""
        )

    @domain_errors
    def rename_group(
        self, view: View, name: str, group: str | None, label: str, request: gr.Request
    ) -> Updates:
        if not group:
            raise ThemesError("Choose the broad theme to rename first.")
        return self._edit(view, name, request, "rename_group", group=group, label=label)

    @domain_errors
    def merge_themes(
        self, view: View, name: str, sources: list[int], request: gr.Request
    ) -> Updates:
        if not sources:
            raise ThemesError("Tick the themes to merge into this one first.")
        return self._edit(
            view, name, request, "merge", themes=[int(s) for s in sources], into=_theme(view)
        )

    @domain_errors
    def delete_theme(self, view: View, name: str, confirm: bool, request: gr.Request) -> Updates:
        if not confirm:
            raise ThemesError(
                "Tick 'Yes, delete this theme' first. Its responses will become unassigned, not lost."
            )
        return self._edit(view, name, request, "delete", theme=_theme(view))

    @domain_errors
    def suggest_split(self, view: View, request: gr.Request) -> Updates:
        ctx, tab = self.ctx, self.tab
        ctx.allow(request, view.project, "edit")
        suggestion = suggest_theme_split(
            ctx.store,
            view.project or "",
            view.question or "",
            _theme(view),
            ctx.embedder,
            ctx.cache,
        )
        current = (
            ctx.store.state(view.project or "").questions[view.question or ""].theme(_theme(view))
        )
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
        return {
            tab.split_groups: {"groups": suggestion.as_edit_groups(), "stays": stays},
            tab.split_text: "\n".join(lines),
            tab.accept_button: gr.Button(interactive=True),
            tab.split_rename: gr.Checkbox(
                # A reviewer's name for the theme is replaced only when they tick this.
                label=f"Also rename this theme to the suggested name '{stays}'",
                value=False,
                visible=stays != current.label,
            ),
        }

    @domain_errors
    def accept_split(
        self,
        view: View,
        name: str,
        pending: dict[str, Any] | None,
        rename: bool,
        request: gr.Request,
    ) -> Updates:
        if not pending or not pending.get("groups"):
            raise ThemesError("Ask for a suggested split first.")
        extra = {"label": pending["stays"]} if rename and pending.get("stays") else {}
        updates = self._edit(
            view, name, request, "split", theme=_theme(view), groups=pending["groups"], **extra
        )
        tab = self.tab
        return then(
            updates,
            {
                tab.split_groups: None,
                tab.split_text: "Split done.",
                tab.accept_button: gr.Button(interactive=False),
                tab.split_rename: gr.Checkbox(value=False, visible=False),
            },
        )

    @domain_errors
    def find_suggestions(self, view: View, request: gr.Request) -> Updates:
        """Answers that look like the ones reviewers moved into a theme (nothing moves)."""
        ctx, tab = self.ctx, self.tab
        if view.question is None:
            raise ThemesError("Open a project first (Projects tab).")
        ctx.allow(request, view.project, "edit")
        found = project_suggestions(
            ctx.store,
            view.project or "",
            view.question,
            embedder=ctx.embedder,
            cache=ctx.cache,
        )
        review = ctx.store.state(view.project or "").questions[view.question]
        lines = []
        for number, suggestion in enumerate(found, start=1):
            lines.append(f"{number}. {md(suggestion.sentence())}")
            lines += [f"    - “{md(review.answers[r].text[:160])}”" for r in suggestion.rows[:3]]
        text = "\n".join(lines) or (
            "No suggestions yet: move at least 3 answers into a theme (or into a new one) and "
            "answers that look like them will be offered here."
        )
        return {
            tab.suggest_text: text,
            tab.suggest_pending: found or None,
            tab.suggest_choice: gr.Radio(
                choices=[(f"{i}. {s.sentence()}", str(i - 1)) for i, s in enumerate(found, 1)],
                value="0" if found else None,
            ),
            tab.suggest_accept: gr.Button(interactive=bool(found)),
            tab.suggest_dismiss: gr.Button(interactive=bool(found)),
        }

    def _act_on_suggestion(
        self,
        view: View,
        name: str,
        pending: list[Suggestion] | None,
        choice: str | None,
        request: gr.Request,
        accept: bool,
    ) -> Updates:
        if not pending or choice is None or not str(choice).isdigit():
            raise ThemesError("Find suggestions first, then choose one.")
        number = int(choice)
        if not 0 <= number < len(pending):
            raise ThemesError("That suggestion is no longer listed; find suggestions again.")
        chosen = pending[number]
        if view.question is None:
            raise ThemesError("Open a project first (Projects tab).")
        self.ctx.allow(request, view.project, "edit")
        edit = chosen.accept(view.question) if accept else chosen.dismiss(view.question)
        updates = self._saved(view, name, request, edit)
        tab = self.tab
        done = "Accepted" if accept else "Dismissed"
        return then(
            updates,
            {
                tab.suggest_text: f"{done}: {len(chosen.rows)} answers for "
                f"'{md(chosen.label)}'. Find suggestions again for the rest.",
                tab.suggest_pending: None,
                tab.suggest_choice: gr.Radio(choices=[], value=None),
                tab.suggest_accept: gr.Button(interactive=False),
                tab.suggest_dismiss: gr.Button(interactive=False),
            },
        )

    @domain_errors
    def accept_suggestion(
        self,
        view: View,
        name: str,
        pending: list[Suggestion] | None,
        choice: str | None,
        request: gr.Request,
    ) -> Updates:
        return self._act_on_suggestion(view, name, pending, choice, request, accept=True)

    @domain_errors
    def dismiss_suggestion(
        self,
        view: View,
        name: str,
        pending: list[Suggestion] | None,
        choice: str | None,
        request: gr.Request,
    ) -> Updates:
        return self._act_on_suggestion(view, name, pending, choice, request, accept=False)

    @domain_errors
    def move_responses(
        self,
        view: View,
        name: str,
        rows: str,
        target: int | None,
        new_label: str,
        request: gr.Request,
    ) -> Updates:
        view, chosen = _acting_on(view, rows)
        if target is None:
            raise ThemesError("Choose where the responses go: a theme or 'A new theme'.")
        if int(target) == NEW_THEME:
            return self._edit(view, name, request, "move", rows=chosen, new_label=new_label or "")
        return self._edit(view, name, request, "move", rows=chosen, to=int(target))

    @domain_errors
    def also_mention(
        self, view: View, name: str, rows: str, target: int | None, request: gr.Request
    ) -> Updates:
        if target is None or int(target) == NEW_THEME:
            raise ThemesError(
                "Choose, under 'Move them to', the existing theme these responses also raise."
            )
        view, chosen = _acting_on(view, rows)
        return self._edit(view, name, request, "mention", rows=chosen, theme=int(target))

    @domain_errors
    def drop_mention(self, view: View, name: str, rows: str, request: gr.Request) -> Updates:
        theme = _theme(view)
        view, chosen = _acting_on(view, rows)
        return self._edit(view, name, request, "mention", rows=chosen, theme=theme, flag=False)

    @domain_errors
    def unassign_responses(self, view: View, name: str, rows: str, request: gr.Request) -> Updates:
        view, chosen = _acting_on(view, rows)
        return self._edit(view, name, request, "unassign", rows=chosen)

    @domain_errors
    def mark_quotes(
        self, view: View, name: str, rows: str, flag: bool, request: gr.Request
    ) -> Updates:
        updates: Updates = {}
        current, chosen = _acting_on(view, rows)
        refused = False
        for row in chosen:
            updates = self._edit(current, name, request, "mark_quote", row=row, flag=flag)
            refused = refused or isinstance(updates, Refused)
            current = updates[self.page.view_state]
        return Refused(updates) if refused else updates

    def use_quotes(self, view: View, name: str, rows: str, request: gr.Request) -> Updates:
        return self.mark_quotes(view, name, rows, True, request)

    def drop_quotes(self, view: View, name: str, rows: str, request: gr.Request) -> Updates:
        return self.mark_quotes(view, name, rows, False, request)

    @domain_errors
    def add_more(
        self,
        view: View,
        name: str,
        path: str | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> Updates:
        ctx = self.ctx
        if not path:
            raise ThemesError("Choose the export with the new responses first.")
        ctx.allow(request, view.project, "edit")
        upload = Path(path)
        try:
            survey, _ = store_upload(upload.read_bytes(), upload.name)
        finally:
            upload.unlink(missing_ok=True)

        def report(message: str, fraction: float) -> None:
            progress(fraction, desc=message)

        state = add_batch(
            ctx.store,
            view.project or "",
            survey.path,
            embedder=ctx.embedder,
            user=ctx.reviewer(name, request),
            batch=survey.name,
            threshold=ctx.config.reassign_outliers or 0.45,
            cache=ctx.cache,
            progress=report,
        )
        stored = owned_upload(survey)
        if stored:  # the rows are in the project now; the copy of the file is not kept
            Path(stored).unlink(missing_ok=True)
        note = md(" ".join(e.summary + "." for e in state.log[-len(state.info.questions) :]))
        return {**self.render(view, state), self.tab.batch_note: note}

    @domain_errors
    def set_redaction(
        self, view: View, name: str, names: str, keep: str, outward: bool, request: gr.Request
    ) -> Updates:
        self.ctx.allow(request, view.project, "edit")
        return self._saved(
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
    def undo(self, view: View, name: str, request: gr.Request) -> Updates:
        self.ctx.allow(request, view.project, "edit")
        view = replace(view, user=self.ctx.reviewer(name, request))
        state = self.ctx.store.undo(view.project or "", user=view.user, version=view.version)
        return self.render(view, state)

    @domain_errors
    def redo(self, view: View, name: str, request: gr.Request) -> Updates:
        self.ctx.allow(request, view.project, "edit")
        view = replace(view, user=self.ctx.reviewer(name, request))
        state = self.ctx.store.redo(view.project or "", user=view.user, version=view.version)
        return self.render(view, state)

    # -- events --------------------------------------------------------------------------------

    def wire(self, recover: Recover, user_name: Any) -> None:
        """Connect the tab's controls to the handlers (the API names are the app's API)."""
        tab, page, view_state = self.tab, self.page, self.page.view_state
        outputs = page.outputs
        recover(
            tab.question.input(
                self.show_question,
                inputs=[view_state, tab.question, user_name],
                outputs=outputs,
                api_name="show_question",
            )
        )
        theme_inputs = [view_state, tab.theme, tab.search, tab.page, user_name]
        recover(
            tab.theme.input(
                self.show_theme, inputs=theme_inputs, outputs=outputs, api_name="show_theme"
            )
        )
        recover(tab.search.submit(self.show_theme, inputs=theme_inputs, outputs=outputs, **PRIVATE))
        recover(tab.page.submit(self.show_theme, inputs=theme_inputs, outputs=outputs, **PRIVATE))
        recover(
            tab.reload_button.click(
                self.reload, inputs=[view_state, user_name], outputs=outputs, api_name="reload"
            )
        )

        def pick_theme(view: View, evt: gr.SelectData) -> int | None:
            number = evt.row_value[0] if evt.row_value else None
            return int(number) - 1 if number is not None else view.theme

        recover(
            tab.themes_table.select(
                pick_theme, inputs=[view_state], outputs=tab.theme, **PRIVATE
            ).then(self.show_theme, inputs=theme_inputs, outputs=outputs, **PRIVATE)
        )
        edits: list[tuple[Any, Callable[..., Any], list[Any], str]] = [
            (tab.rename_button, self.rename_theme, [tab.label_box], "rename_theme"),
            (tab.define_button, self.define_theme, [tab.definition_box], "define_theme"),
            (tab.links_button, self.set_links, [tab.links_box], "set_links"),
            (tab.group_button, self.set_group, [tab.group_box], "set_group"),
            (
                tab.group_rename_button,
                self.rename_group,
                [tab.group_box, tab.group_label],
                "rename_group",
            ),
            (tab.merge_button, self.merge_themes, [tab.merge_box], "merge_themes"),
            (tab.delete_button, self.delete_theme, [tab.delete_confirm], "delete_theme"),
        ]
        for button, handler, extra, api in edits:
            recover(
                button.click(
                    handler, inputs=[view_state, user_name, *extra], outputs=outputs, api_name=api
                )
            )
        tab.name_choice.input(  # fills the name box only: Rename saves it, as for a typed name
            None,
            inputs=[tab.name_choice],
            outputs=[tab.label_box],
            js="(name) => name ?? ''",
            **PRIVATE,
        )
        recover(
            tab.label_box.submit(
                self.rename_theme,
                inputs=[view_state, user_name, tab.label_box],
                outputs=outputs,
                **PRIVATE,
            )
        )
        recover(
            tab.minority_box.input(
                self.flag_minority,
                inputs=[view_state, user_name, tab.minority_box],
                outputs=outputs,
                api_name="flag_minority",
            )
        )
        recover(
            tab.auto_links_button.click(
                self.automatic_links,
                inputs=[view_state, user_name],
                outputs=outputs,
                api_name="automatic_links",
            )
        )
        split_outputs = [tab.split_groups, tab.split_text, tab.accept_button, tab.split_rename]
        recover(
            tab.split_button.click(
                self.suggest_split,
                inputs=[view_state],
                outputs=split_outputs,
                api_name="suggest_split",
            )
        )
        recover(
            tab.accept_button.click(
                self.accept_split,
                inputs=[view_state, user_name, tab.split_groups, tab.split_rename],
                outputs=[*outputs, *split_outputs],
                api_name="accept_split",
            )
        )
        suggest_outputs = [
            tab.suggest_text,
            tab.suggest_pending,
            tab.suggest_choice,
            tab.suggest_accept,
            tab.suggest_dismiss,
        ]
        recover(
            tab.suggest_button.click(
                self.find_suggestions,
                inputs=[view_state],
                outputs=suggest_outputs,
                api_name="find_suggestions",
            )
        )
        for button, handler, api in (
            (tab.suggest_accept, self.accept_suggestion, "accept_suggestion"),
            (tab.suggest_dismiss, self.dismiss_suggestion, "dismiss_suggestion"),
        ):
            recover(
                button.click(
                    handler,
                    inputs=[view_state, user_name, tab.suggest_pending, tab.suggest_choice],
                    outputs=[*outputs, *suggest_outputs],
                    api_name=api,
                )
            )
        recover(
            tab.move_button.click(
                self.move_responses,
                inputs=[view_state, user_name, tab.chosen_rows, tab.move_target, tab.new_label],
                outputs=outputs,
                api_name="move_responses",
            )
        )
        recover(
            tab.mention_button.click(
                self.also_mention,
                inputs=[view_state, user_name, tab.chosen_rows, tab.move_target],
                outputs=outputs,
                api_name="also_mention",
            )
        )
        for button, handler, api in (  # buttons that act on the chosen rows
            (tab.unmention_button, self.drop_mention, "drop_mention"),
            (tab.unassign_button, self.unassign_responses, "unassign_responses"),
            (tab.quote_button, self.use_quotes, "mark_quotes"),
            (tab.unquote_button, self.drop_quotes, "unmark_quotes"),
        ):
            recover(
                button.click(
                    handler,
                    inputs=[view_state, user_name, tab.chosen_rows],
                    outputs=outputs,
                    api_name=api,
                )
            )
        recover(
            tab.redact_button.click(
                self.set_redaction,
                inputs=[
                    view_state,
                    user_name,
                    tab.redact_names,
                    tab.redact_keep,
                    tab.redact_outward,
                ],
                outputs=outputs,
                api_name="set_redaction",
            )
        )
        recover(
            tab.batch_button.click(
                self.add_more,
                inputs=[view_state, user_name, tab.batch_file],
                outputs=[*outputs, tab.batch_note],
                show_progress_on=[tab.batch_note],
                api_name="add_responses",
                **ONE_ANALYSIS,
            )
        )
        recover(
            tab.undo_button.click(
                self.undo, inputs=[view_state, user_name], outputs=outputs, api_name="undo"
            )
        )
        recover(
            tab.redo_button.click(
                self.redo, inputs=[view_state, user_name], outputs=outputs, api_name="redo"
            )
        )
