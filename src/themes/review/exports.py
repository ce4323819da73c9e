"""The reviewed results as files: the codebook with counts and links, every input row with its
theme, and the replayable history, as CSV and as sheets of one workbook."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from themes.core.spreadsheet import csv_bytes, xlsx_bytes
from themes.frameworks.framework import Framework
from themes.privacy.names import prefetch
from themes.privacy.redact import redact
from themes.review.tables import (
    ReviewedQuestion,
    for_publication,
    published_text,
)
from themes.review.views import percent


def write_reviewed(
    questions: Sequence[ReviewedQuestion],
    framework: Framework | None,
    history: list[dict[str, Any]],
    out_dir: str | Path,
    project_name: str = "",
) -> list[Path]:
    """Write the reviewed results: ``themes.csv`` (the codebook with counts and links),
    ``responses.csv`` (every input row of every question with its theme), ``history.csv`` and
    ``history.json`` (every edit, replayable), and all three tables as sheets of
    ``reviewed-results.xlsx``."""
    questions = [for_publication(q) for q in questions]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    theme_lines: list[list[Any]] = []
    response_lines: list[list[Any]] = []
    for q in questions:
        review = q.review
        links_of = q.mapping.links if q.mapping is not None else {}
        for theme in review.themes.values():
            members = review.members(theme.id)
            people = len(review.respondents(theme.id))
            quotes = [r for r in theme.quotes if r in review.answers] or list(
                theme.suggested_quotes[:2]
            )
            theme_lines.append(
                [
                    q.result.question,
                    theme.id + 1,
                    theme.label,
                    theme.group,
                    theme.definition,
                    people,
                    len(members),
                    len(review.mentioned(theme.id)),
                    percent(people, q.respondents),
                    "; ".join(
                        f"{link.item_id} {framework.item(link.item_id).name}"
                        for link in links_of.get(theme.id, ())
                    )
                    if framework is not None
                    else "",
                    "reviewer" if theme.links is not None else "automatic",
                    "yes" if theme.minority else "",
                    "; ".join(theme.keywords),
                    " || ".join(
                        published_text(review, r).text for r in quotes if r in review.answers
                    ),
                    theme.origin,
                ]
            )
        every_row = [
            (r.row, r.respondent_id, r.text, r.outcome.value, "first") for r in q.result.rows
        ] + [(a.row, a.respondent_id, a.text, a.outcome, a.batch) for a in review.added]
        prefetch([row[2] for row in every_row])  # names in batches: redacting each is then quick
        for number, respondent, text, outcome, batch in every_row:
            theme_id = review.assignment.get(number)
            owner = review.themes.get(theme_id) if theme_id is not None else None
            if number in review.answers:  # it can carry a theme
                outcome = "themed" if owner else "unassigned"
            response_lines.append(
                [
                    q.result.question,
                    number,
                    respondent,
                    text,
                    redact(text, review.redaction).text if text else "",
                    outcome,
                    owner.id + 1 if owner else "",
                    owner.label if owner else "",
                    owner.group if owner else "",
                    "; ".join(
                        review.themes[t].label
                        for t in review.also.get(number, ())
                        if t in review.themes
                    ),
                    "; ".join(link.item_id for link in links_of.get(owner.id, ())) if owner else "",
                    "yes" if owner and number in owner.quotes else "",
                    batch,
                ]
            )
    paths = [
        out / n
        for n in (
            "themes.csv",
            "responses.csv",
            "history.csv",
            "history.json",
            "reviewed-results.xlsx",
        )
    ]
    theme_header = [
        "question",
        "theme",
        "label",
        "broad_theme",
        "definition",
        "respondents",
        "responses",
        "responses_also_mentioning",
        "percent_of_respondents",
        "strategy_links",
        "links_set_by",
        "minority_view",
        "keywords",
        "quotes",
        "origin",
    ]
    response_header = [
        "question",
        "row",
        "respondent_id",
        "response",
        "response_redacted",
        "outcome",
        "theme",
        "theme_label",
        "broad_theme",
        "also_themes",
        "strategy_links",
        "chosen_quote",
        "batch",
    ]
    history_header = ["seq", "kind", "at", "user", "summary", "undoes_or_redoes", "edit"]
    history_lines = [
        [
            h["seq"],
            h["kind"],
            h["at"],
            h["user"],
            h["summary"],
            h["target"] or "",
            json.dumps(h["edit"], ensure_ascii=False) if h["edit"] else "",
        ]
        for h in history
    ]
    paths[0].write_bytes(csv_bytes(theme_header, theme_lines))
    paths[1].write_bytes(csv_bytes(response_header, response_lines))
    paths[2].write_bytes(csv_bytes(history_header, history_lines))
    paths[4].write_bytes(
        xlsx_bytes(
            {
                "Codebook": (theme_header, theme_lines),
                "Coded responses": (response_header, response_lines),
                "Edit history": (history_header, history_lines),
            }
        )
    )
    paths[3].write_text(
        json.dumps({"project": project_name, "history": history}, indent=1, ensure_ascii=False),
        encoding="utf-8",
    )
    return paths
