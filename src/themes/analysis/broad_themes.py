"""Broad themes: the themes grouped into 3-10 that a coder would recognise (the answers divided
by k-means, each theme going where most of its answers are), each labelled like a theme."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from themes.analysis.coherence import unit_rows
from themes.analysis.labels import choose_labels, label_candidates, theme_label
from themes.analysis.theme_model import Theme
from themes.analysis.wordforms import KEYWORD_SPARE, repeats_a_word

log = logging.getLogger(__name__)


GROUPING_FROM = 8


def broad_theme_count(n_themes: int) -> int:
    """How many broad themes for ``n_themes`` themes: about one per four, from 3 to 10; none
    below GROUPING_FROM. 8 -> 3 (rounded up to 3), 16 -> 4, 30 -> 8, 40 -> 10, 60 -> 10."""
    if n_themes < GROUPING_FROM:
        return 0
    return max(3, min(10, round(n_themes / 4)))


def group_keywords(documents: Sequence[Sequence[str]], vectorizer: Any, top: int = 8) -> list:
    """The most distinctive words of each group of texts against the other groups (c-TF-IDF, as
    BERTopic computes it for themes), best first."""
    from bertopic.vectorizers import ClassTfidfTransformer

    counts = vectorizer.transform([" ".join(group) for group in documents])
    used = np.flatnonzero(np.asarray(counts.sum(axis=0)).ravel() > 0)  # not only in outliers
    weights = (
        ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts[:, used]).toarray()
    )
    words = vectorizer.get_feature_names_out()[used]
    return [
        tuple(
            str(words[i])
            for i in np.argsort(-row, kind="stable")[: top + KEYWORD_SPARE]
            if row[i] > 0 and not repeats_a_word(str(words[i]))
        )[:top]
        for row in weights
    ]


GROUPING_SAMPLE = 10_000
"""Answers the broad grouping is fitted on (a seeded sample above this many)."""
GROUPING_DIMENSIONS = 48
"""... in this many principal components: ten times faster than all 384 (0.15 against 1.6 s at
10,000 answers), and k-means agrees with itself between seeds as well (0.95)."""


def answer_groups(
    ids: Sequence[int], labels: np.ndarray, unit: np.ndarray, count: int, seed: int = 0
) -> np.ndarray:
    """Each theme's broad group (one per ``ids``, numbered from 0): the answers are divided into
    ``count`` groups by k-means (ten starts, the best kept), and a theme goes where most of its
    answers are. Grouping the answers, not the themes' centres, does not hang on which themes a
    seed happens to find: Ward clustering of the centres gave broad themes whose seed-to-seed
    agreement swung from 0.58 to 0.85 with small changes to the answers (eval/RESULTS.md)."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    rows = np.flatnonzero(np.isin(labels, list(ids)))
    if len(rows) > GROUPING_SAMPLE:
        rows = np.sort(np.random.default_rng(seed).choice(rows, GROUPING_SAMPLE, replace=False))
    vectors = unit[rows]
    dimensions = min(GROUPING_DIMENSIONS, vectors.shape[1], len(rows) - 1)
    if dimensions < vectors.shape[1]:
        vectors = PCA(dimensions, svd_solver="randomized", random_state=seed).fit_transform(vectors)
    parts = KMeans(n_clusters=count, n_init=10, random_state=seed).fit_predict(vectors)
    found = np.array(
        [int(np.bincount(parts[labels[rows] == t], minlength=count).argmax()) for t in ids]
    )
    return np.unique(found, return_inverse=True)[1]  # a group no theme went to is dropped


def group_themes(
    themes: list[Theme],
    ids: list[int],
    labels: np.ndarray,
    unit: np.ndarray,
    texts: Sequence[str],
    topic_model: Any,
    embed: Callable[[list[str]], Any] | None = None,
    seed: int = 0,
) -> list[Theme]:
    """Gather themes under broad themes (``answer_groups``), each broad theme labelled from its
    own distinctive keywords and its most central answers (with ``embed``, the candidate label
    closest to its own centre against the other broad themes', as for themes). ``ids`` are the
    themes' ids, ``labels`` each text's theme, ``unit`` the texts' unit vectors; ``seed`` seeds
    the grouping."""
    count = broad_theme_count(len(themes))
    if not count:
        return themes
    by_id = {t.id: t for t in themes}
    groups = answer_groups(ids, labels, unit, count, seed)
    members: dict[int, list[int]] = {}
    for theme_id, group in zip(ids, groups, strict=True):
        members.setdefault(int(group), []).append(theme_id)
    order = sorted(members, key=lambda g: -sum(by_id[t].size for t in members[g]))
    rows_of = {g: np.flatnonzero(np.isin(labels, members[g])) for g in order}
    keywords = group_keywords(
        [[texts[int(i)] for i in rows_of[g]] for g in order], topic_model.vectorizer_model
    )
    central_texts: list[list[str]] = []
    group_centres = []
    for group in order:
        rows = rows_of[group]
        centre = unit_rows(unit[rows].mean(axis=0, keepdims=True))[0]
        group_centres.append(centre)
        central = rows[np.argsort(-(unit[rows] @ centre), kind="stable")][:200]
        central_texts.append([texts[i] for i in central])
    if embed is not None:  # keywords and shared phrases: one answer does not speak for a group
        options = [
            label_candidates(words, central, answers=()) if words else []
            for words, central in zip(keywords, central_texts, strict=True)
        ]
        chosen = choose_labels(options, np.vstack(group_centres), embed)
    else:
        chosen = [
            theme_label(words, central) if words else ""
            for words, central in zip(keywords, central_texts, strict=True)
        ]
    names: dict[int, str] = {}
    taken: set[str] = set()
    for group, name in zip(order, chosen, strict=True):
        name = name or by_id[max(members[group], key=lambda t: by_id[t].size)].label
        unique, number = name, 2
        while unique.lower() in taken:
            unique, number = f"{name} ({number})", number + 1
        taken.add(unique.lower())
        names[group] = unique
    group_of = {t: names[int(g)] for t, g in zip(ids, groups, strict=True)}
    return [replace(t, group=group_of.get(t.id, "")) for t in themes]
