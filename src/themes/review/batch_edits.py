"""The project-level edits: a later batch of answers added to a reviewed question (placed in the
themes as the analysis would have placed them), and the redaction settings for publication."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from themes.analysis.keywords import KeywordIndex
from themes.core.errors import ReviewError
from themes.privacy.redact import RedactionSettings
from themes.review.edit_args import flag_arg, text_arg, words_arg
from themes.review.state import MAX_LABEL, AddedRow, Answer, Candidate, QuestionReview, Result

ADDED_OUTCOMES = ("answer", "non_answer", "empty", "duplicate")


def add_responses(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: batch (a name), rows: [{row, respondent_id, text, outcome, theme, also}] where theme
    is the reviewed theme the answer was placed in (or null) and also (optional) the other themes
    it mentions, candidates: [{label, rows}]. Nothing reviewed changes: names, definitions, links
    and earlier assignments stay as they are."""
    batch = text_arg(args, "batch", MAX_LABEL)
    rows = args.get("rows")
    if not isinstance(rows, list | tuple) or not rows:
        raise ReviewError("A batch needs at least one row ('rows').")
    taken = set(state.answers) | {a.row for a in state.added}
    answers = dict(state.answers)
    assignment = dict(state.assignment)
    also = dict(state.also)
    added = list(state.added)
    placed = 0
    for number, item in enumerate(rows, start=1):
        if not isinstance(item, Mapping):
            raise ReviewError(f"Row {number} of the batch must be an object.")
        try:
            row = int(item["row"])
            respondent = str(item["respondent_id"])
            text = str(item["text"])
            outcome = str(item["outcome"])
        except (KeyError, TypeError, ValueError):
            raise ReviewError(
                f"Row {number} of the batch needs row, respondent_id, text and outcome."
            ) from None
        if row in taken:
            raise ReviewError(
                f"Row {row} is already in this question; batch rows need new numbers."
            )
        if outcome not in ADDED_OUTCOMES:
            raise ReviewError(f"Row {row}: outcome must be one of {', '.join(ADDED_OUTCOMES)}.")
        taken.add(row)
        added.append(AddedRow(row, respondent, text, outcome, batch))
        if outcome == "answer":
            theme = item.get("theme")
            if theme is not None:
                theme = state.theme(theme).id
                placed += 1
            answers[row] = Answer(row, respondent, text)
            assignment[row] = theme
            others = item.get("also") or []
            if not isinstance(others, list | tuple):
                raise ReviewError(f"Row {row}: 'also' must be a list of theme ids.")
            if theme is not None and others:
                also[row] = tuple(state.theme(t).id for t in others)
    candidates = list(state.candidates)
    for group in args.get("candidates") or []:
        if not isinstance(group, Mapping):
            raise ReviewError("Each candidate must be an object with 'label' and 'rows'.")
        try:
            members = tuple(r for r in (int(x) for x in group.get("rows", [])) if r in answers)
        except (TypeError, ValueError):
            raise ReviewError("A candidate's 'rows' must be a list of row numbers.") from None
        if members:
            candidates.append(Candidate(str(group.get("label", "")), members, batch))
    new_answers = sum(
        1 for item in rows if isinstance(item, Mapping) and item.get("outcome") == "answer"
    )
    return (
        replace(
            state,
            answers=answers,
            assignment=assignment,
            also=also,
            added=tuple(added),
            candidates=tuple(candidates),
        ),
        f"Added {len(rows)} rows from '{batch}': {new_answers} answers, {placed} placed in reviewed "
        f"themes, {new_answers - placed} unassigned"
        + (
            f", {len(candidates) - len(state.candidates)} possible new themes" if candidates else ""
        ),
    )


def set_redaction(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: names (always redacted), keep (never redacted), outward_postcodes (bool)."""
    settings = RedactionSettings(
        words_arg(args, "names"),
        words_arg(args, "keep"),
        flag_arg(args, "outward_postcodes", default=False),
    )
    return (
        replace(state, redaction=settings),
        f"Set redaction: {len(settings.names)} names to redact, {len(settings.keep)} words to keep"
        + (", postcode districts redacted" if settings.outward_postcodes else ""),
    )
