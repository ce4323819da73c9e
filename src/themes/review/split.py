"""Suggested sub-divisions of a theme, computed from its own responses, for a reviewer to accept
or adjust before it becomes a ``split`` edit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from themes.analysis.keywords import KeywordIndex
from themes.core.errors import ReviewError
from themes.review.state import QuestionReview

MIN_GROUP = 3
MAX_GROUPS = 4


@dataclass(frozen=True)
class SplitSuggestion:
    """Groups of a theme's responses; the largest stays in the theme, the others become new themes.

    Attributes:
        groups: (label, keywords, rows) for each group, largest first.
        quality: silhouette of the division (-1..1); above ~0.1 the groups are distinct.
    """

    groups: tuple[tuple[str, tuple[str, ...], tuple[int, ...]], ...]
    quality: float

    def as_edit_groups(self) -> list[dict[str, object]]:
        """The ``groups`` argument of a split edit: every group but the largest moves out."""
        return [{"label": label, "rows": list(rows)} for label, _, rows in self.groups[1:]]


def suggest_split(
    review: QuestionReview,
    theme_id: int,
    embeddings: np.ndarray,
    index: KeywordIndex,
    max_groups: int = MAX_GROUPS,
    seed: int = 0,
) -> SplitSuggestion:
    """Divide a theme into 2..``max_groups`` groups of similar responses (k-means on the
    responses' embeddings, the number of groups chosen by silhouette). ``embeddings`` has one row
    per member of the theme, in ``review.members(theme_id)`` order."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    theme = review.theme(theme_id)
    rows = review.members(theme.id)
    if len(rows) < 2 * MIN_GROUP:
        raise ReviewError(
            f"'{theme.label}' has {len(rows)} responses; a theme needs at least {2 * MIN_GROUP} to "
            "suggest a split. Move responses by hand instead."
        )
    if embeddings.shape[0] != len(rows):
        raise ReviewError("The embeddings do not match the theme's responses; reload the project.")
    vectors = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, min(max_groups, len(rows) // MIN_GROUP) + 1):
        labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(vectors)
        if np.bincount(labels).min() < MIN_GROUP:
            continue
        score = float(silhouette_score(vectors, labels, metric="cosine"))
        if best is None or score > best[0]:
            best = (score, labels)
    if best is None:
        raise ReviewError(
            f"The responses in '{theme.label}' do not fall into groups of at least {MIN_GROUP}; "
            "move responses by hand instead."
        )
    score, labels = best
    groups = []
    for group in np.unique(labels):
        members = [rows[i] for i in np.flatnonzero(labels == group)]
        keywords = index.keywords(members, n_themes=max(2, len(review.themes)))
        groups.append((index.label(members, keywords), keywords, tuple(members)))
    groups.sort(key=lambda g: -len(g[2]))
    return SplitSuggestion(tuple(groups), round(score, 3))
