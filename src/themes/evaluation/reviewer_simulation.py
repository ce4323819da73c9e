"""A simulated reviewer: what a reviewer's corrections are worth, as a number.

Given human labels, an oracle reviewer corrects answers one at a time: an answer whose label is not
its theme's commonest label is moved to the largest theme whose commonest label is its own (in a
random, seeded order). After N corrections the project's suggestions
(``themes.review.suggestions``) are computed from those moves and all accepted, as a reviewer
accepting every suggestion would; agreement with the labels is scored before and after.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from themes.review.suggestions import suggest_moves

STEPS = (0, 10, 25, 50, 100, 200)


@dataclass(frozen=True)
class SimulatedStep:
    """Agreement after a number of corrections.

    Attributes:
        corrections: answers the oracle moved.
        nmi_corrected, ari_corrected: NMI/ARI on all answers with only those moves.
        suggested: answers the suggestions then moved (all accepted).
        suggestions_right: the share of those whose label is their new theme's commonest.
        nmi_taught, ari_taught: NMI/ARI on all answers after the suggestions too.
    """

    corrections: int
    nmi_corrected: float
    ari_corrected: float
    suggested: int
    suggestions_right: float
    nmi_taught: float
    ari_taught: float


def _agreement(gold: Sequence[str], assigned: Sequence[int]) -> tuple[float, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return (
        round(float(normalized_mutual_info_score(gold, assigned)), 4),
        round(float(adjusted_rand_score(gold, assigned)), 4),
    )


def simulate_reviewer(
    vectors: np.ndarray,
    gold: Sequence[str],
    assigned: Sequence[int],
    steps: Sequence[int] = STEPS,
    seed: int = 0,
) -> list[SimulatedStep]:
    """Agreement after each number of corrections in ``steps``; ``assigned`` holds each answer's
    theme (-1: unassigned), ``vectors`` their unit-length embeddings."""
    members: dict[int, list[str]] = {}
    for label, theme in zip(gold, assigned, strict=True):
        if theme >= 0:
            members.setdefault(theme, []).append(label)
    commonest = {t: Counter(labels).most_common(1)[0][0] for t, labels in members.items()}
    home: dict[str, int] = {}
    for theme in sorted(members, key=lambda t: -len(members[t])):
        home.setdefault(commonest[theme], theme)
    wrong = [
        i
        for i, (label, theme) in enumerate(zip(gold, assigned, strict=True))
        if label in home and (theme < 0 or commonest[theme] != label)
    ]
    random.Random(seed).shuffle(wrong)
    rows = list(range(len(gold)))
    names = {t: f"theme {t}" for t in members}
    found: list[SimulatedStep] = []
    for count in steps:
        corrected = list(assigned)
        taught = {i: home[gold[i]] for i in wrong[:count]}
        for i, theme in taught.items():
            corrected[i] = theme
        nmi_c, ari_c = _agreement(gold, corrected)
        assignment: dict[int, int | None] = {
            i: (t if t >= 0 else None) for i, t in enumerate(corrected)
        }
        taught_now = list(corrected)
        moved = right = 0
        for suggestion in suggest_moves(rows, vectors, assignment, taught, names):
            for row in suggestion.rows:
                taught_now[row] = suggestion.theme
                moved += 1
                right += gold[row] == commonest[suggestion.theme]
        nmi_t, ari_t = _agreement(gold, taught_now)
        found.append(
            SimulatedStep(
                count,
                nmi_c,
                ari_c,
                moved,
                round(right / moved, 3) if moved else 0.0,
                nmi_t,
                ari_t,
            )
        )
    return found


def simulation_text(steps: Sequence[SimulatedStep]) -> str:
    """The simulation as a table."""
    lines = [
        "simulated reviewer (corrections by the labels, then every suggestion accepted):",
        "corrections  NMI all  ARI all  suggested  right  NMI all after  ARI all after",
    ]
    for s in steps:
        lines.append(
            f"{s.corrections:>11}  {s.nmi_corrected:>7.3f}  {s.ari_corrected:>7.3f}  "
            f"{s.suggested:>9}  {s.suggestions_right:>5.0%}  {s.nmi_taught:>13.3f}  "
            f"{s.ari_taught:>13.3f}"
        )
    return "\n".join(lines)
