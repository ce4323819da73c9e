"""Suggestions taught by reviewers' edits: the rule, what counts as taught, accepting and
dismissing as edits (store and CLI), and the simulated reviewer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from themes.analysis.embedding import make_embedder
from themes.analysis.pipeline import AnalysisResult, Outcome, RowResult
from themes.analysis.theme_model import Theme
from themes.evaluation.reviewer_simulation import simulate_reviewer
from themes.project_ops import project_suggestions
from themes.review.edits import Edit
from themes.review.store import ProjectStore
from themes.review.suggestions import suggest_moves

Q = "What could we do better?"


def unit(*rows: list[float]) -> np.ndarray:
    vectors = np.array(rows, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_answers_like_the_taught_ones_are_suggested_and_others_are_not() -> None:
    # rows 0-2: theme A (x axis); rows 3-5 taught into B (y axis); 6, 7 unassigned near y;
    # 8 unassigned far from everything; 9 in A but nearer B's taught answers than A's
    vectors = unit(
        [1, 0, 0], [1, 0.1, 0], [1, 0, 0.1],
        [0, 1, 0], [0.1, 1, 0], [0, 1, 0.1],
        [0.05, 1, 0.05], [0.2, 1, 0],
        [0, 0, 1],
        [0.3, 1, 0],
    )  # fmt: skip
    assignment: dict[int, int | None] = {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: None, 7: None}
    assignment |= {8: None, 9: 0}
    taught = {3: 1, 4: 1, 5: 1}
    labels = {0: "A", 1: "Parking"}
    found = suggest_moves(list(range(10)), vectors, assignment, taught, labels)
    assert len(found) == 1
    suggestion = found[0]
    assert suggestion.theme == 1 and set(suggestion.rows) == {6, 7, 9}
    assert suggestion.unassigned == 2 and suggestion.taught == 3
    assert suggestion.sentence() == (
        "3 answers (2 unassigned, 1 in other themes) look like the 3 you moved to 'Parking'."
    )
    assert suggestion.accept(Q) == Edit("move", Q, {"rows": list(suggestion.rows), "to": 1})
    # a dismissed answer is not offered again; two taught answers are not enough to learn from
    again = suggest_moves(list(range(10)), vectors, assignment, taught, labels, {1: {9}})
    assert set(again[0].rows) == {6, 7}
    assert suggest_moves(list(range(10)), vectors, assignment, {3: 1, 4: 1}, labels) == []


def make_result() -> AnalysisResult:
    themed = [
        ("GP appointments impossible to book", 0),
        ("cannot book a GP appointment", 0),
        ("GP appointment waits are weeks", 0),
        ("friendly nurses on the ward", 1),
        ("the nurses were kind and friendly", 1),
        ("ward nurses so friendly", 1),
    ]
    loose = [
        "hospital car parking costs too much",
        "car parking at the hospital costs a fortune",
        "hospital car parking charges cost too much",
        "car parking at hospital costs far too much",
        "hospital car parking costs are too much",
        "the weather was lovely",
    ]
    rows = [
        RowResult(i + 1, f"R{i + 1}", text, Outcome.THEMED, theme, 0.8, False)
        for i, (text, theme) in enumerate(themed)
    ]
    rows += [
        RowResult(
            len(themed) + i + 1, f"R{len(themed) + i + 1}", t, Outcome.OUTLIER, None, 0.1, False
        )
        for i, t in enumerate(loose)
    ]
    themes = (
        Theme(0, "GP appointments", ("gp",), 3, (1,)),
        Theme(1, "Nurses", ("nurses",), 3, (4,)),
    )
    return AnalysisResult(Q, themes, tuple(rows), {"model": "hashing"})


def test_a_project_learns_from_moves_and_suggestions_are_accepted_or_dismissed_as_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.sqlite"
    store = ProjectStore(db)
    info = store.create("Teach", [make_result()], framework="gloucestershire", user="amy")
    embedder = make_embedder("hashing")
    assert project_suggestions(store, info.id, Q, embedder=embedder) == []
    state = store.state(info.id)
    state = store.edit(
        info.id,
        Edit("move", Q, {"rows": [7, 8, 9], "new_label": "Parking"}),
        user="amy",
        version=state.version,
    )
    found = project_suggestions(store, info.id, Q, embedder=embedder)
    assert len(found) == 1 and set(found[0].rows) == {10, 11}  # not the weather, not the GP
    assert found[0].label == "Parking" and "look like the 3 you moved" in found[0].sentence()

    state = store.edit(info.id, found[0].accept(Q), user="bob", version=state.version)
    parking = state.questions[Q].assignment[7]
    assert {r for r, t in state.questions[Q].assignment.items() if t == parking} == {
        7,
        8,
        9,
        10,
        11,
    }
    assert project_suggestions(store, info.id, Q, embedder=embedder) == []
    state = store.undo(info.id, user="bob", version=state.version)
    assert state.questions[Q].assignment[10] is None  # accepted as one edit, undone as one

    again = project_suggestions(store, info.id, Q, embedder=embedder)
    state = store.edit(info.id, again[0].dismiss(Q), user="bob", version=state.version)
    assert state.log[-1].summary == "Dismissed the suggestion to move 2 answers to 'Parking'"
    assert state.questions[Q].assignment[10] is None  # nothing moved
    assert project_suggestions(store, info.id, Q, embedder=embedder) == []

    from themes.cli import main

    base = ["project", "--db", str(db), "--user", "amy"]
    store.undo(info.id, user="bob", version=state.version)  # offered again
    assert main([*base, "suggest", info.id]) == 0
    listed = capsys.readouterr().out
    assert "1. 2 answers (2 unassigned) look like the 3 you moved to 'Parking'." in listed
    assert "car parking" in listed and "--accept N" in listed
    assert main([*base, "suggest", info.id, "--accept", "2"]) == 1
    assert "There is no suggestion 2: there are 1 now" in capsys.readouterr().err
    assert main([*base, "suggest", info.id, "--accept", "1"]) == 0
    assert "Moved 2 responses to 'Parking'" in capsys.readouterr().out
    assert main([*base, "suggest", info.id]) == 0
    assert "No suggestions yet" in capsys.readouterr().out


def test_the_simulated_reviewer_scores_corrections_and_what_they_teach() -> None:
    rng = np.random.default_rng(0)
    centres = unit([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0])
    gold, vectors = [], []
    for label, centre in zip("abc", centres, strict=True):
        for _ in range(40):
            gold.append(label)
            vectors.append(centre + rng.normal(0, 0.15, 4))
    unit_vectors = np.array(vectors) / np.linalg.norm(vectors, axis=1, keepdims=True)
    assigned = [0] * 40 + [1] * 40 + [2] * 40
    for i in range(80, 100):  # the themes left 20 of 'c' unassigned
        assigned[i] = -1
    steps = simulate_reviewer(unit_vectors, gold, assigned, steps=(0, 5, 20))
    assert [s.corrections for s in steps] == [0, 5, 20]
    assert steps[0].suggested == 0 and steps[0].nmi_taught == steps[0].nmi_corrected
    assert steps[0].nmi_corrected < steps[1].nmi_corrected < steps[2].nmi_corrected
    assert steps[2].nmi_corrected == 1.0  # all 20 misplaced answers corrected
    assert steps[1].suggested > 0 and steps[1].suggestions_right == 1.0
    assert steps[1].nmi_taught > steps[1].nmi_corrected  # the 5 taught the other 15
