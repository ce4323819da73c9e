"""Consensus of several layouts' partitions."""

from __future__ import annotations

import numpy as np
import pytest

from themes.analysis.consensus import NO_MATCH, align, consensus, medoid

A = np.array([0, 0, 0, 1, 1, 1, 2, 2, -1])


def _plain(n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool)


def test_the_same_themes_under_other_numbers_are_recognised() -> None:
    renamed = np.array([5, 5, 5, 0, 0, 0, 3, 3, -1])
    assert align(A, renamed).tolist() == A.tolist()
    agreed = consensus([A, renamed, A], [_plain(9)] * 3)
    assert agreed.labels.tolist() == A.tolist()
    assert agreed.agreement == 1.0 and agreed.changed == 0


def test_each_answer_takes_the_theme_most_layouts_give_it() -> None:
    # Answer 2 sits on the edge: two of three layouts put it with answers 3-5.
    b = np.array([0, 0, 1, 1, 1, 1, 2, 2, -1])
    c = np.array([7, 7, 4, 4, 4, 4, 9, 9, -1])
    agreed = consensus([A, b, c], [_plain(9)] * 3)
    assert agreed.labels[2] == agreed.labels[3]
    assert agreed.labels[0] != agreed.labels[2]
    # The themes kept are the medoid layout's (b and c agree with each other, A does not).
    assert agreed.chosen in (1, 2) and agreed.changed == 0
    assert 0 < agreed.agreement < 1


def test_the_medoid_is_the_partition_closest_to_the_others() -> None:
    odd = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2])
    index, mean = medoid([odd, A, A.copy()])
    assert index == 1 and -1 < mean < 1
    assert medoid([A]) == (0, 1.0)


def test_ties_keep_the_chosen_layouts_theme() -> None:
    b = np.array([0, 0, 1, 1, 1, 1, 2, 2, 2])  # answer 2 moved, answer 8 in a theme
    agreed = consensus([A, b], [_plain(9)] * 2)
    assert agreed.chosen == 0  # two layouts agree equally with each other: the first
    assert agreed.labels.tolist() == A.tolist()  # one vote each: the chosen layout wins


def test_a_theme_with_no_counterpart_does_not_vote() -> None:
    b = np.array([0, 0, 0, 1, 1, 1, 2, 2, 3])  # theme 3 matches nothing in A
    aligned = align(A, b)
    assert aligned[8] == NO_MATCH
    agreed = consensus([A, A.copy(), b], [_plain(9)] * 3)
    assert agreed.labels[8] == -1


def test_outliers_stay_outliers_when_most_layouts_say_so() -> None:
    b = A.copy()
    b[0] = -1
    c = A.copy()
    c[0] = -1
    agreed = consensus([A, b, c], [_plain(9)] * 3)
    assert agreed.labels[0] == -1


def test_reassigned_follows_the_layouts_that_agree() -> None:
    placed = _plain(9)
    placed[1] = True
    agreed = consensus([A, A.copy(), A.copy()], [placed, placed, _plain(9)])
    assert agreed.reassigned.tolist() == [False, True] + [False] * 7
    none_placed = consensus([A], [_plain(9)])
    assert not none_placed.reassigned.any()


def test_all_outliers_and_empty_input() -> None:
    lost = np.full(4, -1)
    agreed = consensus([lost, lost.copy()], [_plain(4)] * 2)
    assert agreed.labels.tolist() == [-1] * 4
    assert consensus([np.array([], dtype=int)], [_plain(0)]).labels.tolist() == []
    with pytest.raises(ValueError):
        consensus([], [])


def test_layouts_adapt_to_size_and_seeds_start_at_the_chosen_one() -> None:
    from themes.analysis.reduction import adaptive_layouts, layout_seeds

    assert adaptive_layouts(600) == adaptive_layouts(20_000) == 5
    assert (
        adaptive_layouts(20_001) == 1
    )  # large inputs: each layout is costly, the seed matters less
    assert layout_seeds(42, 3) == [42, 1042, 2042]
