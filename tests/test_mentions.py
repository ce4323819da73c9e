"""Answers that raise several themes: clause splitting, finding the other themes, and how they
are kept through review edits, the project store, exports and counts."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from themes.analysis.embedding import HashingEmbedder
from themes.analysis.keywords import KeywordIndex
from themes.analysis.mentions import clauses, find_mentions
from themes.analysis.pipeline import AnalysisResult, Outcome, RowResult
from themes.analysis.results import read_results, write_results
from themes.analysis.theme_model import OUTLIER, Theme
from themes.core.errors import ReviewError
from themes.review.edits import Edit, apply_edit
from themes.review.exports import write_reviewed
from themes.review.state import QuestionReview
from themes.review.store import ProjectStore
from themes.review.tables import ReviewedQuestion, response_rows, theme_detail

Q = "What could we do better?"
PARKING = [
    "Parking spaces at the hospital cost too much",
    "The car park never has free spaces",
    "Hospital parking charges are too expensive",
    "Could not find a parking space",
]
WAITING = [
    "Waited weeks for a doctor appointment",
    "The wait for an appointment with the doctor is too long",
    "Doctor appointments take weeks to get",
    "Long waiting times for appointments",
]
BOTH = (
    "Parking at the hospital is expensive and there are never spaces. "
    "But waiting weeks for a doctor appointment is worse."
)


def test_clauses_cut_at_sentences_and_joins_but_keep_short_bits_together() -> None:
    assert clauses(BOTH) == [
        "Parking at the hospital is expensive",
        "there are never spaces.",
        "waiting weeks for a doctor appointment is worse.",
    ]
    assert clauses("Friendly staff, clean wards") == ["Friendly staff clean wards"]
    assert clauses("Good") == ["Good"]
    assert clauses("") == []


def test_a_clause_that_fits_another_theme_adds_it() -> None:
    texts = [*PARKING, *WAITING, BOTH, "Parking is expensive. The spaces are too few."]
    main = [0] * 4 + [1] * 4 + [0, 0]
    embedder = HashingEmbedder()
    vectors = embedder.embed(texts)
    found = find_mentions(texts, main, vectors, embedder, fit=0.9)
    assert found.also[8] == (1,)  # the long answer also raises waiting
    assert found.also[9] == ()  # two clauses, both about parking
    assert all(a == () for a in found.also[:8])  # one-clause answers: nothing to add
    assert found.details["answers"] == 1 and found.details["links"] == 1
    stricter = find_mentions(texts, main, vectors, embedder, fit=2.0)
    assert stricter.also[8] == ()  # the fit is a real threshold


def test_unassigned_answers_and_single_themes_get_no_mentions() -> None:
    texts = [*PARKING, BOTH]
    embedder = HashingEmbedder()
    vectors = embedder.embed(texts)
    found = find_mentions(texts, [0, 0, 0, 0, OUTLIER], vectors, embedder, fit=0.5)
    assert found.also == ((),) * 5


def make_result() -> AnalysisResult:
    rows = [
        RowResult(n, f"R{n}", text, Outcome.THEMED, 0 if n <= 4 else 1, 0.8, False)
        for n, text in enumerate([*PARKING, *WAITING], start=1)
    ]
    rows.append(RowResult(9, "R9", BOTH, Outcome.THEMED, 0, 0.7, False, (1,)))
    rows.append(RowResult(10, "R10", "Lovely weather", Outcome.OUTLIER, None, 0.1, False))
    themes = (
        Theme(0, "Parking", ("parking",), 5, (1,)),
        Theme(1, "Waiting", ("appointment",), 4, (5,)),
        Theme(2, "Other", ("other",), 0, ()),
    )
    return AnalysisResult(Q, themes, tuple(rows), {"model": "test"})


@pytest.fixture
def base() -> QuestionReview:
    return QuestionReview.from_result(make_result())


def edit(state: QuestionReview, op: str, **args: object) -> tuple[QuestionReview, str]:
    index = KeywordIndex({r: a.text for r, a in state.answers.items()})
    return apply_edit(state, Edit(op, Q, dict(args)), index)


def run(state: QuestionReview, op: str, **args: object) -> QuestionReview:
    return edit(state, op, **args)[0]


def test_people_count_in_every_theme_they_raise(base: QuestionReview) -> None:
    assert base.also == {9: (1,)}
    assert base.sizes() == {0: 5, 1: 4, 2: 0}  # answers by main theme: each once
    assert base.mentioned(1) == [9]
    assert len(base.respondents(1)) == 5 and base.reach() == {0: 5, 1: 5, 2: 0}


def test_mentions_follow_merges_moves_and_deletes(base: QuestionReview) -> None:
    merged = run(base, "merge", themes=[1], into=0)
    assert merged.also == {}  # waiting is now the answer's main theme
    moved = run(base, "move", rows=[9], to=1)
    assert moved.also == {}  # its mention became its main theme
    into_other = run(base, "merge", themes=[1], into=2)
    assert into_other.also == {9: (2,)}
    deleted = run(base, "delete", theme=1)
    assert deleted.also == {}
    unassigned = run(base, "unassign", rows=[9])
    assert unassigned.also == {} and unassigned.assignment[9] is None
    split = run(base, "split", theme=0, groups=[{"rows": [9], "label": "Costs"}])
    assert split.also == {9: (1,)}  # a split moves the answer, its mention stays


def test_reviewers_add_and_remove_mentions(base: QuestionReview) -> None:
    state, summary = edit(base, "mention", rows=[1, 2], theme=2)
    assert state.also == {1: (2,), 2: (2,), 9: (1,)} and "now also mention 'Other'" in summary
    state = run(state, "mention", rows=[9, 1], theme=1, flag=False)
    assert state.also == {1: (2,), 2: (2,)}
    state = run(state, "mention", rows=[1], theme=2, flag=False)
    assert state.also == {2: (2,)}
    with pytest.raises(ReviewError, match="already the main theme"):
        run(base, "mention", rows=[1], theme=0)
    with pytest.raises(ReviewError, match="have no theme"):
        run(base, "mention", rows=[10], theme=0)
    with pytest.raises(ReviewError, match="no theme 7"):
        run(base, "mention", rows=[1], theme=7)


def test_views_and_exports_show_mentions(base: QuestionReview, tmp_path: Path) -> None:
    result = make_result()
    question = ReviewedQuestion(base, result, None)
    shown, total = response_rows(base, 1)
    assert total == 5 and shown[-1][1] == 9 and shown[-1][5] == "main: Parking"
    own, _ = response_rows(base, 0)
    assert [r[5] for r in own if r[1] == 9] == ["Waiting"]
    assert "4 responses with it as their main theme, and 1 more" in theme_detail(question, 1, None)
    paths = write_reviewed([question], None, [], tmp_path)
    with paths[0].open(encoding="utf-8-sig") as f:
        waiting = [r for r in csv.DictReader(f) if r["label"] == "Waiting"][0]
    assert (waiting["respondents"], waiting["responses"]) == ("5", "4")
    assert waiting["responses_also_mentioning"] == "1"
    with paths[1].open(encoding="utf-8-sig") as f:
        row9 = [r for r in csv.DictReader(f) if r["row"] == "9"][0]
    assert row9["theme_label"] == "Parking" and row9["also_themes"] == "Waiting"


def test_results_files_and_the_project_store_keep_mentions(tmp_path: Path) -> None:
    result = make_result()
    write_results(result, tmp_path / "out")
    assert read_results(tmp_path / "out").rows[8].also == (1,)
    with (tmp_path / "out" / "responses.csv").open(encoding="utf-8-sig") as f:
        row9 = [r for r in csv.DictReader(f) if r["row"] == "9"][0]
    assert (row9["also_theme_ids"], row9["also_themes"]) == ("1", "Waiting")
    payload = json.loads((tmp_path / "out" / "result.json").read_text(encoding="utf-8"))
    del payload["rows"][8]["also"]  # a result written before mentions existed still reads
    (tmp_path / "out" / "result.json").write_text(json.dumps(payload), encoding="utf-8")
    assert read_results(tmp_path / "out").rows[8].also == ()

    store = ProjectStore(tmp_path / "projects.sqlite")
    info = store.create("Mentions", [result], framework="none", user="t")
    store = ProjectStore(tmp_path / "projects.sqlite")  # read back from disk
    assert store.results(info.id)[0].rows[8].also == (1,)
    state = store.edit(
        info.id, Edit("mention", Q, {"rows": [9], "theme": 1, "flag": False}), user="t", version=0
    )
    assert state.questions[Q].also == {}


def test_an_analysis_can_turn_mentions_off(tmp_path: Path) -> None:
    from themes.analysis.pipeline import analyse_responses
    from themes.core.config import AnalysisConfig
    from themes.ingest.responses import Response, Responses

    texts = [*PARKING * 3, *WAITING * 3, BOTH]
    responses = Responses(
        Q, tuple(Response(i + 1, f"R{i + 1}", f"{t} ({i})") for i, t in enumerate(texts)), "t"
    )
    config = AnalysisConfig(model="hashing", min_theme_size=3)
    on = analyse_responses(responses, config, embedder=HashingEmbedder())
    off = analyse_responses(
        responses, replace(config, also_mentions=None), embedder=HashingEmbedder()
    )
    assert "clauses" in on.provenance["mentions"] and off.provenance["mentions"] == {"off": True}
    assert all(r.also == () for r in off.rows)
    assert [r.theme_id for r in on.rows] == [r.theme_id for r in off.rows]
    assert np.all([t not in r.also for r in on.rows for t in [r.theme_id]])


def test_label_f1_credits_mentions_that_name_a_human_label() -> None:
    from themes.evaluation.theme_quality import label_sets_f1

    gold = [{"parking"}, {"parking"}, {"waiting"}, {"waiting"}, {"parking", "waiting"}]
    main = [0, 0, 1, 1, 0]
    main_only, with_mentions = label_sets_f1(gold, main, [(), (), (), (), (1,)])
    assert main_only == (1.0, round(5 / 6, 4), round(10 / 11, 4))
    assert with_mentions == (1.0, 1.0, 1.0)
    _, wrong = label_sets_f1(gold, main, [(1,), (), (), (), ()])
    assert wrong[0] < 1.0  # a mention of a label the answer lacks costs precision


def test_a_later_batch_finds_mentions_as_the_analysis_did(tmp_path: Path) -> None:
    from themes.project_ops import add_batch

    result = make_result()
    result = replace(result, provenance={"model": "test", "config": {"also_mentions": 0.9}})
    store = ProjectStore(tmp_path / "projects.sqlite")
    info = store.create("Batches", [result], framework="none", user="t")
    batch = tmp_path / "batch.csv"
    batch.write_text(f'Respondent ID,{Q}\nB1,"{BOTH}"\nB2,Hospital parking is too expensive\n')
    state = add_batch(store, info.id, batch, embedder=HashingEmbedder(), user="t", threshold=0.3)
    review = state.questions[Q]
    rows = {a.respondent_id: a.row for a in review.added}
    assert review.assignment[rows["B1"]] == 0 and review.also[rows["B1"]] == (1,)
    assert rows["B2"] not in review.also
    assert len(review.respondents(1)) == 6  # the new person counts in waiting too


def test_the_setting_is_checked_and_false_turns_it_off() -> None:
    from themes.core.config import AnalysisConfig
    from themes.core.errors import ConfigError

    assert AnalysisConfig().also_mentions == 0.9
    assert AnalysisConfig.from_dict({"also_mentions": False}).also_mentions is None
    assert AnalysisConfig.from_dict({"also_mentions": 1.1}).also_mentions == 1.1
    with pytest.raises(ConfigError, match="also_mentions"):
        AnalysisConfig.from_dict({"also_mentions": 5})


def test_the_report_method_says_only_what_was_done(base: QuestionReview) -> None:
    from themes.publish.method import mentions_method

    split = replace(make_result(), provenance={"config": {"also_mentions": 0.9}})
    off = replace(make_result(), provenance={"config": {"also_mentions": None}})
    (line,) = mentions_method([ReviewedQuestion(base, split, None)])
    assert "split into clauses" in line and "1 of 10 answers" in line
    (line,) = mentions_method([ReviewedQuestion(base, off, None)])
    assert line.startswith("Reviewers marked 1 of 10 answers")
    none = replace(base, also={})
    assert mentions_method([ReviewedQuestion(none, off, None)]) == ()
