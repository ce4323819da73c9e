"""Reviewed projects as tables and files: the theme list, a theme's responses, the history, and
the exported results (themes, coded responses and the edit log), for the app and the CLI."""

from __future__ import annotations

import functools
import re
import statistics
import textwrap
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from themes.analysis.coherence import is_loose
from themes.analysis.pipeline import AnalysisResult
from themes.core.markup import md
from themes.frameworks.framework import Framework
from themes.frameworks.mapping import ItemScores, PillarMapping
from themes.privacy.redact import Redacted, redact
from themes.review.history import LogEntry
from themes.review.links import reviewed_mapping
from themes.review.state import QuestionReview
from themes.review.views import percent, pillar_cell

REVIEW_COLUMNS = [
    "#",
    "Theme",
    "People",
    "% of people",
    "Broad theme",
    "Strategy links",
    "Keywords",
    "Notes",
]
RESPONSE_COLUMNS = ["Chosen", "Row", "Respondent", "Response", "Quote", "Other themes"]
CHOSEN_MARK = "✓"
HISTORY_COLUMNS = ["#", "When (UTC)", "Who", "What", "Status"]


@dataclass(frozen=True)
class ReviewedQuestion:
    """One question of a reviewed project with its framework links worked out."""

    review: QuestionReview
    result: AnalysisResult
    mapping: PillarMapping | None

    @property
    def respondents(self) -> int:
        return len({a.respondent_id for a in self.review.answers.values()})

    @functools.cached_property
    def loose(self) -> dict[int, tuple[float, float]]:
        """Themes that look like catch-alls (``themes.analysis.coherence.is_loose``): their coherence at
        analysis and the question's median theme's. Only themes whose answers are still the
        ones the analysis gave them; a reviewer's edits change what the score described."""
        scores = {t.id: t.coherence for t in self.result.themes if t.coherence is not None}
        if len(scores) < 3:
            return {}
        median = float(statistics.median(scores.values()))
        analysed: dict[int, set[int]] = {}
        for row in self.result.rows:
            if row.theme_id is not None:
                analysed.setdefault(row.theme_id, set()).add(row.row)
        now: dict[int, set[int]] = {}
        for number, theme_id in self.review.assignment.items():
            if theme_id is not None:
                now.setdefault(theme_id, set()).add(number)
        total = max(1, len(self.review.answers))
        return {
            theme_id: (score, median)
            for theme_id, score in scores.items()
            if theme_id in self.review.themes
            and not self.review.themes[theme_id].kind
            and now.get(theme_id) == analysed.get(theme_id)
            and is_loose(score, median, len(now[theme_id]) / total)
        }


def reviewed_question(
    review: QuestionReview,
    result: AnalysisResult,
    framework: Framework | None,
    scores: ItemScores | None,
) -> ReviewedQuestion:
    mapping = reviewed_mapping(review, scores, framework) if framework is not None else None
    return ReviewedQuestion(review, result, mapping)


def theme_notes(review: QuestionReview, theme_id: int) -> str:
    theme = review.themes[theme_id]
    notes = []
    if theme.minority:
        notes.append("minority view")
    if theme.definition:
        notes.append("defined")
    if theme.quotes:
        notes.append(f"{len(theme.quotes)} quote(s) chosen")
    if theme.origin != "discovered":
        notes.append(f"made by {theme.origin}")
    return ", ".join(notes)


def theme_order(review: QuestionReview, reach: Mapping[int, int] | None = None) -> list[int]:
    """Theme ids by broad theme (largest broad theme first, themes under none last), then by
    respondents (``reach``: ``review.reach()`` when the caller already has it)."""
    sizes = review.reach() if reach is None else reach
    rank = {group: number for number, group in enumerate(review.groups(sizes))}
    return sorted(
        review.themes,
        key=lambda t: (rank.get(review.themes[t].group, len(rank)), -sizes[t], t),
    )


def review_rows(question: ReviewedQuestion, framework: Framework | None) -> list[list[Any]]:
    """One row per theme, grouped by broad theme and largest first: number, label, respondents,
    %, broad theme, links, keywords, notes."""
    review = question.review
    total = question.respondents
    rows: list[list[Any]] = []
    reach = review.reach()
    for theme_id in theme_order(review, reach):
        theme = review.themes[theme_id]
        people = reach[theme.id]
        links = (
            pillar_cell(question.mapping, framework, theme.id)
            if question.mapping is not None and framework is not None
            else ""
        )
        rows.append(
            [
                theme.id + 1,
                theme.label,
                people,
                percent(people, total),
                theme.group,
                links,
                ", ".join(theme.keywords[:6]),
                ", ".join(
                    n
                    for n in (
                        theme_notes(review, theme.id),
                        "loose: may mix topics" if theme.id in question.loose else "",
                    )
                    if n
                ),
            ]
        )
    return rows


def review_summary(question: ReviewedQuestion) -> str:
    """Where every row of the question is, in one paragraph, with later batches and the possible
    new themes among their answers."""
    review = question.review
    counts = question.result.counts()
    for row in review.added:
        key = {"answer": "themed"}.get(row.outcome, row.outcome)
        counts[key] = counts.get(key, 0) + 1
        counts["total"] += 1
    themed = sum(1 for t in review.assignment.values() if t is not None)
    several = len(review.also)
    groups = review.groups()
    under = f" under {len(groups)} broad themes" if groups else ""
    text = (
        f"**{md(question.result.question_text)}**: {counts['total']} rows. {themed} responses in "
        f"{len(review.themes)} themes{under}, {len(review.unassigned())} unassigned (fit no theme), "
        f"{counts['non_answer']} non-answers, {counts['empty']} empty, "
        f"{counts['duplicate']} duplicate submissions"
        + (f", {counts['preview']} survey previews or tests left out" if counts["preview"] else "")
        + ". "
        + (f"{several} answers raise more than one theme and count in each. " if several else "")
        + f"Percentages are of the {question.respondents} respondents who answered; a person's "
        "answer can touch several themes and strategy items."
    )
    batches = sorted({row.batch for row in review.added})
    if batches:
        text += f" Later batches: {md(', '.join(batches))} ({len(review.added)} rows)."
    open_candidates = []
    for candidate in review.candidates:
        still = [r for r in candidate.rows if review.assignment.get(r) is None]
        if len(still) >= 2:
            open_candidates.append(
                f"'{md(candidate.label)}' ({len(still)} responses, rows {', '.join(map(str, still[:8]))})"
            )
    if open_candidates:
        text += (
            "\n\n**Possible new themes among the new responses** (unassigned; move them to a new "
            "theme if they deserve one): " + "; ".join(open_candidates) + "."
        )
    return text


def theme_detail(
    question: ReviewedQuestion,
    theme_id: int,
    framework: Framework | None,
    names: Sequence[tuple[str, float]] = (),
) -> str:
    """A theme's definition, size, links and quotes (chosen first, then suggested), and the
    other ``names`` its answers support with the share of its answers behind each."""
    review = question.review
    theme = review.theme(theme_id)
    people = len(review.respondents(theme.id))
    mentioned = len(review.mentioned(theme.id))
    others = f", and {mentioned} more that also mention it" if mentioned else ""
    lines = [
        f"### {theme.id + 1}. {md(theme.label)}",
        f"**{people} respondents** ({percent(people, question.respondents)}% of respondents): "
        f"{len(review.members(theme.id))} responses with it as their main theme{others}.",
        f"Keywords: {md(', '.join(theme.keywords)) or '(none)'}",
    ]
    if names:
        lines.append(
            "Other names its answers support (and the share of its answers using each one's "
            "rarest word): " + " · ".join(f"{md(name)} ({share:.0%})" for name, share in names)
        )
    if theme.group:
        lines.append(f"Broad theme: {md(theme.group)}")
    if theme.minority:
        lines.append("**Flagged as a notable minority view.**")
    if theme.id in question.loose:
        score, median = question.loose[theme.id]
        lines.append(
            f"**Loose theme:** its answers sit further apart than most themes' here (coherence "
            f"{score:.2f} against a median of {median:.2f}), so it may mix several topics and its "
            "name may fit only some of them. Read a few answers, then try 'Suggest a split' (under "
            "'Merge, split or delete')."
        )
    lines.append(
        f"Definition: {md(theme.definition)}" if theme.definition else "No definition yet."
    )
    if question.mapping is not None and framework is not None:
        links = question.mapping.links.get(theme.id, ())
        source = "set by a reviewer" if theme.links is not None else "automatic"
        lines.append(
            f"Strategy links ({source}): {md(pillar_cell(question.mapping, framework, theme.id))}"
        )
        lines += [
            f"- {md(link.item_id)}: {md(link.reason)}" for link in links if link.source == "auto"
        ]
    lines = [lines[0], "\n\n".join(lines[1:])] if len(lines) > 1 else lines
    chosen = [r for r in theme.quotes if r in review.answers]
    suggested = [r for r in theme.suggested_quotes if r in review.answers and r not in chosen]
    if chosen:
        lines += ["", "**Quotes chosen for the report** (as they will be published, redacted)"]
        lines += [_quote(review, r) for r in chosen]
    if suggested:
        lines += ["", "**Suggested quotes (most typical responses, redacted)**"]
        lines += [_quote(review, r) for r in distinct_quotes(review, suggested, 4)]
    return "\n".join(lines)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def distinct_quotes(review: QuestionReview, rows: Sequence[int], limit: int) -> list[int]:
    """Up to ``limit`` rows whose answers are not near-copies of one already chosen (the same
    words, give or take a typo): a report quoting one complaint three times misleads."""
    chosen: list[int] = []
    seen: list[set[str]] = []
    for row in rows:
        if row not in review.answers:
            continue
        words = _words(review.answers[row].text)
        if any(len(words & other) >= 0.75 * max(len(words | other), 1) for other in seen):
            continue
        chosen.append(row)
        seen.append(words)
        if len(chosen) >= limit:
            break
    return chosen


def for_publication(question: ReviewedQuestion) -> ReviewedQuestion:
    """The question as it may be published: every theme's name, broad theme, definition and
    keywords redacted with the project's settings, as quotes are (a label copied from an answer
    must not publish a name the quotes hide). Keywords that were only a name are dropped."""
    review = question.review

    def clean(text: str) -> str:
        return redact(text, review.redaction).text if text else text

    themes = {
        theme_id: replace(
            theme,
            label=clean(theme.label),
            group=clean(theme.group),
            definition=clean(theme.definition),
            keywords=tuple(
                k for k in (clean(k) for k in theme.keywords) if not _only_placeholder(k)
            ),
        )
        for theme_id, theme in review.themes.items()
    }
    return replace(question, review=replace(review, themes=themes))


def _only_placeholder(text: str) -> bool:
    return re.fullmatch(r"(\[[^\]]+\]\s*)+", text) is not None


def published_text(review: QuestionReview, row: int) -> Redacted:
    """An answer as it may be published: redacted with the project's settings."""
    return redact(review.answers[row].text, review.redaction)


def _quote(review: QuestionReview, row: int) -> str:
    result = published_text(review, row)
    notes = []
    if result.redactions:
        kinds = ", ".join(sorted({r.kind.value for r in result.redactions}))
        notes.append(f"redacted: {md(kinds)}")
    notes += [f"check '{md(f.text)}': {md(f.reason)}" for f in result.flags]
    note = f" ({'; '.join(notes)})" if notes else ""
    return f"> {md(result.text)}\n>\n> — row {row}{note}\n"


def matching_rows(review: QuestionReview, theme_id: int | None, query: str = "") -> list[int]:
    """Row numbers of a theme's responses (``None``: the unassigned ones) whose text holds
    ``query`` (any case), in the order the responses table shows them: the theme's own answers,
    then those that also mention it."""
    query = query.strip().lower()

    def matches(row: int) -> bool:
        return not query or query in review.answers[row].text.lower()

    rows = [r for r, t in review.assignment.items() if t == theme_id and matches(r)]
    if theme_id is not None:
        rows += [r for r in review.mentioned(theme_id) if matches(r)]
    return rows


def response_rows(
    review: QuestionReview,
    theme_id: int | None,
    query: str = "",
    page: int = 1,
    page_size: int = 100,
    chosen: Collection[int] = (),
) -> tuple[list[list[Any]], int]:
    """A page of a theme's responses (``None``: the unassigned ones), filtered by a search string;
    and how many match in all. A theme's own answers come first (their other themes in the last
    column), then the answers that also mention it ("main: " their main theme). Rows in
    ``chosen`` are ticked in the first column."""
    rows = matching_rows(review, theme_id, query)
    quotes = (
        set(review.themes[theme_id].quotes)
        if theme_id is not None and theme_id in review.themes
        else set()
    )

    def label(theme: int | None) -> str:
        found = review.themes.get(theme) if theme is not None else None
        return found.label if found else ""

    def other(row: int) -> str:
        main = review.assignment.get(row)
        if main != theme_id:
            return f"main: {label(main)}"
        return "; ".join(label(t) for t in review.also.get(row, ()))

    start = max(0, (page - 1) * page_size)
    shown = [
        [
            CHOSEN_MARK if r in chosen else "",
            r,
            review.answers[r].respondent_id,
            review.answers[r].text,
            "yes" if r in quotes else "",
            other(r),
        ]
        for r in rows[start : start + page_size]
    ]
    return shown, len(rows)


def history_rows(log: Sequence[LogEntry], done: Sequence[LogEntry]) -> list[list[Any]]:
    """The history, newest first; undone edits say so."""
    active = {e.seq for e in done}
    rows = []
    for entry in reversed(log):
        if entry.kind == "edit":
            status = "in effect" if entry.seq in active else "undone"
        else:
            status = entry.kind
        rows.append([entry.seq, entry.at.replace("T", " ")[:19], entry.user, entry.summary, status])
    return rows


def short(text: str, width: int = 60) -> str:
    return textwrap.shorten(text, width, placeholder="…")
