"""Words as keywords should count them: one form per word ('appointment' and 'appointments' are
one keyword), no placeholders left by anonymisation ('XXXX', '[name]', 'redacted') and no
demographic words ('female').

Word forms are folded only where a word is the plural of another with the same Snowball stem
(nltk's ``SnowballStemmer``, which needs no downloaded data), so 'nurses' joins 'nurse' but
'caring' stays apart from 'care' and 'news' from 'new'. The commoner spelling is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from themes.privacy.redact import EMAIL

WORD = re.compile(r"[a-z][a-z'-]*[a-z]")
WEB_ADDRESS = r"(?:\bhttps?://|\bwww\.)[^\s<>\"'()]+"
"""A link written in an answer ('https://www.nhs.uk/...', 'www.example.org')."""
PLACEHOLDERS = re.compile(
    r"\[(?:name|email|phone|postcode|nhs number)\]|\bx{2,}\b|\b(?:redacted|anonymi[sz]ed)\b"
    rf"|{WEB_ADDRESS}|{EMAIL.pattern}",
    re.IGNORECASE,
)
"""What stands in for something, and what only addresses it: masks, links and email addresses
are no one's words for a theme ('http', 'www', a name in 'jo.bloggs@nhs.net')."""
DEMOGRAPHIC_WORDS = frozenset(
    """female females male males gender aged age ethnicity ethnic heterosexual bisexual
    transgender""".split()
)
"""Words that describe the respondent, not what they said; never keywords."""
PERSON_WORDS = frozenset("lady ladies gentleman gentlemen guy chap bloke fella lad girl".split())
"""Words for a person that say nothing about them ('the lady on the phone'); never keywords:
themes and labels gathered around them read like the names they stand in for."""


def repeats_a_word(keyword: str) -> bool:
    """True for keywords such as 'good good' or 'thank thank' (answers that repeat a word for
    emphasis): they say nothing a single word does not."""
    words = keyword.split()
    return len(set(words)) < len(words)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


def stems(phrase: str) -> set[str]:
    """The Snowball stems of a phrase's words ('waiting times' -> {'wait', 'time'})."""
    stem = _stemmer().stem
    return {stem(word) for word in phrase.lower().split()}


def _plural_pairs(word: str) -> tuple[str, ...]:
    """The singular forms ``word`` could be the plural of."""
    forms = []
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    return tuple(forms)


class WordForms:
    """A CountVectorizer ``preprocessor`` fitted on a corpus: lower-cases, removes placeholders
    and writes every word in its folded form."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(WORD.findall(PLACEHOLDERS.sub(" ", text.lower())))
        self._fit(counts)

    @classmethod
    def from_counts(cls, counts: Counter[str]) -> WordForms:
        """Fitted on word counts already made (lower case, placeholders out)."""
        forms = cls(())
        forms._fit(counts)
        return forms

    def _fit(self, counts: Counter[str]) -> None:
        stem = _stemmer().stem
        self.forms: dict[str, str] = {}
        for word in counts:
            for single in _plural_pairs(word):
                if single in counts and stem(single) == stem(word):
                    keep, drop = (
                        (single, word) if counts[single] >= counts[word] else (word, single)
                    )
                    self.forms[drop] = keep
                    break
        # Chains ('boxes' -> 'box' <- ...) end at a form that is kept.
        for word, form in list(self.forms.items()):
            seen = {word}
            while form in self.forms and form not in seen:
                seen.add(form)
                form = self.forms[form]
            self.forms[word] = form

    def __call__(self, text: str) -> str:
        text = PLACEHOLDERS.sub(" ", text.lower())
        if not self.forms:
            return text
        return WORD.sub(lambda m: self.forms.get(m.group(0), m.group(0)), text)

    def fold(self, word: str) -> str:
        """One word (or a phrase, word by word) in its folded form."""
        return " ".join(self.forms.get(w, w) for w in word.lower().split())


KEYWORD_SPARE = 4
"""Keywords asked for beyond those kept, so that dropping 'good good' and the like leaves enough."""
