"""Long answers clustered by their sentences (themes.analysis.stories)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from themes.analysis.embedding import HashingEmbedder
from themes.analysis.pipeline import analyse_responses
from themes.analysis.stories import fold, list_items, piece_vectors, pieces_of, story_parts
from themes.analysis.theme_model import OUTLIER, Theme, ThemeModel
from themes.core.config import AnalysisConfig
from themes.core.errors import ConfigError
from themes.ingest.responses import Response, Responses

STORY = (
    "I came in for a scan last week and parking was impossible, I drove round for forty "
    "minutes. The nurse on the ward was lovely and explained everything to me. Ok. The "
    "discharge letter never reached my GP and I had to chase it twice. Thanks."
)


def test_short_answers_stay_whole() -> None:
    assert story_parts("Parking was awful.") == ["Parking was awful."]
    two = "The parking was awful and cost me a fortune every single day. " * 2
    assert story_parts(two) == [two]  # 2 sentences: not a story, however long
    short = "Bad. Very bad. Awful. Rude. Slow. Late."
    assert story_parts(short) == [short]  # sentences, but under 40 words


def test_a_story_is_cut_into_sentences_and_short_ones_stay_with_a_neighbour() -> None:
    parts = story_parts("Hello. " + STORY)
    assert parts == [
        "Hello. I came in for a scan last week and parking was impossible, I drove round for "
        "forty minutes.",
        "The nurse on the ward was lovely and explained everything to me. Ok.",
        "The discharge letter never reached my GP and I had to chase it twice. Thanks.",
    ]
    assert " ".join(parts) == "Hello. " + STORY  # nothing lost or reordered


def test_a_list_is_cut_into_its_items_however_short() -> None:
    # as "top three things" questions are answered (the bundled sample's first question)
    assert story_parts("1) less fast food\n2) groups for older people\n3) sharing records") == [
        "less fast food",
        "groups for older people",
        "sharing records",
    ]
    assert list_items("1 healthy eating 2 camhs 3 rehab places. The waiting list is long") == [
        "healthy eating",
        "camhs",
        "rehab places. The waiting list is long",
    ]
    assert list_items("My top three: 1. Dentists 2. GPs 3. Buses") == ["Dentists", "GPs", "Buses"]
    assert list_items("- dentists\n- rural buses") == ["dentists", "rural buses"]
    assert list_items("1: Time, two hours late\n2: Very negative") == [
        "Time, two hours late",
        "Very negative",
    ]


def test_numbers_that_do_not_count_up_from_one_are_not_a_list() -> None:
    for text in (
        "Waited 1 hour and then 2 more hours",  # the 1 opens no answer, line or colon
        "Ward 1 and 2 were fine",
        "I had 2 visits. 1 was good",
        "1) only one thing",
        "1) dentists 2. buses",  # two styles
        "GP - terrible. Hospital - fine.",
        "Costs £1. 2 days later",
    ):
        assert list_items(text) == [], text
        assert story_parts(text) == [text]


def test_pieces_keep_their_owner_and_vectors_line_up() -> None:
    pieces = pieces_of(["Short one.", STORY, "Another short one."])
    assert pieces.story == (False, True, False) and pieces.stories == 1
    assert pieces.owner == (0, 1, 1, 1, 2)
    answers = np.eye(3, dtype=np.float32)
    story = np.full((3, 3), 7.0, dtype=np.float32)
    vectors = piece_vectors(pieces, answers, story)
    assert vectors.shape == (5, 3)
    assert vectors[0].tolist() == [1, 0, 0] and vectors[4].tolist() == [0, 0, 1]
    assert (vectors[1:4] == 7).all()
    assert pieces_of([STORY], split=False).owner == (0,)


def _model(assignments: list[int], similarity: list[float]) -> ThemeModel:
    themes = tuple(
        Theme(id=t, label=f"T{t}", keywords=(), size=0, representatives=(1, 2))
        for t in sorted(set(assignments) - {OUTLIER})
    )
    n = len(assignments)
    return ThemeModel(themes, tuple(assignments), tuple(similarity), (False,) * n, {})


def test_a_story_takes_the_theme_most_of_it_is_about_and_mentions_the_rest() -> None:
    extra = STORY + " The parking again was a disgrace, truly."
    pieces = pieces_of(["Short one.", extra, "Short two.", "Short three.", "Short four."])
    assert pieces.owner == (0, 1, 1, 1, 1, 2, 3, 4)
    model = _model([0, 0, 1, 2, 0, 1, 2, 2], [0.9, 0.5, 0.8, 0.7, 0.6, 0.9, 0.8, 0.7])
    folded, also = fold(model, pieces)
    assert [(t.id, t.label, t.size) for t in folded.themes] == [
        (0, "T0", 2),
        (1, "T2", 2),
        (2, "T1", 1),  # theme 1 is now the smallest: last, ids following
    ]
    assert folded.assignments == (0, 0, 2, 1, 1)
    assert also == ((), (2, 1), (), (), ())  # in story order
    assert folded.themes[0].representatives == (1, 0)  # from pieces 1 and 2; then the closest
    assert folded.details["stories"]["themes_per_story"] == 3.0


def test_ties_go_to_the_closer_theme_and_a_story_outside_every_theme_is_unassigned() -> None:
    pieces = pieces_of([STORY, STORY + " Yes.", "Short."])
    tie = _model([1, 2, OUTLIER, OUTLIER, OUTLIER, OUTLIER, 1], [0.5, 0.9, 0.3, 0.2, 0.4, 0.1, 1])
    folded, also = fold(tie, pieces)
    assert [t.label for t in folded.themes] == ["T1", "T2"]
    assert folded.assignments == (1, OUTLIER, 0)  # the story: T2, where it is closer
    assert also == ((0,), (), ())
    assert folded.similarity[1] == 0.4  # nearest theme, as for other unassigned answers


def test_the_setting_is_checked() -> None:
    assert AnalysisConfig.from_dict({"stories": False}).stories is False
    with pytest.raises(ConfigError, match="stories"):
        AnalysisConfig(stories="no")  # type: ignore[arg-type]


PARKING = "The car park was full and parking cost a fortune, I drove round for ages."
NURSE = "The nurse on the ward was kind and caring and explained everything to me."
LETTER = "My discharge letter never reached the surgery and I had to chase it for weeks."


def _beside_short_answers(last: str) -> Responses:
    """Eight short answers each about parking, a nurse and a letter, then ``last``."""
    short = [
        *(f"{PARKING} ({i})" for i in range(8)),
        *(f"{NURSE} ({i})" for i in range(8)),
        *(f"{LETTER} ({i})" for i in range(8)),
    ]
    texts = [*short, last]
    return Responses("q", tuple(Response(i + 1, f"R{i + 1}", t) for i, t in enumerate(texts)), "t")


def test_an_analysis_counts_a_story_in_each_theme_it_raises() -> None:
    responses = _beside_short_answers(f"{PARKING} {NURSE} {LETTER} {NURSE}")
    config = AnalysisConfig(model="hashing", min_theme_size=3)
    result = analyse_responses(responses, config, embedder=HashingEmbedder())
    row = result.rows[-1]
    nurse_theme = result.rows[8].theme_id
    assert row.theme_id == nurse_theme  # two of its four sentences are about the nurse
    assert set(row.also) == {result.rows[0].theme_id, result.rows[16].theme_id}
    assert result.provenance["discovery"]["stories"]["answers"] == 1
    whole = analyse_responses(responses, replace(config, stories=False), embedder=HashingEmbedder())
    assert "stories" not in whole.provenance["discovery"]
    single = replace(config, also_mentions=None)  # 'one theme per answer': stories too
    one_each = analyse_responses(responses, single, embedder=HashingEmbedder())
    assert one_each.rows[-1].theme_id == nurse_theme and not any(r.also for r in one_each.rows)


def test_an_analysis_counts_a_list_in_each_theme_its_items_raise() -> None:
    listed = "1) parking impossible, drove round\n2) nurse kind, explained\n3) discharge letter"
    assert len(listed.split()) < 40  # not a story: a list
    responses = _beside_short_answers(listed)
    config = AnalysisConfig(model="hashing", min_theme_size=3)
    result = analyse_responses(responses, config, embedder=HashingEmbedder())
    row = result.rows[-1]
    themes = {result.rows[0].theme_id, result.rows[8].theme_id, result.rows[16].theme_id}
    assert len(themes) == 3 and {row.theme_id, *row.also} == themes
    cut = result.provenance["discovery"]["stories"]
    assert (cut["answers"], cut["lists"]) == (1, 1)  # the report's method tells lists apart


def test_a_theme_that_is_only_ever_a_side_remark_is_dropped() -> None:
    folded, also = fold(_model([0, 0, 1], [0.5, 0.6, 0.7]), pieces_of([STORY]))
    assert [t.label for t in folded.themes] == ["T0"] and also == ((),)
    assert folded.details["stories"]["themes_dropped"] == 1


def test_a_theme_made_of_one_story_s_sentences_is_dropped() -> None:
    long_story = " ".join(f"The epidural took hours to work, part {i} of it." for i in range(6))
    pieces = pieces_of([long_story, STORY, "Short one.", "Short two."])
    assert pieces.owner == (0,) * 6 + (1, 1, 1, 2, 3)
    model = replace(
        _model([5] * 5 + [0, 0, 0, 1, 0, 0], [0.9] * 11),
        details={"min_theme_size": 4},  # theme 5: six pieces but one answer
    )
    folded, also = fold(model, pieces)
    assert [t.label for t in folded.themes] == ["T0"]  # T1: no main answer left
    assert folded.assignments == (0, 0, 0, 0)  # the long story's last piece is theme 0
    assert folded.details["stories"]["themes_dropped"] == 2
