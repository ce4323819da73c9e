"""'Nothing needs to change' answers: the rules, their guards against complaints, similarity to
prototypes, and the group the analysis makes of them."""

from __future__ import annotations

import numpy as np
import pytest

from themes import analyse_responses
from themes.analysis.embedding import HashingEmbedder
from themes.analysis.no_change import (
    KIND,
    LABEL,
    could_be_no_change,
    find_no_change,
    said_no_change,
)
from themes.ingest.responses import Response, Responses


@pytest.mark.parametrize(
    "text",
    [
        "Nothing",
        "Nothing.",
        "nothing really",
        "None",
        "All good, thank you",
        "Can't think of anything, staff were lovely",
        "Keep doing what you're doing",
        "Keep up the excellent work!",
        "Excellent service, could not be improved.",
        "Nothing could improve the care I received",
        "I can't think of anything that you could have done better",
        "There is nothing you could do better",
        "Nothing, they were spot on",
        "Nothing x",
        "No Nothing",
        "Happy with the way things are",
        "No improvements needed",
        "I wouldn't change a thing",
        "Could not have done better.",
        "I don't think you could have done any better thank you.",
        "Nothing better! They are fantastic.",
        "No need to improve",
        "On this occasion nothing",
        "I couldn't find fault at anything.",
        "Everything that was done, I could ask for no better.",
        "Could not have asked for a better service",
        # read on fft_phase1, where a loose theme held them
        "Nothing. They do an amazing job.",  # two sentences, not "nothing they do"
        "Absolutely nothing, please make sure they get the praise that they deserve.",
        "In my experience I have nothing but praise.",
        "I don't think they could have done any more.",
        "Do not think there is anything else you could have done in very difficult times.",
        # read on fft_phase2 (fourth session), where they formed 'Can not fault service'
        "Exceptional service could not fault them",
        "The ambulance men were very helpful to me. Could not fault them in any way.",
        "Hard to find any faults.",
        "I could find no faults.",
        "The service was without fault.",
        "Everything spot on. No faults.",
        "No problem with service whatsoever.",
        "No problems at all.",
        "Absolutely Nothing. The whole team were amazing, we would like to thank-you.",
        # the catch-all 'Improve, problem' they formed next
        "Isn't any.",
        "Don't think so.",
        "For me nothing.",
        "Nothing in my case.",
        "All O.K.",
        "Not that I can think of.",
        "You can't improve on perfection.",
        "I honestly can't think of anything.",
        "I had no problems.",
        "On time. No problems.",
        "In my experience I don't believe anything else could of been done for me.",
        "Nothing could of been done any better",
        # read on fft_phase1 (tenth session), where they made 'Zero, notch' with "Everything"
        "In my opinion, nothing",
        "Nothing in my opinion",
        "Overall nothing",
        "On this last trip nothing",
        "In my situation nothing",
        "Cannot think of a thing",
        "Difficult to think of anything",
        "I can think of nothing",
        "Not sure, nothing I could think of",
        "Don't know, probably nothing",
    ],
)
def test_nothing_to_change_is_recognised(text: str) -> None:
    assert said_no_change(text)


@pytest.mark.parametrize(
    "text",
    [
        # negated "nothing": complaints
        "Nothing was explained to me",
        "nothing to do all day on the ward",
        "They did nothing to help",
        "Nothing has changed since my last visit",
        "nothing could be done for my mum",
        "Nothing they do works",
        # a point after the "nothing"
        "Nothing, but the parking is awful",
        "Nothing to improve, the waiting time was long though",
        "Nothing really except more staff at night",
        # wishes that look alike
        "Could have been better",
        "The food could be better",
        "They weren't better than last time",
        "Send a better driver.",
        "More parking",
        "nothing was too much trouble",  # praise of staff, a theme of its own
        "I couldn't find the entrance to the ward",
        "Could have asked for more information about my medication",
        "Nothing but trouble from start to finish",
        "I had nothing but problems with reception",
        "Absolutely nothing was done about my pain",
        "They didn't give me any more information",
        "They didn't tell me anything else I could do",
        "Nothing. The wait was too long",
        "They could not do any more because the ward was short staffed and I waited hours",
        "Can't fault service - only problem is having to use rear seats (I'm too tall).",
        "Smoother ride - not your fault it's down to rough roads and pot holes.",
        "No problem with service, brilliant. Prefers female nurse especially for catheter care.",
        "No faults in the booking but the driver was late",
        "No problem getting through on the phone, long wait for the ambulance",
        "Nothing, although I would like a copy of my letter",
        "Nothing for me apart from book one week in advance.",
        "No changes except less questions, some appear unnecessary.",
        "Nothing could be done about my pain",
        "No problems getting there but the wait was long",
        "Overall nothing was explained",
        "In my opinion nothing was done right",
        "Nothing in the fridge for patients",
        "Nothing in my opinion but the food was cold",
        "I can think of nothing worse than the wait",
        "Nothing. Just wish could have spent more time with me",
        "Don't know",
    ],
)
def test_complaints_and_points_are_not_taken(text: str) -> None:
    assert not said_no_change(text)


def test_only_short_plain_answers_are_judged_by_similarity() -> None:
    assert could_be_no_change("Happy with everything as it stands")
    assert not could_be_no_change("Happy with everything but the wait was too long")
    assert not could_be_no_change(" ".join(["fine"] * 30))


def test_similarity_adds_short_answers_the_rules_miss() -> None:
    embedder = HashingEmbedder()
    texts = ["Happy with it as it stands, ta", "The car park is a nightmare"]
    vectors = np.asarray(embedder.embed(texts))
    prototype = np.asarray(embedder.embed(["Keep up the good work"]))[0]
    vectors[0] = prototype  # as close as can be to a prototype
    found = find_no_change(texts, vectors, embedder, takes_no=True)
    assert found.tolist() == [True, False]
    assert find_no_change(texts, takes_no=True).tolist() == [False, False]  # rules alone
    # where the question does not ask what could change, similarity takes nothing
    assert find_no_change(texts, vectors, embedder, takes_no=False).tolist() == [False, False]


def test_where_change_was_not_asked_only_saying_there_is_nothing_joins() -> None:
    """'Tell us about your experience': 'None' has nothing to add, but 'Couldn't have asked for
    more' and 'Nothing but good care' are experiences, for the themes."""
    texts = [
        "None",
        "Nothing at all.",
        "Can't think of anything",
        "I've had nothing but good care from my surgery",
        "The nurses came every day, couldn't have asked for more",
        "All good",
        "No",
    ]
    assert find_no_change(texts, takes_no=False).tolist() == [True, True, True] + [False] * 4
    assert find_no_change(texts, takes_no=True).tolist() == [True] * 7


def _responses(texts: list[str]) -> Responses:
    return Responses(
        "q", tuple(Response(i + 1, f"r{i + 1}", t) for i, t in enumerate(texts)), "test"
    )


def test_analysis_makes_one_group_never_a_theme() -> None:
    nothing = ["Nothing", "Nothing at all", "All good", "Can't think of anything", "None"] * 6
    parking = [f"Parking at the hospital is impossible, spaces {i}" for i in range(30)]
    dentists = [f"No NHS dentist will take new patients near me {i}" for i in range(30)]
    complaint = ["Nothing was explained to me about my medication"]
    texts = nothing + parking + dentists + complaint
    result = analyse_responses(_responses(texts), embedder=HashingEmbedder())
    groups = [t for t in result.themes if t.kind == KIND]
    assert len(groups) == 1
    group = groups[0]
    assert group.label == LABEL and group.size == len(nothing)
    assert {r.theme_id for r in result.rows[: len(nothing)]} == {group.id}
    assert result.rows[-1].theme_id != group.id  # the complaint is never in the group
    assert all(t.kind == "" for t in result.themes if t.id != group.id)
    assert len(result.rows) == len(texts)
    # the commonest ways of saying it come first
    assert result.rows[group.representatives[0] - 1].text == "Nothing"


def test_a_bare_no_says_nothing_needs_to_change_only_where_change_was_asked() -> None:
    from themes.analysis.no_change import asks_for_change, said_no

    assert all(said_no(t) for t in ["No", "Nope.", "no thank you", "Not really", "NO!"])
    assert not any(said_no(t) for t in ["No parking", "Not enough staff", "Nothing was done"])
    assert all(said_no(t) for t in ["Not a lot", "Very little.", "not very much"])
    assert not said_no("Very little information")
    texts = ["No", "Parking is awful", "More staff please", "Nothing was explained"]
    assert asks_for_change("Is there anything we could do better?", texts)
    assert asks_for_change("What could we improve?", texts)
    assert not asks_for_change("Were you treated with dignity and respect?", texts)
    assert find_no_change(texts, takes_no=True).tolist() == [True, False, False, False]
    assert find_no_change(texts, takes_no=False).tolist() == [False] * 4
    # no wording known: a question whose answers often say nothing needs to change asked for it
    many = ["Nothing", "All good", "No"] + ["The food was cold"] * 10
    assert asks_for_change("", many)
    assert find_no_change(many)[2]
    assert not asks_for_change("", ["Nothing"] + ["The food was cold"] * 19)


def test_a_bare_no_joins_the_group_after_a_question_that_asked_for_change() -> None:
    """Reading sets "No" aside as a non-answer; after "What could we improve?" it says nothing
    needs to change, and the analysis counts it in that group (human coders code it so)."""
    from themes.analysis.pipeline import Outcome
    from themes.ingest.prepare import classify

    nothing = ["Nothing", "Nothing at all", "All good", "Can't think of anything"] * 5
    parking = [f"Parking at the hospital is impossible, spaces {i}" for i in range(30)]
    texts = [*nothing, *parking, "No", "Nope", "n/a"]

    def responses(question: str) -> Responses:
        return Responses(
            question,
            tuple(Response(i + 1, f"r{i + 1}", t, classify(t)) for i, t in enumerate(texts)),
            "test",
        )

    asked = analyse_responses(responses("What could we improve?"), embedder=HashingEmbedder())
    group = next(t for t in asked.themes if t.kind == KIND)
    assert [r.theme_id for r in asked.rows[-3:-1]] == [group.id, group.id]
    assert asked.rows[-1].outcome is Outcome.NON_ANSWER  # 'n/a' says nothing at all
    assert group.size == len(nothing) + 2
    assert asked.provenance["no_change_takes_no"] is True
    told = analyse_responses(
        responses("Tell us about your visit"), embedder=HashingEmbedder()
    )  # 20 of 63 say nothing needs to change: the answers show change was asked for
    assert told.provenance["no_change_takes_no"] is True
    fewer = Responses(
        "Tell us about your visit",
        tuple(
            Response(i + 1, f"r{i + 1}", t, classify(t))
            for i, t in enumerate(["Nothing", *parking, "No"])
        ),
        "test",
    )
    other = analyse_responses(fewer, embedder=HashingEmbedder())
    assert other.rows[-1].outcome is Outcome.NON_ANSWER and other.rows[-1].theme_id is None


def test_a_later_batch_puts_a_bare_no_where_the_analysis_did(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from themes.ingest.prepare import classify
    from themes.project_ops import add_batch
    from themes.review.store import ProjectStore

    question = "What could we do better?"
    texts = ["Nothing", "All good", "No"] + [
        f"Parking is impossible, spaces {i}" for i in range(30)
    ]
    responses = Responses(
        question,
        tuple(Response(i + 1, f"r{i + 1}", t, classify(t)) for i, t in enumerate(texts)),
        "first.csv",
    )
    result = analyse_responses(responses, embedder=HashingEmbedder())
    store = ProjectStore(tmp_path / "projects.sqlite")
    info = store.create("P", [result], framework="gloucestershire", user="amy")
    batch = tmp_path / "batch.csv"
    batch.write_text(f"Respondent ID,{question}\nB1,Nope\nB2,n/a\nB3,Nothing at all\n", "utf-8")
    state = add_batch(store, info.id, batch, embedder=HashingEmbedder(), user="amy")
    review = state.questions[question]
    group = next(t.id for t in review.themes.values() if t.kind == KIND)
    added = {a.respondent_id: a for a in review.added}
    assert review.assignment[added["B1"].row] == group
    assert review.assignment[added["B3"].row] == group
    assert added["B2"].outcome == "non_answer"


def test_a_question_that_did_not_ask_for_change_has_a_group_of_nothing_to_add(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """'Tell us about your visit': 'None' has nothing to add; praise is an experience, themed;
    a later batch follows the same rule; the report says so."""
    from themes.analysis.no_change import NOTHING_TO_ADD
    from themes.project_ops import add_batch
    from themes.review.store import ProjectStore

    question = "Tell us about your visit"
    praise = "The nurses came every day, couldn't have asked for more"
    parking = [f"Parking at the hospital is impossible, spaces {i}" for i in range(30)]
    texts = ["None", "Nothing at all", praise, *parking]
    result = analyse_responses(
        Responses(
            question, tuple(Response(i + 1, f"r{i + 1}", t) for i, t in enumerate(texts)), "v.csv"
        ),
        embedder=HashingEmbedder(),
    )
    assert result.provenance["no_change_takes_no"] is False
    group = next(t for t in result.themes if t.kind == KIND)
    assert group.label == NOTHING_TO_ADD and group.size == 2
    assert result.rows[2].theme_id != group.id

    store = ProjectStore(tmp_path / "projects.sqlite")
    info = store.create("P", [result], framework="gloucestershire", user="amy")
    batch = tmp_path / "batch.csv"
    batch.write_text(
        f"Respondent ID,{question}\nB1,None really\nB2,Could not have asked for more\n", "utf-8"
    )
    review = add_batch(store, info.id, batch, embedder=HashingEmbedder(), user="amy").questions[
        question
    ]
    added = {a.respondent_id: a for a in review.added}
    assert review.assignment.get(added["B1"].row) == group.id
    assert review.assignment.get(added["B2"].row) != group.id
