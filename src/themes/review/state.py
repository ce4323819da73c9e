"""The reviewed state of one question: its themes (names, definitions, links, broad themes),
which theme each answer is in, what else it mentions, and answers added in later batches.

Reviewers change it only through edits (``themes.review.edits``), kept as a history
(``themes.review.history``): the state after a list of edits is ``replay(base, edits)``, the same
in the app, the CLI and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from themes.analysis.pipeline import AnalysisResult, Outcome
from themes.core.errors import ReviewError
from themes.privacy.redact import RedactionSettings

MAX_LABEL = 120
MAX_DEFINITION = 5000


@dataclass(frozen=True)
class Answer:
    """An answer that can carry a theme (not empty, not a non-answer, not a duplicate)."""

    row: int
    respondent_id: str
    text: str


@dataclass(frozen=True)
class ReviewTheme:
    """A theme as the reviewers have shaped it.

    Attributes:
        id: stable id; discovered themes keep the analysis's ids, new ones count on from there.
        label: the name shown and published.
        keywords: distinctive words of its answers (recomputed when its answers change).
        suggested_quotes: rows of representative answers, suggested by the analysis.
        definition: the reviewer's definition or memo.
        minority: flagged as a notable minority view.
        quotes: rows the reviewer chose for the report, in order.
        links: the reviewer's framework links (item ids); None means use the automatic ones.
        origin: 'discovered', 'split', 'moved' or 'added', for the method section.
        group: the broad theme it sits under ("" for none).
        kind: "" for a theme, "no_change" for the answers that say nothing needs to change.
    """

    id: int
    label: str
    keywords: tuple[str, ...] = ()
    suggested_quotes: tuple[int, ...] = ()
    definition: str = ""
    minority: bool = False
    quotes: tuple[int, ...] = ()
    links: tuple[str, ...] | None = None
    origin: str = "discovered"
    group: str = ""
    kind: str = ""


@dataclass(frozen=True)
class AddedRow:
    """A row of a later batch of responses, whatever became of it."""

    row: int
    respondent_id: str
    text: str
    outcome: str  # 'answer' (it can carry a theme), 'non_answer', 'empty' or 'duplicate'
    batch: str


@dataclass(frozen=True)
class Candidate:
    """A group of new responses that fit no reviewed theme: a possible new theme."""

    label: str
    rows: tuple[int, ...]
    batch: str


@dataclass(frozen=True)
class QuestionReview:
    """One question's themes and which theme each answer has (None: unassigned).

    ``also`` holds, for answers that raise several themes, the themes they also mention besides
    their main one (never the main one itself; unassigned answers mention none). ``added`` holds
    the rows of later batches (their answers are also in ``answers``), and ``candidates`` the
    groups of new answers that may deserve a theme of their own.
    """

    question: str
    answers: Mapping[int, Answer]
    themes: Mapping[int, ReviewTheme]
    assignment: Mapping[int, int | None]
    next_id: int
    added: tuple[AddedRow, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    redaction: RedactionSettings = RedactionSettings()
    also: Mapping[int, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def from_result(cls, result: AnalysisResult) -> QuestionReview:
        """The starting point of a review: the analysis as it came out of the pipeline."""
        answers = {
            r.row: Answer(r.row, r.respondent_id, r.text)
            for r in result.rows
            if r.outcome in (Outcome.THEMED, Outcome.OUTLIER)
        }
        themes = {
            t.id: ReviewTheme(
                t.id, t.label, t.keywords, t.representatives, group=t.group, kind=t.kind
            )
            for t in result.themes
        }
        assignment: dict[int, int | None] = dict.fromkeys(answers)
        for r in result.rows:
            if r.row in answers and r.theme_id is not None:
                assignment[r.row] = r.theme_id
        next_id = max(themes, default=-1) + 1
        also = {r.row: r.also for r in result.rows if r.row in answers and r.also}
        state = cls(result.question, answers, themes, assignment, next_id)
        return replace(state, also=tidy_also(also, assignment, themes))

    def members(self, theme_id: int) -> list[int]:
        """Rows of the answers in a theme, in file order."""
        return [row for row, theme in self.assignment.items() if theme == theme_id]

    def sizes(self) -> dict[int, int]:
        """Answers per theme (every theme listed, empty ones included)."""
        sizes = dict.fromkeys(self.themes, 0)
        for theme in self.assignment.values():
            if theme is not None:
                sizes[theme] += 1
        return sizes

    def reach(self) -> dict[int, int]:
        """Respondents per theme, counting those whose answers also mention it (every theme
        listed): the number shown and published for a theme."""
        people: dict[int, set[str]] = {t: set() for t in self.themes}
        for row, theme in self.assignment.items():
            for t in (theme, *self.also.get(row, ())):
                if t is not None and t in people:
                    people[t].add(self.answers[row].respondent_id)
        return {t: len(p) for t, p in people.items()}

    def groups(self, reach: Mapping[int, int] | None = None) -> list[str]:
        """The broad themes, largest first (by the respondents of their themes), each once;
        ``reach`` is ``self.reach()`` when the caller already has it."""
        sizes = self.reach() if reach is None else reach
        totals: dict[str, int] = {}
        for theme in self.themes.values():
            if theme.group:
                totals[theme.group] = totals.get(theme.group, 0) + sizes[theme.id]
        return sorted(totals, key=lambda g: (-totals[g], g.lower()))

    def mentioned(self, theme_id: int) -> list[int]:
        """Rows of the answers that also mention a theme (it is not their main theme)."""
        return [row for row, others in self.also.items() if theme_id in others]

    def raised_by(self, theme_id: int) -> list[int]:
        """Rows of every answer that raises a theme: its own answers, then those mentioning it."""
        return self.members(theme_id) + self.mentioned(theme_id)

    def respondents(self, theme_id: int) -> set[str]:
        """Everyone who raised a theme: as their answer's main theme or as another it mentions."""
        return {self.answers[row].respondent_id for row in self.raised_by(theme_id)}

    def unassigned(self) -> list[int]:
        return [row for row, theme in self.assignment.items() if theme is None]

    def theme(self, theme_id: Any) -> ReviewTheme:
        try:
            return self.themes[int(theme_id)]
        except (KeyError, TypeError, ValueError):
            raise ReviewError(
                f"There is no theme {theme_id!r} in {self.question!r}; it may have been merged or "
                "deleted. Themes now (id: label): "
                + ("; ".join(f"{t.id}: {t.label}" for t in self.themes.values()) or "none")
                + "."
            ) from None


# --- argument checks -------------------------------------------------------------------------


# --- operations ------------------------------------------------------------------------------


def tidy_also(
    also: Mapping[int, Iterable[int]],
    assignment: Mapping[int, int | None],
    themes: Mapping[int, Any],
) -> dict[int, tuple[int, ...]]:
    """Other-theme mentions that still make sense: of existing themes, not the answer's main
    theme, only for answers that have one, each once."""
    tidy: dict[int, tuple[int, ...]] = {}
    for row, others in also.items():
        main = assignment.get(row)
        if main is None:
            continue
        kept = tuple(dict.fromkeys(t for t in others if t in themes and t != main))
        if kept:
            tidy[row] = kept
    return tidy


# What an edit gives: the new state and a sentence saying what it did.
Result = tuple[QuestionReview, str]
