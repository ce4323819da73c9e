"""Suggestions taught by a reviewer's edits: answers that look like the ones a reviewer moved into
a theme, offered for review ("12 unassigned answers look like the ones you moved to 'Parking'").

What a reviewer moves into a theme, and leaves there, is evidence of what the theme means. An
answer elsewhere (unassigned, or in another theme) is suggested for the theme when it is close to
one of those taught answers, and clearly closer to it than to any other answer of the theme it is
in now. Suggestions are never applied by themselves: accepting one is a
single move edit (undoable like any other), dismissing one is an edit that records the answers
are not to be offered for that theme again. Later suggestions use every edit in effect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from themes.review.edits import Edit
from themes.review.history import LogEntry
from themes.review.state import QuestionReview

MIN_TAUGHT = 3
"""A theme needs this many answers moved into it before it is learned from."""
LOOKS_LIKE = 0.5
"""How similar (cosine, to the nearest taught answer) an answer must be to be suggested."""
CLEARLY_CLOSER = 0.15
"""How much closer to the nearest taught answer it must be than to the nearest other answer of
the theme it is in now (an unassigned answer has none). Chosen with the simulated reviewer of
``themes evaluate --simulate-reviewer`` for precision over reach (eval/RESULTS.md)."""
MOST = 50
"""Answers offered at once for one theme, most similar first."""
DISMISS = "dismiss_suggestion"


@dataclass(frozen=True)
class Suggestion:
    """Answers to move into a theme, and what it was learned from."""

    theme: int
    label: str
    rows: tuple[int, ...]
    unassigned: int  # how many of ``rows`` fit no theme now (the rest sit in other themes)
    taught: int  # how many answers the reviewer moved into the theme

    def sentence(self) -> str:
        """The suggestion in a reviewer's words."""
        where = []
        if self.unassigned:
            where.append(f"{self.unassigned} unassigned")
        if len(self.rows) - self.unassigned:
            where.append(f"{len(self.rows) - self.unassigned} in other themes")
        count = len(self.rows)
        look = "looks" if count == 1 else "look"
        return (
            f"{count} answer{'s' if count != 1 else ''} ({', '.join(where)}) {look} like the "
            f"{self.taught} you moved to '{self.label}'."
        )

    def accept(self, question: str) -> Edit:
        """The edit that accepts it: one move, undoable."""
        return Edit("move", question, {"rows": list(self.rows), "to": self.theme})

    def dismiss(self, question: str) -> Edit:
        """The edit that dismisses it: these answers are not offered for this theme again."""
        return Edit(DISMISS, question, {"theme": self.theme, "rows": list(self.rows)})


def taught_rows(review: QuestionReview, log: Sequence[LogEntry]) -> dict[int, int]:
    """Answers a reviewer moved into a theme and that are still there: row -> theme."""
    taught: dict[int, int] = {}
    for entry in log:
        edit = entry.edit
        if edit is None or edit.question != review.question or edit.op != "move":
            continue
        target = edit.args.get("to")
        for row in edit.args.get("rows") or ():
            if isinstance(target, int):
                taught[int(row)] = target
            elif edit.args.get("new_label") is not None:  # a new theme: wherever it is now
                current = review.assignment.get(int(row))
                if current is not None:
                    taught[int(row)] = current
            else:
                taught.pop(int(row), None)
    return {row: theme for row, theme in taught.items() if review.assignment.get(row) == theme}


def dismissed_rows(review: QuestionReview, log: Sequence[LogEntry]) -> dict[int, set[int]]:
    """Answers a reviewer said are not to be offered for a theme: theme -> rows."""
    found: dict[int, set[int]] = {}
    for entry in log:
        edit = entry.edit
        if edit is not None and edit.question == review.question and edit.op == DISMISS:
            found.setdefault(int(edit.args["theme"]), set()).update(
                int(r) for r in edit.args.get("rows") or ()
            )
    return found


def suggest_moves(
    rows: Sequence[int],
    vectors: np.ndarray,
    assignment: Mapping[int, int | None],
    taught: Mapping[int, int],
    labels: Mapping[int, str],
    dismissed: Mapping[int, set[int]] | None = None,
    *,
    looks_like: float = LOOKS_LIKE,
    most: int = MOST,
) -> list[Suggestion]:
    """Suggestions for every theme with at least ``MIN_TAUGHT`` taught answers, largest first.

    ``rows`` and ``vectors`` (unit length, one per row) cover the answers that can move;
    ``assignment`` gives each row's theme now (None: unassigned)."""
    dismissed = dismissed or {}
    if not len(rows):
        return []
    position = {row: i for i, row in enumerate(rows)}
    by_theme: dict[int, list[int]] = {}
    for row, theme in taught.items():
        if row in position and theme in labels:
            by_theme.setdefault(theme, []).append(position[row])
    learned = {t: members for t, members in by_theme.items() if len(members) >= MIN_TAUGHT}
    if not learned:
        return []
    members_of: dict[int, list[int]] = {}
    for row, current in assignment.items():
        if current is not None and row in position:
            members_of.setdefault(current, []).append(position[row])
    # each answer's similarity to the nearest other answer of the theme it is in now
    own = np.full(len(rows), -1.0)
    for members in members_of.values():
        if len(members) > 1:
            block = vectors[members] @ vectors[members].T
            np.fill_diagonal(block, -1.0)
            own[members] = block.max(axis=1)
    themes = sorted(learned)
    # and to the nearest taught answer of each learned theme
    nearest = np.stack([(vectors @ vectors[learned[t]].T).max(axis=1) for t in themes], axis=1)
    best = nearest.argmax(axis=1)
    taught_set = set(taught)
    chosen: dict[int, list[tuple[float, int]]] = {}
    for i, row in enumerate(rows):
        j = int(best[i])
        theme, score = themes[j], float(nearest[i, j])
        if row in taught_set or assignment.get(row) == theme or row in dismissed.get(theme, ()):
            continue
        if score >= looks_like and score >= own[i] + CLEARLY_CLOSER:
            chosen.setdefault(theme, []).append((score, row))
    found = []
    for theme, scored in chosen.items():
        picked = tuple(row for _, row in sorted(scored, key=lambda s: (-s[0], s[1]))[:most])
        found.append(
            Suggestion(
                theme,
                labels[theme],
                picked,
                sum(1 for r in picked if assignment.get(r) is None),
                len(learned[theme]),
            )
        )
    return sorted(found, key=lambda s: (-len(s.rows), s.theme))
