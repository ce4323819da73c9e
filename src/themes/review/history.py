"""A project's history: each line an edit, an undo or a redo by one reviewer; the edits in effect
after it, and the state they give when replayed over the analysis (the same in the app, the CLI
and the tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from themes.analysis.keywords import KeywordIndex
from themes.core.errors import ReviewError
from themes.review.edits import ALL_QUESTIONS, Edit, apply_edit
from themes.review.state import QuestionReview
from themes.review.touches import UNKNOWN, Touches


@dataclass(frozen=True)
class LogEntry:
    """One line of a project's history: an edit, or an undo or redo of an earlier one.

    ``user`` is who made the line; ``touches`` what it read and wrote (for an undo or redo, what
    the edit it undid or redid touches), ``UNKNOWN`` for lines recorded before that was kept.
    """

    seq: int
    kind: str  # 'edit', 'undo' or 'redo'
    edit: Edit | None
    user: str
    at: str
    summary: str
    target: int | None = None  # for undo/redo: the seq of the edit undone or redone
    touches: Touches = UNKNOWN


@dataclass(frozen=True)
class History:
    """A history folded line by line: its lines, the edits in effect (in the order they apply)
    and those redo could bring back (oldest undo first). Extending it by the lines added since
    costs those lines, not the whole history. Each reviewer's redo list is their own: a new edit
    clears only its author's undone edits."""

    log: tuple[LogEntry, ...] = ()
    done: tuple[LogEntry, ...] = ()
    undone: tuple[LogEntry, ...] = ()
    by_seq: Mapping[int, LogEntry] = field(default_factory=dict)

    def extended(self, entries: Iterable[LogEntry]) -> History:
        entries = tuple(entries)
        if not entries:
            return self
        done, undone = list(self.done), list(self.undone)
        by_seq = {**self.by_seq, **{e.seq: e for e in entries}}
        for entry in entries:
            if entry.kind == "edit":
                done.append(entry)
                if undone:
                    undone = [e for e in undone if e.user != entry.user]
            elif entry.kind == "undo" and entry.target is not None:
                done = [e for e in done if e.seq != entry.target]
                undone.append(by_seq[entry.target])
            elif entry.kind == "redo" and entry.target is not None:
                undone = [e for e in undone if e.seq != entry.target]
                done.append(by_seq[entry.target])
        return History((*self.log, *entries), tuple(done), tuple(undone), by_seq)


def effective(log: Sequence[LogEntry]) -> tuple[list[LogEntry], list[LogEntry]]:
    """The edits in effect after a history (in the order they apply), and those that redo could
    bring back (oldest undo first); see ``History``."""
    history = History().extended(log)
    return list(history.done), list(history.undone)


def replay(
    base: Mapping[str, QuestionReview],
    edits: Iterable[Edit],
    indexes: Mapping[str, KeywordIndex],
) -> dict[str, QuestionReview]:
    """Apply edits in order to the base states (one per question)."""
    states = dict(base)
    for edit in edits:
        states, _ = apply_to_project(states, edit, indexes.__getitem__)
    return states


def apply_to_project(
    states: Mapping[str, QuestionReview],
    edit: Edit,
    index_of: Callable[[str], KeywordIndex],
) -> tuple[dict[str, QuestionReview], str]:
    """Apply an edit to its question, or to every question for a project-wide edit."""
    questions = list(states) if edit.question == ALL_QUESTIONS else [edit.question]
    if not questions or questions[0] not in states:
        raise ReviewError(
            f"An edit is for question {edit.question!r}, which this project does not have."
        )
    new = dict(states)
    summary = ""
    for question in questions:
        new[question], summary = apply_edit(states[question], edit, index_of(question))
    return new, summary
