"""People's names never shape or label a theme: masking before embedding and keywords."""

from __future__ import annotations

import pytest

from themes.privacy.names import MASK, contains_name, mask_names, model_available


def test_titled_names_are_masked_without_the_model() -> None:
    masked = mask_names(["Dr Patel at the surgery was rude", "The GP was kind"])
    assert masked == [f"Dr {MASK} at the surgery was rude", "The GP was kind"]


def test_a_name_list_is_honoured_when_checking_labels() -> None:
    assert contains_name("Rude receptionist Jones", names=["Jones"])
    assert not contains_name("Long waits in A&E", names=["Jones"])


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="the named-entity model is not installed")
def test_names_written_alone_are_masked_with_the_model() -> None:
    masked = mask_names(
        [
            "The nurse was lovely and so was Tracey from the therapy team",
            "Parking at Gloucester Royal is awful",
            "Staff Were Kind And Helpful",
        ]
    )
    assert "Tracey" not in masked[0] and MASK in masked[0]
    assert masked[1:] == ["Parking at Gloucester Royal is awful", "Staff Were Kind And Helpful"]
    assert contains_name("Tracey, therapy team")
    assert not contains_name("Driver was pleasant")


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="the named-entity model is not installed")
def test_places_the_small_model_takes_for_people_stay() -> None:
    from themes.privacy.names import corpus_names

    places = [
        "The minor injury unit at Stroud was excellent, seen within half an hour.",
        "More services in Stroud and Tewkesbury so people don't travel",
        "It's saved me hours of driving to Gloucester for a follow up.",
        "Minor injuries at Cirencester was quick but they sent me to Gloucester for an x-ray",
        "More dentists in the Forest of Dean.",
    ]
    masked = mask_names(places)
    for word in ("Stroud", "Gloucester", "Cirencester", "Dean"):
        assert all(word in m for p, m in zip(places, masked, strict=True) if word in p), word
    # the model read one 'Stroud' as a person at most: too few of its uses to mask it everywhere
    assert not corpus_names(places) & {"stroud", "gloucester"}
    people = ["Tracey was lovely", "Thanks to Tracey for everything", "tracey again, so kind"]
    assert "tracey" in corpus_names(people) and all(MASK in m for m in mask_names(people))


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="the named-entity model is not installed")
def test_a_place_listed_with_a_place_is_not_a_person() -> None:
    """The small model takes 'Cheltenham' in 'Gloucester and Cheltenham' for a person (the
    sample's 'Named staff' theme of housing answers came from that): beside a place, it is one."""
    places = [
        "Support for people sleeping rough in Gloucester and Cheltenham.",
        "More services in Stroud and Tewkesbury so people don't travel",
    ]
    assert mask_names(places) == places
    people = ["Natasha, Paul and Angela have been great.", "Paul and Tracey in Gloucester"]
    masked = mask_names(people)
    assert "Paul" not in masked[0] and "Angela" not in masked[0]
    assert "Tracey" not in masked[1] and "Gloucester" in masked[1]


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="the named-entity model is not installed")
def test_a_name_found_in_a_sample_is_masked_in_every_answer() -> None:
    """When the model reads only a sample (above 50,000 answers, and the quick look), a name's
    share of uses it was tagged in is counted among the answers it read: else unread answers
    that use the name would outvote the reading and the name would reach keywords."""
    from themes.privacy.names import corpus_names

    texts = ["I spoke to Vicky who explained everything", "Vicky was so kind to my mum"] + [
        f"Vicky rang me back on day {n}" for n in range(6)
    ]
    read = [True, True] + [False] * 6  # the model reads the first two only
    assert "vicky" in corpus_names(texts, read=read)
    masked = mask_names(texts, read)
    assert not any("Vicky" in m for m in masked), masked


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="the named-entity model is not installed")
def test_names_are_read_once_and_remembered_for_redaction(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from themes.privacy import names
    from themes.privacy.redact import redact

    texts = ["The nurse was lovely and so was Tracey from the therapy team", "Ward 7 were kind"]
    names.prefetch(texts)

    class NoModel:
        def pipe(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError("the model was asked again")

    monkeypatch.setattr(names, "_pipeline", lambda: NoModel())
    assert redact(texts[0]).text == "The nurse was lovely and so was [name] from the therapy team"
    assert redact(texts[1]).text == texts[1]


def test_names_found_once_are_kept_for_the_next_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A re-run in a new process does not read the answers with the name model again: what it
    found is kept in the embedding cache (offsets only, no text)."""
    import sqlite3

    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.pipeline import _masked
    from themes.privacy import names

    if not names.model_available():
        pytest.skip("the named-entity model is not installed")
    texts = ["Tracey on the ward was lovely", "Parking costs too much", "Thanks to Dr Okafor"]
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    first = _masked(texts, cache)
    names._SPANS.clear()  # a new process
    calls: list[int] = []
    real = names._pipeline

    def counting():  # type: ignore[no-untyped-def]
        calls.append(1)
        return real()

    names._pipeline = counting  # type: ignore[assignment]
    try:
        again = _masked(texts, cache)
    finally:
        names._pipeline = real  # type: ignore[assignment]
    assert again == first and "[name]" in first[0]
    assert calls == []  # the model was not even loaded
    with sqlite3.connect(tmp_path / "cache.sqlite") as db:
        stored = " ".join(r[0] for r in db.execute("SELECT spans FROM name_spans"))
    assert "Tracey" not in stored and "[" in stored


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="the named-entity model is not installed")
def test_a_person_someone_was_referred_to_stays_masked() -> None:
    masked = mask_names(["I was referred to Amy in the physio team and she was lovely"])
    assert "Amy" not in masked[0]


def _spans_of(texts: list[str], word: str, tagged: set[int]) -> list[list[tuple[int, int]]]:
    """The model's spans as if it had tagged ``word`` in the answers numbered in ``tagged``."""
    return [
        [(t.index(word), t.index(word) + len(word))] if i in tagged and word in t else []
        for i, t in enumerate(texts)
    ]


def test_a_name_the_model_misses_where_it_opens_answers_is_still_a_name() -> None:
    """'Natasha listens to me...': the small model tagged her in 6 answers of 13, under half, so
    she reached a label ('Natasha, spoke'). A word tagged in at least 3 answers and 30% of its
    uses, and never written where a place or a relative stands, is a name."""
    from themes.privacy.names import corpus_names

    texts = [
        "Natasha listens to me and my wife",
        "Natasha was very sympathetic",
        "Natasha is wonderful and understanding",
        "I saw Natasha and she was patient",
        "Natasha Such a good listener",
        "Your service and Natasha make me feel less alone",
        "Natasha and Dr Smith are amazing",
    ]
    assert "natasha" in corpus_names(texts, _spans_of(texts, "Natasha", {3, 5, 6}))
    assert "natasha" not in corpus_names(texts, _spans_of(texts, "Natasha", {3, 5}))  # 2 only


def test_a_place_tagged_as_often_is_not_a_name() -> None:
    from themes.privacy.names import corpus_names

    texts = [
        "I was sent to Nottingham for the scan",
        "Nottingham staff were kind",
        "Nottingham City Hospital was clean",
        "The clinic Nottingham runs is good",
        "Seen at Nottingham within the hour",
        "Nottingham was busy",
        "Nottingham again, very good",
    ]
    spans = _spans_of(texts, "Nottingham", {1, 3, 5})
    assert "nottingham" not in corpus_names(texts, spans)  # written 'to', 'at' Nottingham
    assert "nottingham" in corpus_names(texts, spans, share=0.25)  # the reader check's share


def test_a_masked_name_reads_as_someone_to_the_sentence_model() -> None:
    from themes import HashingEmbedder
    from themes.analysis.pipeline import analyse_responses
    from themes.core.config import AnalysisConfig
    from themes.ingest.responses import Response, Responses
    from themes.privacy.names import with_stand_ins

    assert with_stand_ins(["[name] was lovely", "XXXX kept us informed", "Taxi xx"]) == [
        "someone was lovely",
        "someone kept us informed",
        "Taxi xx",  # a kiss, not a redaction
    ]

    class Seeing(HashingEmbedder):
        seen: list[str] = []

        def embed(self, texts, progress=lambda m, f: None):  # type: ignore[no-untyped-def, override]
            self.seen.extend(texts)
            return super().embed(texts, progress)

    answers = ["Dr Patel was lovely", "XXXX kept us informed", "Parking is awful"] * 8
    responses = Responses(
        "Q", tuple(Response(i + 1, str(i + 1), t) for i, t in enumerate(answers)), "t.csv"
    )
    embedder = Seeing()
    result = analyse_responses(responses, AnalysisConfig(seed=1), embedder=embedder)
    assert "Dr someone was lovely" in embedder.seen  # the title stays: a doctor was lovely
    assert "someone kept us informed" in embedder.seen
    assert not any("[name]" in t or "XXXX" in t or "Patel" in t for t in embedder.seen)
    assert not any("someone" in w for t in result.themes for w in t.keywords)


def test_words_the_answers_mostly_write_in_lower_case_are_common_here() -> None:
    from themes.privacy.names import lower_case_here

    answers = [
        "Felt well looked after",
        "I felt safe, felt listened to and felt cared for",
        "Superb treatment",
        "I hope the ward stays open; hope so, hope so",
        "Hope was lovely",
        "Tracey was lovely, tracey and Tracey again",
        "Mark my words, mark the date, mark it",
    ]
    here = lower_case_here(answers)
    assert "felt" in here  # three times in lower case, once capitalised
    assert "superb" not in here  # never written in lower case
    assert "tracey" not in here  # capitalised as often as not
    assert "hope" not in here and "mark" not in here  # first names that are also words


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="the named-entity model is not installed")
def test_a_word_that_opens_answers_is_not_read_as_a_name(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The small model takes 'Felt' opening an answer for a person; where the answers mostly
    write 'felt' in lower case, such answers are not given to the model at all."""
    from themes.privacy import names

    answers = [
        "Felt well looked after",
        "I felt safe and felt listened to, felt cared for",
        "We felt rushed",
        "Mark was great with my dad",
        "Tracey was lovely and kind.",
    ]
    read: list[str] = []
    model = names._pipeline()

    class Watched:
        def pipe(self, texts, **kwargs):  # type: ignore[no-untyped-def]
            texts = list(texts)
            read.extend(texts)
            return model.pipe(texts, **kwargs)

    monkeypatch.setattr(names, "_pipeline", lambda: Watched())
    monkeypatch.setattr(names, "_SPANS", names.OrderedDict())
    masked = mask_names(answers)
    assert masked[0] == "Felt well looked after"
    assert answers[0] not in read and answers[1] not in read
    assert masked[3] == f"{MASK} was great with my dad"  # a first name that is also a word
    assert masked[4] == f"{MASK} was lovely and kind."
    assert names.person_spans([answers[0]])[0] == [(0, 4)]  # read alone, as redaction does


def test_a_name_that_only_ever_opens_an_answer_is_masked_everywhere() -> None:
    """'Tracey listened to me': the model reads a name opening an answer now and then; one it
    took for a name in three answers is masked in the others too. One reading is not enough
    ('Shorten waiting times')."""
    from themes.privacy.names import corpus_names

    texts = [
        "Tracey listened to me",
        "Tracey was lovely",
        "Tracey sorted my tablets",
        "Tracey on ward 5 was amazing",
        "Tracey in A&E was so kind",
        "Shorten waiting times",
        "Shorten the queue at reception",
    ]
    tagged = [[(0, 6)], [(0, 6)], [(0, 6)], [], [], [(0, 7)], []]
    assert corpus_names(texts, tagged) == frozenset({"tracey"})
    assert corpus_names(texts[:2] + texts[3:], tagged[:2] + tagged[3:]) == frozenset()


def test_the_first_name_list_holds_names_not_words() -> None:
    from themes.privacy.names import first_names

    names = first_names()
    assert {"yvonne", "natasha", "siobhan", "faye", "kayleigh"} <= names
    # first names that are English words are left to the model
    assert not names & {"grace", "mark", "will", "forest", "john", "hope", "may"}


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="the named-entity model is not installed")
def test_a_listed_first_name_the_model_reads_as_a_place_or_nothing_is_a_name() -> None:
    from themes.privacy.names import person_spans

    texts = [
        "Help from Yvonne",  # the small model: a place (GPE)
        "Natasha has been so good at supporting me",  # an organisation (ORG)
        "Faye is the most helpful and we can contact her anytime",  # nothing
        "Thanks to Sarah Patel on reception",
    ]
    spans = person_spans(texts)
    found = [[text[s:e] for s, e in found] for text, found in zip(texts, spans, strict=True)]
    assert found == [["Yvonne"], ["Natasha"], ["Faye"], ["Sarah Patel"]]


@pytest.mark.model
@pytest.mark.skipif(not model_available(), reason="the named-entity model is not installed")
def test_a_listed_first_name_that_names_a_place_stays() -> None:
    from themes.privacy.names import person_spans

    texts = [
        "There was no room on Winifred 2 for hours",
        "The Agnes Unit was clean",
        "Our appointment was at Stanley at 2pm",
        "When I went in at St Luke's I thought the NHS was back on form",
        "A Christian charity helped us",
        "VICKY was kind",
    ]
    assert person_spans(texts, every_text=True) == [[] for _ in texts]
