"""Preparation: tell real answers from non-answers ("n/a", "nothing", "-") and blanks.

Non-answers stay countable as their own group and never go to theme discovery.
"""

from __future__ import annotations

import re

from themes.responses import RowStatus

_NON_ANSWER_PHRASES = {
    "n/a",
    "na",
    "n.a",
    "n.a.",
    "n a",
    "none",
    "nothing",
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
    "none really",
    "nothing really",
    "nothing at all",
    "none at all",
    "nothing comes to mind",
    "can't think of anything",
    "cant think of anything",
    "not really",
    "no thanks",
    "no thank you",
    "none thanks",
    "nothing thanks",
    "ok",
    "okay",
    "pass",
    "skip",
    "see above",
    "as above",
    "same as above",
    "none that i can think of",
    "nothing i can think of",
    "no other comments",
    "nothing else to add",
    "all good",
}
_ONLY_PUNCTUATION = re.compile(r"^[\W_]*$")
_TRIM = re.compile(r"^[\s\"'“”‘’.,;:!?()\-–—]+|[\s\"'“”‘’.,;:!?()\-–—]+$")


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes, single spaces, no surrounding punctuation."""
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = re.sub(r"\s+", " ", text)
    return _TRIM.sub("", text)


def is_non_answer(text: str) -> bool:
    """True for answers that say nothing ("n/a", "Nothing.", "No comment", "-", "???")."""
    stripped = text.strip()
    if _ONLY_PUNCTUATION.match(stripped):
        return bool(stripped)
    return normalise(stripped) in _NON_ANSWER_PHRASES


def classify(text: str) -> RowStatus:
    """The preparation status of one raw answer."""
    if not text.strip():
        return RowStatus.EMPTY
    if is_non_answer(text):
        return RowStatus.NON_ANSWER
    return RowStatus.TEXT
