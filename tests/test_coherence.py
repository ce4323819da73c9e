"""Coherence and label fit: the measures behind catch-all checks and ``themes evaluate``."""

from __future__ import annotations

import numpy as np

from themes.coherence import coherence, label_fit
from themes.discover import adaptive_max_themes, split_catch_alls


def _blobs(spread: float, sizes: tuple[int, ...], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), 32))
    vectors = np.vstack(
        [c + spread * rng.normal(size=(n, 32)) for c, n in zip(centres, sizes, strict=True)]
    )
    labels = np.repeat(np.arange(len(sizes)), sizes)
    return vectors.astype(np.float32), labels


def test_tight_themes_score_higher_than_a_catch_all() -> None:
    vectors, labels = _blobs(0.2, (30, 30, 30, 30))
    tight = coherence(vectors, labels)
    merged = labels.copy()
    merged[merged == 1] = 0  # two topics in one theme
    loose = coherence(vectors, merged)
    assert min(tight.values()) > 0.5
    assert loose[0] < tight[0]


def test_a_catch_all_is_split_and_tight_themes_are_left_alone() -> None:
    vectors, labels = _blobs(0.2, (40, 40, 40, 40, 40, 40))
    merged = labels.copy()
    merged[merged == 1] = 0
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    split, done = split_catch_alls(unit, merged, min_size=10)
    assert len(done) == 1 and done[0]["size"] == 80
    assert len(set(split[:80].tolist())) == 2  # the two topics apart again
    same, nothing = split_catch_alls(unit, labels, min_size=10)
    assert not nothing and (same == labels).all()


def test_label_fit_counts_answers_nearest_their_own_label() -> None:
    vectors, labels = _blobs(0.1, (10, 10))
    centres = {t: vectors[labels == t].mean(axis=0) for t in (0, 1)}
    assert label_fit(vectors, labels, centres) == 1.0
    assert label_fit(vectors, labels, {0: centres[1], 1: centres[0]}) == 0.0


def test_theme_cap_follows_the_data_size() -> None:
    assert adaptive_max_themes(300) < adaptive_max_themes(2_400) < 30
    assert adaptive_max_themes(25_000) > 30
    assert 8 <= adaptive_max_themes(10) and adaptive_max_themes(10**7) == 60
