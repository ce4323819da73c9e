"""The Responses artefact: one question's answers, every input row accounted for."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum


class RowStatus(StrEnum):
    """What preparation decided about one input row."""

    TEXT = "text"  # a real answer, sent to theme discovery
    NON_ANSWER = "non_answer"  # "n/a", "no comment", "don't know", "-": counted, not clustered
    EMPTY = "empty"  # blank cell: the question was skipped
    DUPLICATE = "duplicate"  # the same respondent's submission again: counted once
    PREVIEW = "preview"  # a survey preview or test response (Qualtrics): counted, left out


@dataclass(frozen=True)
class Response:
    """One row's answer to one question.

    Attributes:
        row: 1-based position of the row among the file's data rows.
        respondent_id: the respondent's id from the file, or the row number when the file has none.
        text: the answer exactly as read (only surrounding white space removed).
        status: what preparation decided about it.
    """

    row: int
    respondent_id: str
    text: str
    status: RowStatus = RowStatus.TEXT


@dataclass(frozen=True)
class Responses:
    """All rows' answers to one free-text question, in file order.

    Attributes:
        question: the column (question) the answers came from.
        items: one Response per data row of the file.
        source: where the rows came from (file name), for provenance.
        extra: other columns per row (demographics, closed questions), keyed by column name.
        label: the question's full text where the column is a short id (Qualtrics 'Q4_TEXT').
    """

    question: str
    items: tuple[Response, ...]
    source: str = ""
    extra: tuple[dict[str, str], ...] = ()
    label: str = ""

    def __len__(self) -> int:
        return len(self.items)

    def with_items(self, items: tuple[Response, ...]) -> Responses:
        """A new Responses with the same question, source and extra columns."""
        return Responses(self.question, items, self.source, self.extra, self.label)

    @property
    def to_cluster(self) -> tuple[Response, ...]:
        """The answers that go to theme discovery."""
        return tuple(r for r in self.items if r.status is RowStatus.TEXT)

    def status_counts(self) -> dict[str, int]:
        """How many rows have each status (every status listed, zeros included)."""
        counts = Counter(r.status for r in self.items)
        return {status.value: counts.get(status, 0) for status in RowStatus}
