"""The words and two-word phrases counted for keywords (themes.analysis.terms)."""

from __future__ import annotations

from themes.analysis.discover import keyword_vectorizer


def _terms(text: str) -> list[str]:
    return keyword_vectorizer([text], []).build_analyzer()(text)


def test_two_words_make_a_phrase_only_where_an_answer_writes_them_together() -> None:
    terms = _terms("Happy to use it but I worry about people")
    assert "happy worry" not in terms  # 'use it but I' stand between them
    assert "worry people" in terms  # 'about' joins them
    assert {"happy", "worry", "people"} <= set(terms)


def test_small_joining_words_may_stand_inside_a_phrase_but_verbs_and_pronouns_may_not() -> None:
    assert "cost living" in _terms("The cost of living")
    assert "afford smartphone" in _terms("I can't afford a smartphone")
    assert "app prescriptions" in _terms("I use the app for my prescriptions")
    assert "doctor room" in _terms("a doctor in the room")
    assert "staff attitude" in _terms("The staff's attitude")
    assert "areas decent" not in _terms("rural areas have decent broadband")
    assert "means seen" not in _terms("fine if it means I get seen")


def test_numbers_and_clause_breaks_keep_words_apart() -> None:
    assert "called times" not in _terms("I called 50 times")
    assert "surgery stops" not in _terms("My surgery. Stops answering at 11")
    assert "nhs 111" in _terms("Rang NHS 111 at night")


def test_stop_words_are_counted_when_asked() -> None:
    analyse = keyword_vectorizer((), (), stop_words=False).build_analyzer()
    assert analyse("it is what it is") == [
        *("it", "it is", "is", "is what", "what", "what it"),
        *("it", "it is", "is"),
    ]
