"""Two-word label phrases that name something, not clauses cut out of sentences."""

from __future__ import annotations

import pytest

from themes.analysis.phrases import reads_as_a_name
from themes.privacy.names import model_available

needs_tagger = pytest.mark.skipif(
    not model_available(), reason="spaCy's English pipeline is not installed"
)

ANSWERS = [
    "My surgery stops answering the phone at 11am.",
    "The phone queue system at our surgery is awful.",
    "Tackle loneliness among older people.",
    "It took weeks to hear anything back.",
    "Ambulances queuing outside Gloucestershire Royal again.",
    "Delayed discharge because there was no care package.",
    "Receptionists ask for details of your problem.",
    "NHS 111 was useful, they rang back.",
    "Getting a GP appointment is nearly impossible.",
]


@needs_tagger
@pytest.mark.parametrize(
    "phrase",
    ["Phone queue", "Tackle loneliness", "Delayed discharge", "Care package", "NHS 111"],
)
def test_a_noun_phrase_or_a_request_reads_as_a_name(phrase: str) -> None:
    assert reads_as_a_name(phrase, ANSWERS)


@needs_tagger
@pytest.mark.parametrize(
    "phrase",
    [
        "Surgery stops",
        "Took weeks",
        "Outside Gloucestershire",
        "Receptionists ask",
        "Nearly impossible",
    ],
)
def test_a_clause_cut_out_of_a_sentence_does_not(phrase: str) -> None:
    assert not reads_as_a_name(phrase, ANSWERS)


@needs_tagger
def test_words_no_answer_writes_side_by_side_are_no_phrase() -> None:
    # 'called 50+ times' counted as 'called times' once the number was left out
    assert not reads_as_a_name("Called times", ["I have called 50+ times in one morning."])


def test_a_phrase_of_other_lengths_is_taken_as_it_is() -> None:
    assert reads_as_a_name("Parking", ["Parking is bad"])
    assert reads_as_a_name("Cost of living", ["The cost of living"])


@needs_tagger
def test_collocation_labels_leave_out_clauses() -> None:
    from themes.analysis.labels import collocation_labels

    texts = [
        "My surgery stops answering the phone at 11am.",
        "The surgery stops taking calls at noon.",
        "Our surgery stops answering by ten.",
        "The phone queue is awful.",
        "The phone queue is over an hour.",
        "Stuck in the phone queue again.",
    ]
    labels = collocation_labels(("surgery", "phone", "queue", "stops"), texts)
    assert "Phone queue" in labels and "Surgery stops" not in labels


@needs_tagger
def test_a_verb_that_ends_its_clause_can_close_a_name() -> None:
    answers = ["The app crashes constantly.", "The app logs you out every time."]
    assert reads_as_a_name("App crashes", answers)
    assert not reads_as_a_name("App logs", answers)


@needs_tagger
def test_a_place_or_a_past_participle_can_follow_a_noun() -> None:
    answers = ["I order prescriptions online now.", "The care received was excellent."]
    assert reads_as_a_name("Prescriptions online", answers)
    assert reads_as_a_name("Care received", answers)
    assert not reads_as_a_name("Days later", ["I was called back three days later."])


@needs_tagger
def test_a_phrase_may_hold_a_content_word_the_stop_list_hides() -> None:
    from themes.analysis.labels import collocation_labels

    texts = [
        "The call handler was very kind.",
        "Call handler was calm and quick.",
        "The call handler put me at ease.",
        "A lovely call handler.",
        "The operator on the phone was great.",
        "Back pain has not been treated.",
        "Still waiting about my back pain.",
        "My back pain is worse.",
    ]
    labels = collocation_labels(("handler", "operator", "pain"), texts)
    # 'call' and 'back' are in scikit-learn's English stop list
    assert "Call handler" in labels and "Back pain" in labels


@needs_tagger
def test_a_phrase_may_hold_a_service_number_but_not_a_count() -> None:
    from themes.analysis.labels import collocation_labels

    texts = [
        "NHS 111 was useful",
        "Rang NHS 111 and got help",
        "NHS 111 sent an ambulance",
        "111 told me to go to A&E",
        "Waited 4 hours for a call back",
        "Waited 4 hours again",
        "I waited 4 hours",
    ]
    labels = collocation_labels(("111", "nhs", "hours", "waited"), texts, top=8)
    assert "NHS 111" in labels and not any("4" in label for label in labels)


@needs_tagger
def test_words_either_side_of_a_full_stop_are_not_side_by_side() -> None:
    # phrases are counted clause by clause; 'surgery. Stops ...' is no 'Surgery stops'
    assert not reads_as_a_name("Surgery stops", ["I rang the surgery. Stops and starts all day."])
    assert reads_as_a_name("A&E chaos", ["A&E - chaos."])
