"""The words and two-word phrases counted for a theme's keywords.

scikit-learn's word counting removes stop words and then pairs the words left, so 'happy to use
it but I worry' counted 'happy worry', 'rural areas have decent broadband' 'areas decent', and
'my surgery. Stops answering' 'surgery stops': keywords no answer writes, shown to readers and
built into labels. Here two words make a phrase only where an answer writes them side by side in
one clause, or joined by at most ``MOST_BRIDGING`` of ``BRIDGES`` ('cost of living', 'afford a
smartphone', 'seen in person'): the phrase is counted without them, and labels put them back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

BRIDGES = frozenset(
    "a an the my your our their his her its 's ’s of to and or for with in on at about from by"
    " into".split()
)
"""Small words that may stand inside a two-word phrase: articles and possessives, prepositions
and conjunctions ('app for my prescriptions', "staff's attitude"). Not verbs, other pronouns or
numbers ('areas have decent', 'means I get seen', 'called 50 times')."""
MOST_BRIDGING = 2
"""The most small words between a phrase's two words ('doctor in the room')."""

CLAUSE_MARKS = ".!?;:,()|\n"
"""Where one clause of an answer ends and another begins: no phrase spans them (keywords here;
collocations, completed keywords and tagged phrases in ``labels`` and ``phrases``)."""
CLAUSES = re.compile(f"[{re.escape(CLAUSE_MARKS)}]+")
WRITTEN_WORD = re.compile(r"[\w&'’-]+")
"""A written word, counted or not (single letters and numbers stand between words too)."""


class KeywordTerms:
    """A CountVectorizer ``analyzer``: the words of a text that are not stop words, and the
    two-word phrases it writes (see the module's docstring). ``preprocess`` lower-cases the text
    and folds word forms; ``pattern`` says which words may be counted."""

    def __init__(
        self, preprocess: Callable[[str], str], stop_words: Iterable[str], pattern: str
    ) -> None:
        self.preprocess = preprocess
        self.stop_words = frozenset(stop_words)
        # a word the pattern takes, else any other written word (single letters, numbers)
        self.pattern = re.compile(
            rf"(?P<counted>{pattern.removeprefix('(?u)')})|{WRITTEN_WORD.pattern}"
        )

    def __call__(self, text: str) -> list[str]:
        terms: list[str] = []
        for clause in CLAUSES.split(self.preprocess(text)):
            words = self._words(clause)
            for i, (word, counted) in enumerate(words):
                if not counted:
                    continue
                terms.append(word)
                terms.extend(self._phrase_from(i, words))
        return terms

    def _words(self, clause: str) -> list[tuple[str, bool]]:
        """The clause's words, each with whether it is counted (a word the pattern takes that is
        not a stop word)."""
        stop = self.stop_words
        return [
            (found.group(0), found.lastgroup == "counted" and found.group(0) not in stop)
            for found in self.pattern.finditer(clause)
        ]

    @staticmethod
    def _phrase_from(i: int, words: list[tuple[str, bool]]) -> list[str]:
        """The phrase that starts on counted word ``i``: the next counted word, when only
        ``BRIDGES`` (at most ``MOST_BRIDGING``) stand between them."""
        for j in range(i + 1, min(len(words), i + 2 + MOST_BRIDGING)):
            word, counted = words[j]
            if counted:
                return [f"{words[i][0]} {word}"]
            if word not in BRIDGES:
                break
        return []
