"""Themes found on a sample of the answers, and every other answer placed in them.

Used above ``AnalysisConfig.fit_sample`` answers (``FIT_SAMPLE``, 50,000, unless set; the quick
look sets 10,000): discovery's cost grows faster than the answers, placing an answer costs one
comparison with each theme's centre (at most 60), so no index of neighbours is needed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from themes.analysis.coherence import unit_rows
from themes.analysis.theme_model import OUTLIER, ThemeModel

FIT_SAMPLE = 50_000
"""Above this many answers, unless ``fit_sample`` says otherwise, themes are found on a sample
of this many."""

PLACING_FLOOR = 0.05
"""An answer outside the sample is placed when it is at least as similar to its nearest theme's
centre as all but this share of the sample's own themed answers are to theirs: the standard the
sample met, on any model's scale of similarity."""


def sample_positions(n: int, size: int | None, seed: int) -> np.ndarray | None:
    """Sorted positions of the ``size`` (default ``FIT_SAMPLE``) answers of ``n`` the themes
    are found on, drawn with ``seed``; ``None`` when every answer is used."""
    size = size or FIT_SAMPLE
    if n <= size:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))


def place_rest(
    found: ThemeModel, sample: np.ndarray, vectors: np.ndarray, floor: float | None = None
) -> tuple[ThemeModel, dict[int, int]]:
    """``found`` (themes of the sampled answers) over every answer of ``vectors``: each answer
    outside the sample goes to the theme whose centre (the mean of its sampled answers) it is
    most similar to, when at least ``floor`` similar (the rule of a later batch), else it is
    unassigned; with no ``floor`` (a model on another scale), ``PLACING_FLOOR`` sets it. Sizes
    count every answer, and the themes are numbered largest first again (the second value maps
    old ids to new); representatives stay sampled answers; ``details`` records how many were
    placed."""
    n = len(vectors)
    unit = unit_rows(np.asarray(vectors, dtype=np.float32))
    assigned = np.asarray(found.assignments)
    ids = [t.id for t in found.themes]
    assignments = np.full(n, OUTLIER)
    similarity = np.zeros(n)
    reassigned = np.zeros(n, dtype=bool)
    assignments[sample] = assigned
    similarity[sample] = found.similarity
    reassigned[sample] = found.reassigned
    rest = np.setdiff1d(np.arange(n), sample)
    placed = 0
    if ids and len(rest):
        members = [sample[assigned == theme] for theme in ids]
        centres = unit_rows(np.vstack([unit[m].mean(axis=0) for m in members]))
        if floor is None:
            own = np.concatenate([unit[m] @ centres[k] for k, m in enumerate(members)])
            floor = float(np.quantile(own, PLACING_FLOOR)) if len(own) else 1.0
        for start in range(0, len(rest), 8192):
            block = rest[start : start + 8192]
            sims = unit[block] @ centres.T
            best = sims.argmax(axis=1)
            top = sims[np.arange(len(block)), best]
            similarity[block] = top
            fits = top >= floor
            assignments[block[fits]] = np.asarray(ids)[best[fits]]
            placed += int(fits.sum())
    sizes = {theme: int((assignments == theme).sum()) for theme in ids}
    order = sorted(found.themes, key=lambda t: -sizes[t.id])  # still numbered largest first
    new_id = {t.id: number for number, t in enumerate(order)}
    themes = tuple(
        replace(
            t,
            id=new_id[t.id],
            size=sizes[t.id],
            representatives=tuple(int(sample[p]) for p in t.representatives),
        )
        for t in order
    )
    assignments = np.array([new_id.get(int(a), OUTLIER) for a in assignments])
    details = dict(found.details) | {
        "fit_sample": len(sample),
        "placed_from_outside_sample": placed,
        "left_outside_sample": len(rest) - placed,
    }
    model = ThemeModel(
        themes,
        tuple(int(a) for a in assignments),
        tuple(round(float(s), 4) for s in similarity),
        tuple(bool(r) for r in reassigned),
        details,
    )
    return model, new_id
