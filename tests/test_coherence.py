"""Coherence and label fit: the measures behind catch-all checks and ``themes evaluate``."""

from __future__ import annotations

import numpy as np

from themes.analysis.coherence import coherence, label_fit
from themes.analysis.discover import adaptive_max_themes, split_catch_alls


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


def test_a_catch_all_is_split_even_when_a_few_repeated_answers_are_too_few_for_a_theme() -> None:
    # two near topics and six copies of a third answer ('cost of living' x 6) in one theme: two
    # parts set the copies apart, three the topics too, and either left a part under min_size
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(6, 32))
    centres[1] = centres[0] + 0.5 * rng.normal(size=32)
    sizes = (40, 40, 6, 40, 40, 40)
    vectors = np.vstack(
        [
            c + (0.0 if topic == 2 else 0.2) * rng.normal(size=(n, 32))
            for topic, (c, n) in enumerate(zip(centres, sizes, strict=True))
        ]
    )
    labels = np.repeat(np.arange(6), sizes)
    merged = labels.copy()
    merged[merged <= 2] = 0
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    split, done = split_catch_alls(unit, merged, min_size=10)
    assert len(done) == 1 and done[0]["size"] == 86
    assert len(set(split[:40].tolist())) == 1 and len(set(split[40:80].tolist())) == 1
    assert split[0] != split[40]  # the two topics apart
    assert set(split[80:86].tolist()) <= {split[0], split[40]}  # the copies join one of them


def test_label_fit_counts_answers_nearest_their_own_label() -> None:
    vectors, labels = _blobs(0.1, (10, 10))
    centres = {t: vectors[labels == t].mean(axis=0) for t in (0, 1)}
    assert label_fit(vectors, labels, centres) == 1.0
    assert label_fit(vectors, labels, {0: centres[1], 1: centres[0]}) == 0.0


def test_theme_cap_follows_the_data_size() -> None:
    assert adaptive_max_themes(300) < adaptive_max_themes(2_400) < 30
    assert adaptive_max_themes(25_000) > 30
    assert 8 <= adaptive_max_themes(10) and adaptive_max_themes(10**7) == 60


def test_loose_themes_are_flagged_to_the_reviewer_until_their_answers_change() -> None:
    from dataclasses import replace

    from tests.test_review import make_result
    from themes.analysis.keywords import KeywordIndex
    from themes.review.edits import Edit, apply_edit
    from themes.review.state import QuestionReview
    from themes.review.tables import review_rows, reviewed_question, theme_detail

    result = make_result()  # themes 0 (4 answers), 1 and 2 (3 each), 10 answers in all
    scored = replace(
        result,
        themes=tuple(
            replace(t, coherence=c) for t, c in zip(result.themes, (0.05, 0.30, 0.35), strict=True)
        ),
    )
    review = QuestionReview.from_result(scored)
    question = reviewed_question(review, scored, None, None)
    assert question.loose == {0: (0.05, 0.30)}  # under half the median: a catch-all
    assert "Loose theme:" in theme_detail(question, 0, None)
    assert "Loose theme:" not in theme_detail(question, 1, None)
    notes = {row[0] - 1: row[-1] for row in review_rows(question, None)}
    assert "loose: may mix topics" in notes[0] and "loose" not in notes[1]
    # After a reviewer moves answers out, the analysis's score no longer describes the theme.
    index = KeywordIndex({r: a.text for r, a in review.answers.items()})
    moved, _ = apply_edit(review, Edit("move", review.question, {"rows": [1], "to": 1}), index)
    assert reviewed_question(moved, scored, None, None).loose == {}
    # Without scores (an older analysis) nothing is flagged.
    assert reviewed_question(review, result, None, None).loose == {}
