"""Mapping responses and themes to a framework's items (pillars, focus areas, cross-cutting items)
by sentence similarity to each item's own text: its name and description and its example phrases.

A link carries its score and a reason a reviewer can read. "Fits no item" is a real outcome: nothing
is forced into the nearest pillar. Automatic links are kept apart from reviewers' links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from themes.analysis.cache import EmbeddingCache, embed_texts
from themes.analysis.embedding import Embedder
from themes.analysis.pipeline import AnalysisResult, Outcome
from themes.frameworks.framework import Framework, FrameworkItem
from themes.frameworks.tuning import is_tuned

DEFAULT_THRESHOLD = 0.25
TUNED_THRESHOLD = 0.2
"""A model tuned to the framework (``themes.frameworks.tuning``) scores an answer's other items
lower, and so a theme's mean: at 0.2 it links about as many answers as the model as shipped
does at 0.25 (eval/RESULTS.md)."""
DEFAULT_MARGIN = 0.02
TOP_K = 10


def link_threshold(embedder: Embedder) -> float:
    """The similarity a link needs with this embedder's scores."""
    return TUNED_THRESHOLD if is_tuned(embedder) else DEFAULT_THRESHOLD


@dataclass(frozen=True)
class ItemVectors:
    """Embeddings of every item's texts, for scoring."""

    items: tuple[FrameworkItem, ...]
    texts: tuple[tuple[str, ...], ...]
    vectors: tuple[np.ndarray, ...]


def embed_framework(
    framework: Framework, embedder: Embedder, cache: EmbeddingCache | None = None
) -> ItemVectors:
    """Embed each item's name+description and examples (cached like responses)."""
    texts = tuple(tuple(item.texts()) for item in framework.items)
    flat = [t for group in texts for t in group]
    vectors, _ = embed_texts(flat, embedder, cache)
    out: list[np.ndarray] = []
    start = 0
    for group in texts:
        out.append(vectors[start : start + len(group)])
        start += len(group)
    return ItemVectors(framework.items, texts, tuple(out))


def score_matrix(embeddings: np.ndarray, items: ItemVectors, top_k: int = TOP_K) -> np.ndarray:
    """Scores (rows x items): the mean of each row's ``top_k`` best cosine similarities with an
    item's texts. Several close examples count more than one lucky match."""
    scores = np.zeros((embeddings.shape[0], len(items.items)), dtype=np.float32)
    for j, vectors in enumerate(items.vectors):
        sims = embeddings @ vectors.T
        k = min(top_k, sims.shape[1])
        best = np.sort(sims, axis=1)[:, -k:]
        scores[:, j] = best.mean(axis=1)
    return scores


def choose_links(
    scores: np.ndarray,
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = DEFAULT_MARGIN,
    most: int = 3,
) -> list[list[int]]:
    """For each row: item columns scoring at least ``threshold`` and within ``margin`` of its best,
    best first, at most ``most``; an empty list means it fits no item."""
    chosen: list[list[int]] = []
    for row in scores:
        order = np.argsort(-row, kind="stable")
        best = float(row[order[0]]) if len(order) else 0.0
        chosen.append(
            [int(j) for j in order[:most] if row[j] >= threshold and row[j] >= best - margin]
        )
    return chosen


@dataclass(frozen=True)
class Link:
    """A theme's link to a framework item."""

    item_id: str
    score: float
    reason: str
    source: str = "auto"  # "auto" or "reviewer"


@dataclass(frozen=True)
class PillarMapping:
    """Themes (and their responses) linked to framework items, with coverage.

    Attributes:
        framework_id, model: what was mapped with.
        links: theme id -> its links, best first (empty: fits no item).
        respondents: item id -> respondent ids whose answers map to it (directly or via a child).
        settings: threshold, margin and top-k used.
    """

    framework_id: str
    model: str
    links: dict[int, tuple[Link, ...]]
    respondents: dict[str, frozenset[str]]
    settings: dict[str, Any] = field(default_factory=dict)

    def unmapped_themes(self) -> list[int]:
        return [theme for theme, links in self.links.items() if not links]


def _reason(
    item: FrameworkItem,
    texts: tuple[str, ...],
    vectors: np.ndarray,
    centre: np.ndarray,
    keywords: tuple[str, ...],
) -> str:
    sims = vectors @ centre
    closest = [texts[i] for i in np.argsort(-sims)[:2]]
    phrases = "; ".join(f"'{t[:80]}'" for t in closest)
    own = f"{item.name} {item.description} {' '.join(item.examples)}".lower()
    shared = [k for k in keywords if k.lower() in own][:4]
    words = f" Shared words: {', '.join(shared)}." if shared else ""
    return f"Closest framework text: {phrases}.{words}"


@dataclass(frozen=True)
class ItemScores:
    """Each answer's score for each framework item, kept with a project so that links can follow
    reviewers' edits without embedding anything again."""

    items: tuple[str, ...]
    rows: tuple[int, ...]
    scores: np.ndarray  # len(rows) x len(items)
    threshold: float = DEFAULT_THRESHOLD  # the similarity a link needs with this model


def score_answers(
    result: AnalysisResult,
    framework: Framework,
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
) -> ItemScores:
    """Score every answer that can carry a theme against every framework item."""
    items = embed_framework(framework, embedder, cache)
    grouped = {t.id for t in result.themes if t.kind}  # 'nothing needs to change'
    answered = [
        r
        for r in result.rows
        if r.outcome in (Outcome.THEMED, Outcome.OUTLIER) and r.theme_id not in grouped
    ]
    embeddings, _ = embed_texts([r.text for r in answered], embedder, cache)
    scores = score_matrix(embeddings, items) if answered else np.zeros((0, len(items.items)))
    return ItemScores(
        tuple(i.id for i in framework.items),
        tuple(r.row for r in answered),
        scores,
        link_threshold(embedder),
    )


def map_result(
    result: AnalysisResult,
    framework: Framework,
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    threshold: float | None = None,
    margin: float = DEFAULT_MARGIN,
) -> PillarMapping:
    """Link each theme of an analysis to framework items, and count respondents per item;
    ``threshold`` defaults to the one that fits the model (``link_threshold``)."""
    threshold = link_threshold(embedder) if threshold is None else threshold
    items = embed_framework(framework, embedder, cache)
    grouped = {t.id for t in result.themes if t.kind}  # 'nothing needs to change'
    answered = [
        r
        for r in result.rows
        if r.outcome in (Outcome.THEMED, Outcome.OUTLIER) and r.theme_id not in grouped
    ]
    embeddings, _ = embed_texts([r.text for r in answered], embedder, cache)
    scores = score_matrix(embeddings, items) if answered else np.zeros((0, len(items.items)))
    per_response = choose_links(scores, threshold, margin)
    respondents: dict[str, set[str]] = {item.id: set() for item in framework.items}
    for row, chosen in zip(answered, per_response, strict=True):
        for j in chosen:
            item = items.items[j]
            respondents[item.id].add(row.respondent_id)
            if item.parent:
                respondents[framework.pillar_of(item.id).id].add(row.respondent_id)
    links: dict[int, tuple[Link, ...]] = {}
    for theme in result.themes:
        members = [i for i, r in enumerate(answered) if r.theme_id == theme.id]
        if not members:  # the 'nothing needs to change' group's rows are not in ``answered``
            links[theme.id] = ()
            continue
        theme_scores = scores[members].mean(axis=0, keepdims=True)
        centre = embeddings[members].mean(axis=0)
        centre = centre / (np.linalg.norm(centre) or 1.0)
        chosen = choose_links(theme_scores, threshold, margin)[0]
        links[theme.id] = tuple(
            Link(
                items.items[j].id,
                round(float(theme_scores[0, j]), 3),
                _reason(items.items[j], items.texts[j], items.vectors[j], centre, theme.keywords),
            )
            for j in chosen
        )
    return PillarMapping(
        framework.id,
        embedder.model_id,
        links,
        {k: frozenset(v) for k, v in respondents.items()},
        {"threshold": threshold, "margin": margin, "top_k": TOP_K},
    )
