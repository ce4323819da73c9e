"""Keywords count one form per word and never carry placeholders or demographic words."""

from __future__ import annotations

from themes.analysis.discover import keyword_vectorizer
from themes.analysis.wordforms import WordForms


def test_plurals_fold_into_the_commoner_form() -> None:
    forms = WordForms(["appointment"] * 3 + ["appointments", "nurses", "nurses", "nurse"])
    assert forms.fold("appointments") == "appointment"
    assert forms.fold("nurse") == "nurses"
    assert forms("Two Appointments") == "two appointment"


def test_different_words_are_not_folded() -> None:
    forms = WordForms(["caring staff", "care received", "news", "new clinic", "bus", "bu"])
    assert forms.fold("caring") == "caring"
    assert forms.fold("news") == "news"


def test_placeholders_and_demographic_words_never_become_keywords() -> None:
    texts = [
        "XXXX the nurse was kind, female patient aged 70, the lady said",
        "[name] was kind to me, redacted",
        "the nurses were kind",
        "kind nurse",
    ]
    vocabulary = _vocabulary(texts)
    assert {"nurse", "kind"} <= vocabulary or {"nurses", "kind"} <= vocabulary
    assert not vocabulary & {"xxxx", "name", "redacted", "female", "aged", "nurse nurses", "lady"}
    assert not ({"nurse", "nurses"} <= vocabulary)


def test_service_numbers_are_keywords_other_numbers_are_not() -> None:
    """'NHS 111' and '999' name services; '3 weeks' and '14 months' are one answer's wait."""
    texts = ["NHS 111 sent me to A&E", "rang 111 at night", "called 999 after 3 weeks", "14 months"]
    vocabulary = _vocabulary(texts)
    assert {"111", "999", "nhs 111"} <= vocabulary
    assert not vocabulary & {"3", "14", "weeks 14"}


def test_a_repeated_word_is_not_a_keyword() -> None:
    from themes.analysis.wordforms import repeats_a_word

    assert repeats_a_word("good good") and repeats_a_word("thank thank")
    assert not repeats_a_word("good service") and not repeats_a_word("parking")


def test_links_and_email_addresses_never_become_keywords() -> None:
    """A web address is 'http', 'www' and a domain to a word counter, and an email address
    often holds a person's name."""
    texts = [
        "Parking info at https://www.example-trust.nhs.uk/parking was wrong",
        "parking charges, see www.parkingfines.co.uk",
        "Emailed jo.bloggs@example.nhs.net about parking and got no reply",
        "parking is too expensive",
    ]
    vocabulary = _vocabulary(texts)
    assert "parking" in vocabulary
    words = {w for term in vocabulary for w in term.split()}
    assert not words & {"http", "https", "www", "nhs", "uk", "co", "jo", "bloggs", "net"}


def _vocabulary(texts: list[str]) -> set[str]:
    """The keywords the analysis's vectorizer can give for ``texts``."""
    vectorizer = keyword_vectorizer(texts, ())
    vectorizer.fit(texts)
    return set(vectorizer.get_feature_names_out())
