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


def test_phrase_and_answer_labels_need_words_the_theme_shares() -> None:
    from themes.labels import label_candidates

    texts = ["Cannot find an NHS dentist anywhere"] * 19 + ["NHS dentist for the diabetes team"]
    options = label_candidates(("dentist", "nhs", "nhs dentist"), texts)
    assert "NHS dentist" in options
    assert not any("diabetes" in o.lower() for o in options)  # 1 answer of 20: its own words
    assert options[0] == make_label(("dentist", "nhs", "nhs dentist"), texts)  # always offered
