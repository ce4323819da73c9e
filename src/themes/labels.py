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
