"""Preparation: tell real answers from non-answers ("n/a", "no comment", "-") and blanks.

Non-answers stay countable as their own group and never go to theme discovery. Answers that say
nothing needs to change ("Nothing", "All good") are real answers: the analysis gathers them into
a group of their own (``themes.analysis.no_change``).
"""

from __future__ import annotations

import re

from themes.core.plain_text import plain
from themes.ingest.responses import RowStatus

_NON_ANSWER_PHRASES = {
    "n/a",
    "na",
    "n.a",
    "n.a.",
    "n a",
    "nothing to add",
    "nothing else",
    "nothing more",
    "nothing more to add",
    "nothing further",
    "nothing further to add",
    "no comment",
    "no comments",
    "no further comment",
    "no further comments",
    "no",
    "nope",
    "nil",
    "not sure",
    "unsure",
    "don't know",
    "dont know",
    "do not know",
    "dunno",
    "idk",
    "not applicable",
    "no answer",
    "no response",
    "no idea",
    "not really",
    "no thanks",
    "no thank you",
    "ok",
    "okay",
    "pass",
    "skip",
    "see above",
    "as above",
    "same as above",
    "no other comments",
    "nothing else to add",
}
_ONLY_PUNCTUATION = re.compile(r"^[\W_]*$")
_TRIM = re.compile(r"^[\s\"'“”‘’.,;:!?()\-–—]+|[\s\"'“”‘’.,;:!?()\-–—]+$")


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes, single spaces, no surrounding punctuation."""
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = re.sub(r"\s+", " ", text)
    return _TRIM.sub("", text)


def is_non_answer(text: str) -> bool:
    """True for answers that say nothing ("n/a", "No comment", "Don't know", "-", "???")."""
    stripped = text.strip()
    if _ONLY_PUNCTUATION.match(stripped):
        return bool(stripped)
    return normalise(stripped) in _NON_ANSWER_PHRASES


def classify(text: str) -> RowStatus:
    """The preparation status of one raw answer, read as plain text ('<p>n/a</p>' says nothing,
    '<br>' is empty)."""
    text = plain(text)
    if not text.strip():
        return RowStatus.EMPTY
    if is_non_answer(text):
        return RowStatus.NON_ANSWER
    return RowStatus.TEXT
