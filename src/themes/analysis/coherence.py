"""How tightly a theme's answers sit together, compared with the whole question's answers, and
how well labels tell themes apart: the measures behind catch-all checks and ``themes evaluate``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def unit_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows left as they are)."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)


def coherence(embeddings: np.ndarray, labels: Sequence[int] | np.ndarray) -> dict[int, float]:
    """Per theme (labels >= 0): the mean cosine of its answers to their own centre, rescaled so
    that 0 is how tightly all the answers sit around the question's centre and 1 is identical
    answers. A catch-all theme scores near 0; a theme of one repeated idea near 1."""
    unit = unit_rows(embeddings)
    themes = np.asarray(labels)
    centre = unit.mean(axis=0)
    centre /= max(float(np.linalg.norm(centre)), 1e-12)
    base = float((unit @ centre).mean())
    scores: dict[int, float] = {}
    for theme in sorted(int(t) for t in set(themes.tolist()) if t >= 0):
        members = unit[themes == theme]
        own = members.mean(axis=0)
        own /= max(float(np.linalg.norm(own)), 1e-12)
        tight = float((members @ own).mean())
        scores[theme] = round((tight - base) / max(1e-6, 1.0 - base), 4)
    return scores


CATCH_ALL_SHARE = 0.08
"""A theme holding more than this share of the answers must earn it by coherence."""


def is_loose(score: float, median: float, share: float) -> bool:
    """A catch-all: a theme over ``CATCH_ALL_SHARE`` of the answers (``share``) whose coherence
    is below the question's median theme's, or any theme far below the rest (under half the
    median)."""
    return (share > CATCH_ALL_SHARE and score < median) or score < 0.5 * median


def label_fit(
    embeddings: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    label_vectors: dict[int, np.ndarray],
) -> float:
    """The share of answers (in a theme that has a label vector) whose nearest label, by cosine,
    is their own theme's."""
    ids = sorted(label_vectors)
    if len(ids) < 2:
        return 1.0 if ids else 0.0
    unit = unit_rows(embeddings)
    matrix = unit_rows(np.vstack([label_vectors[t] for t in ids]))
    themes = np.asarray(labels)
    mask = np.isin(themes, ids)
    if not mask.any():
        return 0.0
    nearest = np.asarray(ids)[(unit[mask] @ matrix.T).argmax(axis=1)]
    return round(float((nearest == themes[mask]).mean()), 4)
