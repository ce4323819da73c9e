"""Whether a two-word phrase reads as a name for something where the answers write it: 'Phone
queue', 'Delayed discharge', 'Tackle loneliness', and not a clause cut out of a sentence ('Surgery
stops', 'Took weeks', 'Outside Gloucestershire', 'Nearly impossible').

The words are tagged in the answers that hold them by spaCy's small English pipeline (its
part-of-speech tagger; the package that finds names, ``themes.privacy.names``). Without it, every
phrase is taken as it is.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

from themes.analysis.terms import CLAUSE_MARKS

NOUNS = frozenset({"NN", "NNS", "NNP", "NNPS"})
OPENING = NOUNS | {"JJ", "JJR", "JJS", "VBN", "VBG", "VB", "CD"}
"""Penn Treebank tags a phrase's first word may carry: a noun ('Care package'), an adjective or
participle ('Social care', 'Delayed discharge', 'Caring staff'), a number, or a verb's base form,
as requests are written ('Tackle loneliness', 'Pay nurses')."""
CLOSING = NOUNS | {"CD"}
"""... and its second word: a noun or a number ('NHS 111'). Not an adjective ('Seeing
different'); ..."""
AFTER_A_NOUN = frozenset({"online", "nearby", "locally", "overnight", "abroad"})
"""... nor an adverb ('Days later', 'Weeks away'), except one of place after a noun
('Prescriptions online'), where a past participle is taken too ('Care received'); ..."""
VERBS = frozenset({"VBD", "VBZ", "VBP"})
FINITE = VERBS | {"MD"}
ENDING = frozenset({"RB", "RBR", "RBS", ".", ",", ":", "CC", "HYPH", "-RRB-"})
"""... nor a verb ('Surgery stops answering the phone', 'Receptionists ask too many questions')
unless it ends its clause or only an adverb follows ('The app crashes constantly')."""
LOOKED_AT = 3
"""Answers tagged for each phrase (the first that hold it)."""
WINDOW = 80
"""Characters either side of the phrase that the tagger reads."""


_TAGGER_LOCK = threading.Lock()
"""One tagging at a time: the app's reviewers ask for other names from several threads."""


def _tagger() -> Any | None:
    """spaCy's English pipeline with only what part-of-speech tags need, or None when absent."""
    from themes.privacy.names import english_pipeline

    return english_pipeline("parser", "lemmatizer", "ner", "senter")


def reads_as_a_name(phrase: str, texts: Sequence[str]) -> bool:
    """True when the two words of ``phrase`` open and close a noun phrase (``OPENING``,
    ``CLOSING``) in at least half of the first ``LOOKED_AT`` of ``texts`` that write them side by
    side, as the tagger reads them there; False when no text writes them side by side; True for
    other lengths or without the tagger."""
    words = phrase.split()
    nlp = _tagger()
    if len(words) != 2 or nlp is None:
        return True
    verdicts = [_names(*tags) for tags in _tags(nlp, words, texts)]
    return bool(verdicts) and 2 * sum(verdicts) >= len(verdicts)


def _names(first: str, second: tuple[str, str], after: str) -> bool:
    """Whether two words tagged ``first`` and ``second`` (the second's tag and word), followed by
    a word tagged ``after`` ('' at the end), name something."""
    tag, word = second
    if first not in OPENING:
        return False
    participle = tag == "VBN" or (tag == "VBD" and after in FINITE)  # 'care received was good'
    if first in NOUNS and (participle or word.lower() in AFTER_A_NOUN):
        return True
    return tag in CLOSING or (tag in VERBS and after in ENDING | {""})


def _tags(
    nlp: Any, words: list[str], texts: Sequence[str]
) -> list[tuple[str, tuple[str, str], str]]:
    """The tags of the two words, and of the token after them, where ``LOOKED_AT`` of
    ``texts`` write them side by side."""
    pattern = re.compile(
        rf"(?<![\w&'’-])({re.escape(words[0])}){_BETWEEN}({re.escape(words[1])})(?![\w&'’-])",
        re.IGNORECASE,
    )
    windows: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for text in texts:
        found = pattern.search(text)
        if found is None:
            continue
        start = max(0, found.start() - WINDOW)
        first, second = found.span(1), found.span(2)
        windows.append(
            (
                text[start : found.end() + WINDOW],
                (first[0] - start, first[1] - start),
                (second[0] - start, second[1] - start),
            )
        )
        if len(windows) >= LOOKED_AT:
            break
    found_tags: list[tuple[str, tuple[str, str], str]] = []
    with _TAGGER_LOCK:
        docs = list(nlp.pipe(w[0] for w in windows))
    for doc, (_, first, second) in zip(docs, windows, strict=True):
        one, two = _span(doc, *first), _span(doc, *second)
        if one is None or two is None:
            continue
        after = doc[two.end].tag_ if two.end < len(doc) else ""
        found_tags.append((str(one[0].tag_), (str(two[0].tag_), str(two[0].text)), str(after)))
    return found_tags


_BETWEEN = rf"[^\w&'’{re.escape(CLAUSE_MARKS)}]+"
"""What may stand between the two words: not a word, nor a break between clauses (the phrases
are counted clause by clause, ``terms.CLAUSE_MARKS``)."""


def _span(doc: Any, start: int, end: int) -> Any | None:
    """The tokens of the word at ``start``-``end`` in ``doc``, or None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None
