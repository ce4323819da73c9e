"""Theme labels a person would write: a short central answer when one fits, else keywords."""

from __future__ import annotations

from themes.labels import make_label, phrase_label, theme_label

KEYWORDS = ("loneliness", "tackle loneliness", "older", "activities older", "isolation")


def test_a_short_central_answer_becomes_the_label() -> None:
    texts = [
        "I am so lonely since my husband died and nobody visits",  # first person: not a label
        "Loneliness is a killer. Activities for older people please",  # two clauses
        "1) tackle loneliness\n2) more buses",  # a list
        "1 tackle loneliness 2 buses",  # a list typed on one line
        "tackle loneliness among older people.",
        "Loneliness",  # one word
    ]
    assert phrase_label(KEYWORDS, texts) == "Tackle loneliness among older people"


def test_keywords_when_no_answer_fits() -> None:
    texts = ["I think we need far more to be done about isolation of the elderly in villages"]
    assert phrase_label(KEYWORDS, texts) is None
    assert theme_label(KEYWORDS, texts) == make_label(KEYWORDS, texts)
    assert theme_label((), []) == "Unlabelled theme"
