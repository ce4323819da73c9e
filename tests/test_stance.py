"""A theme's label never says the opposite of most of its answers (asking for change / praise)."""

from __future__ import annotations

import pytest

from themes.analysis.labels import label_candidates
from themes.analysis.stance import NEITHER, PRAISE, WISH, agreeing, stance


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Arrived quicker", WISH),
        ("Could have arrived sooner", WISH),
        ("Waiting time was too long", WISH),
        ("More transport", WISH),
        ("Staff could be more polite", WISH),
        ("Not very helpful", WISH),
        ("A cooked breakfast would be nice", WISH),
        ("Wait was far to long", WISH),
        ("Nothing could have been done better", PRAISE),
        ("Couldn’t wish for better care", PRAISE),
        ("No improvements needed", PRAISE),
        ("The receptionist wasn't friendly", WISH),
        ("They arrived very quickly", PRAISE),
        ("Arrived on time", PRAISE),
        ("Could not have been better", PRAISE),
        ("Couldn't be better", PRAISE),
        ("No complaints", PRAISE),
        ("Kind staff, not rushed", PRAISE),
        ("Far better than going to A&E", PRAISE),
        ("Video calls were easier than going into a busy surgery", PRAISE),
        ("It should be quicker than this", WISH),
        ("Better than I expected but the wait was too long", NEITHER),
        ("Frustrating.", WISH),
        ("Communication is poor", WISH),
        ("Not terrible", NEITHER),
        ("Great staff, awful food", NEITHER),
        ("Patient transport", NEITHER),
        ("Response time", NEITHER),
        ("Good staff but the wait was too long", NEITHER),
    ],
)
def test_stance_of_short_texts(text: str, side: int) -> None:
    assert stance(text) == side


WISHES = ["Arrived quicker", "Arrive sooner", "Could have arrived sooner", "Arrived earlier"] * 5
PRAISES = ["Arrived very quickly", "Arrived on time", "They came quickly and were kind"] * 5


def test_a_label_that_praises_is_refused_over_answers_that_mostly_ask_for_change() -> None:
    texts = WISHES + PRAISES[:3] + ["Took an hour"] * 4
    assert agreeing(["They arrived very quickly", "Arrived quicker"], texts) == ["Arrived quicker"]


def test_a_label_that_asks_for_change_is_refused_over_answers_that_praise() -> None:
    texts = ["Patient transport was excellent", "The transport staff were very kind"] * 10
    texts += ["More transport"] * 2
    assert agreeing(["More transport", "Patient transport"], texts) == ["Patient transport"]


def test_a_mixed_theme_takes_a_label_that_takes_no_side() -> None:
    texts = WISHES[:12] + PRAISES[:12]
    options = ["Arrived quickly", "Arrival time", "Arrived quicker"]
    assert agreeing(options, texts) == ["Arrival time"]


def test_labels_are_kept_when_nothing_would_be_left_or_no_side_is_taken() -> None:
    assert agreeing(["They arrived very quickly"], WISHES) == ["They arrived very quickly"]
    assert agreeing(["Arrived quickly", "Arrived on time"], WISHES) == [
        "Arrived quickly",
        "Arrived on time",
    ]
    neutral = ["The ambulance took me to hospital"] * 10
    assert agreeing(["Arrived quickly", "Arrived quicker"], neutral) == [
        "Arrived quickly",
        "Arrived quicker",
    ]


def test_long_answers_do_not_decide_a_theme_stance() -> None:
    """A long answer often praises and asks at once: only short ones are read."""
    long_praise = "The crew were lovely and kind and helpful and got me to the hospital " * 2
    texts = [long_praise] * 30 + WISHES
    assert agreeing(["Arrived quickly", "Arrived quicker"], texts) == ["Arrived quicker"]


def test_theme_candidates_agree_with_the_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The central answers praise, most of the theme asks: the praise is offered, then refused."""
    texts = ["They arrived very quickly"] * 6 + WISHES
    keywords = ["arrived", "quicker", "sooner", "quickly"]
    candidates = label_candidates(keywords, texts)
    assert candidates and all(stance(c) != PRAISE for c in candidates)
    monkeypatch.setattr("themes.analysis.labels.agreeing", lambda options, _texts: options)
    assert "They arrived very quickly" in label_candidates(keywords, texts)
