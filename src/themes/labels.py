"""Readable theme labels built from c-TF-IDF keywords, written the way respondents wrote them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence


def surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """For each lower-cased word, its most common spelling in the texts ('gp' -> 'GP')."""
    counts: dict[str, Counter[str]] = {}
    for text in texts:
        for word in re.findall(r"[\w&'’-]+", text):
            counts.setdefault(word.lower(), Counter())[word] += 1
    forms: dict[str, str] = {}
    for lower, seen in counts.items():
        # Prefer lower case unless another spelling clearly dominates (acronyms, place names).
        best, best_n = seen.most_common(1)[0]
        forms[lower] = best if best_n > seen.get(lower, 0) * 1.5 else lower
    return forms


def _restore(phrase: str, forms: dict[str, str]) -> str:
    return " ".join(forms.get(word, word) for word in phrase.split())


def make_label(keywords: Sequence[str], texts: Sequence[str], max_parts: int = 2) -> str:
    """A short label such as 'GP appointments, phone' from keywords, best first.

    A two-word keyword that contains the top keyword is preferred as the head; further parts are
    keywords that repeat no word already used.
    """
    keywords = [k for k in keywords if len(set(k.split())) == len(k.split())]  # no "good good"
    if not keywords:
        return "Unlabelled theme"
    forms = surface_forms(texts)
    head = keywords[0]
    for candidate in keywords[:4]:
        if " " in candidate and set(head.split()) & set(candidate.split()):
            head = candidate
            break
    parts = [head]
    used = set(head.split())
    for keyword in keywords:
        if len(parts) >= max_parts:
            break
        words = set(keyword.split())
        if words & used:
            continue
        parts.append(keyword)
        used |= words
    label = ", ".join(_restore(p, forms) for p in parts)
    return label[:1].upper() + label[1:]


_PRONOUNS = frozenset("i i'm i've my me we our us you your personally honestly".split())
"""Words that make an answer a personal statement rather than a name for a theme."""
_CLAUSE_BREAK = re.compile(
    r"[.!?;]\s|\s[-–—]\s|\d\)|(?<![\w.,])\d(?![\w.,:/])"
)  # also '1 gp 2 ...' lists


def phrase_label(keywords: Sequence[str], texts: Sequence[str], look_at: int = 40) -> str | None:
    """A short answer that says what the theme is about, in the respondents' words: among the
    most central answers (``texts``, most central first), one clause of 2-7 words, not in the
    first person, using the most of the theme's top keywords, and mostly made of its keywords'
    words ('Tackle loneliness among older people'). None when no answer qualifies."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    top = list(keywords[:6])
    vocabulary = {w for k in keywords[:10] for w in k.split()}
    best: tuple[tuple[float, ...], str] | None = None
    for rank, text in enumerate(texts[:look_at]):
        if "\n" in text.strip():
            continue  # a list of several things
        clean = " ".join(text.split()).strip(" .!-,;:")
        words = clean.split()
        if not 2 <= len(words) <= 7 or _CLAUSE_BREAK.search(clean):
            continue
        lower = clean.lower()
        tokens = re.findall(r"[a-z][a-z&'’-]*", lower)
        if any(t in _PRONOUNS for t in tokens):
            continue
        hits = sum(1 for k in top if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", lower))
        if not hits:
            continue
        content = [t for t in tokens if t not in ENGLISH_STOP_WORDS]
        coverage = sum(1 for t in content if t in vocabulary) / max(1, len(content))
        key = (-hits, -round(coverage * 4) / 4, len(words), rank)
        if best is None or key < best[0]:
            best = (key, clean)
    if best is None:
        return None
    return best[1][:1].upper() + best[1][1:]


def theme_label(keywords: Sequence[str], texts: Sequence[str]) -> str:
    """The label a theme gets: a short central answer when one fits, else keywords."""
    return phrase_label(keywords, texts) or make_label(keywords, texts)
