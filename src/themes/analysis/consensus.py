"""Consensus of several clusterings of the same answers (one per random UMAP layout).

One UMAP layout carries chance: with another seed, answers near a theme's edge land in a
neighbouring theme and a theme can split or join. Clustering several layouts and keeping their
consensus makes the themes far less dependent on the seed (eval/RESULTS.md): the layout whose
partition agrees best with all the others (the medoid, by adjusted Rand index) gives the themes,
each other layout's themes are matched to those one to one (Hungarian matching on shared answers),
and every answer takes the theme most layouts give it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from themes.analysis.theme_model import OUTLIER

NO_MATCH = -2
"""A theme of another layout that matched none of the chosen layout's themes: it does not vote."""


@dataclass(frozen=True)
class Consensus:
    """The agreed partition and how it was reached."""

    labels: np.ndarray  # one theme id per answer (the chosen layout's ids), or OUTLIER
    reassigned: np.ndarray  # True where most layouts that agree placed the answer by similarity
    chosen: int  # index of the layout whose themes were kept
    agreement: float  # mean adjusted Rand index between the layouts' partitions (1.0 for one)
    changed: int  # answers whose theme differs from the chosen layout's own


def medoid(partitions: Sequence[np.ndarray]) -> tuple[int, float]:
    """The partition that agrees best with the others, and the mean pairwise agreement (ARI)."""
    if len(partitions) < 2:
        return 0, 1.0
    from sklearn.metrics import adjusted_rand_score

    k = len(partitions)
    scores = np.zeros((k, k))
    for i, j in itertools.combinations(range(k), 2):
        scores[i, j] = scores[j, i] = adjusted_rand_score(partitions[i], partitions[j])
    mean = float(scores[np.triu_indices(k, 1)].mean())
    return int(scores.sum(axis=1).argmax()), mean


def align(reference: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``other`` relabelled with the ``reference`` themes they share most answers with (one to
    one); its themes without a counterpart become ``NO_MATCH``, its outliers stay outliers."""
    from scipy.optimize import linear_sum_assignment

    ref_ids = np.unique(reference[reference >= 0])
    other_ids = np.unique(other[other >= 0])
    out = np.full(len(other), NO_MATCH, dtype=int)
    out[other == OUTLIER] = OUTLIER
    if not len(ref_ids) or not len(other_ids):
        return out
    both = (reference >= 0) & (other >= 0)
    overlap = np.zeros((len(ref_ids), len(other_ids)))
    np.add.at(
        overlap,
        (np.searchsorted(ref_ids, reference[both]), np.searchsorted(other_ids, other[both])),
        1,
    )
    rows, cols = linear_sum_assignment(-overlap)
    lookup = np.full(int(other_ids.max()) + 1, NO_MATCH, dtype=int)
    for r, c in zip(rows, cols, strict=True):
        if overlap[r, c] > 0:
            lookup[other_ids[c]] = ref_ids[r]
    mine = other >= 0
    out[mine] = lookup[other[mine]]
    return out


def consensus(partitions: Sequence[np.ndarray], reassigned: Sequence[np.ndarray]) -> Consensus:
    """Combine several partitions of the same answers (``OUTLIER`` = unassigned).

    ``reassigned[k]`` marks the answers partition ``k`` placed by similarity rather than by
    clustering. Ties go to the chosen layout's theme, then to a theme over no theme."""
    if not partitions:
        raise ValueError("no partitions to combine")
    chosen, agreement = medoid(partitions)
    reference = np.asarray(partitions[chosen], dtype=int)
    n = len(reference)
    aligned = [align(reference, np.asarray(p, dtype=int)) for p in partitions]
    aligned[chosen] = reference
    top = int(reference.max()) + 1 if n and reference.max() >= 0 else 0
    # Columns: NO_MATCH, OUTLIER, then theme 0, 1, ... (label + 2).
    counts = np.zeros((n, top + 2))
    rows = np.arange(n)
    for labels in aligned:
        np.add.at(counts, (rows, labels + 2), 1)
    score = counts * 4.0
    score[rows, reference + 2] += 2.0  # ties: the chosen layout's own theme ...
    score[:, 2:] += 1.0  # ... then any theme over none
    score[:, 0] = -np.inf  # unmatched themes abstain
    labels = score.argmax(axis=1) - 2
    support = np.zeros(n)
    placed = np.zeros(n)
    for k, lab in enumerate(aligned):
        agree = lab == labels
        support += agree
        placed += agree & np.asarray(reassigned[k], dtype=bool)
    return Consensus(
        labels=labels.astype(int),
        reassigned=(labels != OUTLIER) & (2 * placed > support),
        chosen=chosen,
        agreement=round(agreement, 4),
        changed=int((labels != reference).sum()),
    )
