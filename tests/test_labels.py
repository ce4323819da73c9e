"""Theme labels a person would write: a short central answer when one fits, else keywords."""

from __future__ import annotations

from themes.analysis.labels import answer_labels, make_label, phrase_label, theme_label

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


def test_an_answer_label_drops_an_opening_filler_and_never_repeats_itself() -> None:
    mental = ("mental health", "mental", "health", "support")
    texts = [
        "Mental health, mental health, mental health",  # emphatic, not a name for the theme
        "Thirdly better mental health support",
    ]
    assert phrase_label(mental, texts) == "Better mental health support"
    assert phrase_label(mental, texts[:1]) is None


def test_an_answer_label_is_never_a_clause_without_its_subject() -> None:
    """'... booked for one leg! is happy with all other NHS services' is a fragment as a label;
    an answer that says it whole is not."""
    nhs = ("nhs services", "nhs", "services", "happy")
    fragment = "Sometimes told she is booked for one leg. is happy with all other NHS services"
    assert phrase_label(nhs, [fragment]) is None
    assert phrase_label(nhs, [fragment, "Happy with all NHS services"]) == (
        "Happy with all NHS services"
    )


def test_keywords_when_no_answer_fits() -> None:
    texts = ["I think we need far more to be done about isolation of the elderly in villages"]
    assert phrase_label(KEYWORDS, texts) is None
    assert theme_label(KEYWORDS, texts) == make_label(KEYWORDS, texts)
    assert theme_label((), []) == "Unlabelled theme"


def test_phrase_and_answer_labels_need_words_the_theme_shares() -> None:
    from themes.analysis.labels import label_candidates

    texts = [f"Cannot find an NHS dentist anywhere, tried {n} places" for n in range(19)] + [
        "NHS dentist for the diabetes team"
    ]
    options = label_candidates(("dentist", "nhs", "nhs dentist"), texts)
    assert "NHS dentist" in options
    assert not any("diabetes" in o.lower() for o in options)  # 1 answer of 20: its own words
    assert options[0] == make_label(("dentist", "nhs", "nhs dentist"), texts)  # always offered


def test_an_answer_can_hold_one_word_of_a_two_word_keyword() -> None:
    texts = ["Very good", "Quite good", "Very good.", "Satisfactory good", "Excellent fantastic"]
    keywords = ("good good", "excellent fantastic", "satisfactory good")
    assert make_label(keywords, texts) == "Excellent fantastic, satisfactory good"
    assert phrase_label(keywords, texts) == "Satisfactory good"  # the whole keyword first
    assert phrase_label(("excellent fantastic", "satisfactory good"), texts[:3]) == "Very good"


def test_thank_you_is_a_label_not_a_personal_statement() -> None:
    texts = ["Thank you for the care", "Thanks for all the care"]
    assert phrase_label(("thank", "care", "thank care"), texts) == "Thank you for the care"
    assert phrase_label(("care",), ["You gave me great care"]) is None  # still personal


def test_a_theme_gathered_around_names_is_called_so() -> None:
    from themes.analysis.labels import NAMED_LABEL, label_candidates

    named = ["[name] was brilliant", "XXXX kept us informed", "[name] is a star", "Kind staff"]
    assert label_candidates(("pt visit", "yes"), named) == [NAMED_LABEL]
    assert NAMED_LABEL not in label_candidates(("kind", "staff"), ["Kind staff"] * 3 + named[:1])


def test_an_answer_label_is_written_as_the_answers_usually_write_its_words() -> None:
    texts = ["Everything was very Good", "good GP", "very good GP", "good", "Good care"]
    assert phrase_label(("good",), texts) == "Everything was very good"
    assert phrase_label(("gp",), texts[1:3]) == "Good GP"


def test_a_capital_that_only_opens_sentences_is_not_kept() -> None:
    from themes.analysis.labels import surface_forms

    forms = surface_forms(["Better access please", "We need better access. Better buses", "GP"])
    assert forms["better"] == "better" and forms["gp"] == "GP"
    assert phrase_label(("nhs dentist",), ["nhs dentist please", "An NHS dentist"] * 2) == (
        "NHS dentist"
    )


def test_keywords_that_read_as_a_phrase_are_weighed_as_the_phrase() -> None:
    from themes.analysis.labels import label_candidates

    texts = [
        f"{opening} A&E at Cheltenham General {n}"
        for n in range(5)
        for opening in ("Save the", "Keep the")
    ]
    options = label_candidates(("cheltenham", "general", "a&e"), texts)
    # the answers always write 'general' after 'cheltenham': the listed label keeps them together
    assert make_label(("cheltenham", "general", "a&e"), texts) == "Cheltenham General, A&E"
    assert "Cheltenham General" in options and "Cheltenham, General" not in options


def test_a_keyword_label_says_each_word_once_in_any_form() -> None:
    texts = ["The waiting time for the ambulance was long"]
    assert make_label(("waiting time", "wait", "waiting", "ambulance"), texts) == (
        "Waiting time, ambulance"
    )
    assert make_label(("nurses", "nurse", "kind"), ["x"]) == "Nurses, kind"


def test_a_two_word_keyword_no_answer_writes_is_not_a_label() -> None:
    """Counting leaves small words out, so 'happy to use it but I worry' counts as 'happy
    worry'; no answer says that, and it made the label 'Happy worry, useful'."""
    texts = [
        "Happy to use it but I worry about people who are not online",
        "I worry about people without smartphones, useful for me though",
        "Useful but I worry about people who cannot afford the internet",
    ]
    keywords = ("happy worry", "worry people", "useful")
    assert make_label(keywords, texts) == "Worry about people"


def test_labels_are_fitted_to_the_answers_not_only_to_the_centre() -> None:
    """A label near the theme's centre can still lose most of the theme's answers to another
    theme's label; the label that keeps its answers nearest wins when answers are given."""
    import numpy as np

    from themes.analysis.labels import choose_labels

    points = {"Centre label": (1.0, 0.0), "Spread label": (0.8, 0.6), "Other": (0.0, 1.0)}

    def embed(texts: list[str]) -> np.ndarray:
        return np.array([points[t] for t in texts], dtype=np.float32)

    candidates = [["Centre label", "Spread label"], ["Other"]]
    centres = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    answers = np.array(
        [[1.0, 0.0], [0.6, 0.8], [0.6, 0.8], [0.6, 0.8], [0.0, 1.0], [0.3, 0.954]],
        dtype=np.float32,
    )
    theme_of = np.array([0, 0, 0, 0, 1, 1])
    assert choose_labels(candidates, centres, embed) == ["Centre label", "Other"]
    chosen = choose_labels(
        candidates, centres, embed, members=(answers, theme_of), movable={"Spread label"}
    )
    assert chosen == ["Spread label", "Other"]
    # only to a whole answer: a label that is not one stays where the centre put it
    kept = choose_labels(candidates, centres, embed, members=(answers, theme_of))
    assert kept == ["Centre label", "Other"]
    # An answer in no theme (-1) counts for nothing; one theme alone keeps its first choice.
    alone = choose_labels(candidates[:1], centres[:1], embed, members=(answers, -theme_of))
    assert alone == ["Centre label"]


def test_a_label_must_say_what_its_theme_holds_not_only_differ_from_the_next() -> None:
    """The margin over the nearest other theme is not enough: a label further from its own
    centre loses to one nearer it unless its margin is clearly larger; and a list of keywords
    loses to a phrase the answers write unless it is clearly closer."""
    import math

    import numpy as np

    from themes.analysis.labels import Listed, choose_labels

    def point(own: float, other: float) -> tuple[float, float, float]:
        return (own, other, math.sqrt(1 - own**2 - other**2))

    points = {
        "Near": point(0.9, 0.3),  # margin 0.60, score 0.60 + 0.5 x 0.9 = 1.05
        "Vague": point(0.65, 0.0),  # margin 0.65, score 0.975
        "Phrase": point(0.88, 0.3),  # margin 0.58, score 1.02
        "Close, list": point(0.98, 0.1),  # margin 0.88, score 1.37 - 0.05
        "Other": point(0.0, 1.0),
    }

    def embed(texts: list[str]) -> np.ndarray:
        return np.array([points[t] for t in texts], dtype=np.float32)

    centres = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)

    def label(*options: str) -> str:
        return choose_labels([list(options), ["Other"]], centres, embed)[0]

    assert label("Vague", "Near") == "Near"  # the larger margin alone would take 'Vague'
    assert label(Listed("Near"), "Phrase") == "Phrase"  # 1.05 - 0.05 against 1.02
    assert label("Near", "Phrase") == "Near"  # as a phrase it would have won
    chosen = label(Listed("Close, list"), "Phrase")
    assert chosen == "Close, list" and type(chosen) is str  # clearly closer: the list


def test_other_names_come_with_the_share_of_the_answers_behind_them() -> None:
    """A reviewer renaming a theme is offered its label candidates, each with the share of its
    answers that hold the candidate's rarest word, best supported first."""
    from themes.analysis.labels import NAMED_LABEL, label_options

    texts = [
        "Long waits in A&E",
        "Long waits in A&E again tonight",
        "Waited hours in A&E",
        "A&E waiting room was full",
        "Waited hours to be seen in A&E",
        "Long waits in A&E, hours on a trolley",
    ]
    options = label_options(("a&e", "long waits", "waited hours", "trolley"), texts)
    shares = dict(options)
    assert shares["Long waits in A&E"] == 0.5  # 'long' and 'waits' in 3 of 6, 'A&E' in all
    assert shares["Waited hours"] == 2 / 6
    assert [share for _, share in options] == sorted(shares.values(), reverse=True)
    assert all(type(name) is str for name, _ in options)  # no keyword-list marker leaks out
    assert len(label_options(("a&e",), texts, most=2)) <= 2
    assert label_options(("a&e",), []) == []
    from themes.analysis.keywords import OPTIONS_KEPT, KeywordIndex

    index = KeywordIndex(dict(enumerate(texts, start=1)))
    asked = index.label_options([1, 2, 3], ("long waits",))
    asked.clear()  # a caller's copy: what the index keeps is not changed through it
    assert index.label_options([1, 2, 3], ("long waits",)) != []
    for n in range(OPTIONS_KEPT + 5):  # kept for a bounded number of themes
        index.label_options([1 + n % 6], ("a&e", str(n)))
    assert len(index._options) == OPTIONS_KEPT
    # a theme of named staff is offered the safe name, backed by the answers that name someone
    named = ["[name] was brilliant", "[name] was so patient", "Kind nurses", "[name] helped"]
    assert label_options(("brilliant", "kind"), named) == [(NAMED_LABEL, 0.75)]


def test_keyword_labels_get_back_the_small_words_the_answers_use() -> None:
    texts = [
        "I was told to ring again on Tuesday",
        "Told to ring back later and nobody answered",
        "told to ring 111",
        "Waited 8 hours in A&E with my daughter",
        "hours in A&E on a trolley",
        "The person I spoke to listened",
        "the person I spoke to was kind",
    ]
    # a phrase and a single word after a comma read as a sentence cut short: the phrase alone
    assert make_label(["told ring", "number"], texts) == "Told to ring"
    assert make_label(["told ring", "hours a&e"], texts) == "Told to ring, hours in A&E"
    assert make_label(["hours a&e", "daughter"], texts) == "Hours in A&E"
    # the head is the theme's own word: a phrase after it does not push it out
    assert make_label(["daughter", "hours a&e"], texts) == "Daughter, hours in A&E"
    # a label is not one respondent's sentence: 'Person I spoke' stays 'Person spoke'
    assert make_label(["person spoke", "listened"], texts) == "Person spoke, listened"
    # uses that disagree leave the keyword as it is
    mixed = ["gp appointment", "a gp for an appointment", "gp the appointment"]
    assert make_label(["gp appointment"], mixed) == "gp appointment".capitalize()


def test_a_sentence_of_a_longer_answer_can_be_the_label() -> None:
    gp = ("gp", "impossible", "nearly", "ringing", "appointment")
    texts = [
        "Getting a GP appointment is nearly impossible. I had to ring every day for a week.",
        "GP appointments are impossible to get, ringing at 8am is a lottery and I give up",
        "The GP is nearly impossible to reach",
    ] * 3
    assert phrase_label(gp, texts) == "Getting a GP appointment is nearly impossible"
    # a later sentence must hold a whole keyword: 'Good for everyone' said nothing of projects
    projects = ("projects", "intergenerational projects", "schemes")
    told = ["Intergenerational projects, like schools visiting care homes. Good for everyone."]
    assert "Good for everyone" not in answer_labels(projects, told * 3)


def test_a_number_in_a_label_must_be_shared_like_a_word() -> None:
    from themes.analysis.labels import label_candidates

    came = ("ambulance", "came", "arrived")
    texts = ["Ambulance came in 30 mins"] * 2 + [f"The ambulance came quickly {n}" for n in "ab"]
    texts += [f"Ambulance arrived fast, thanks {n}" for n in range(40)]
    assert not any("30" in o for o in label_candidates(came, texts))  # 2 answers of 44
    assert any("30" in o for o in label_candidates(came, texts[:4] * 5))  # half of them


def test_a_reply_to_the_question_is_not_part_of_the_label() -> None:
    care = ("care", "good care", "nurses", "excellent")
    assert phrase_label(care, ["No, very good care and excellent nurses"]) == (
        "Very good care and excellent nurses"
    )
    assert phrase_label(care, ["No very good care, nurses excellent"]) == (
        "Very good care, nurses excellent"
    )
    parking = ("parking", "spaces", "parking spaces")
    assert phrase_label(parking, ["No parking spaces near the clinic"]) == (
        "No parking spaces near the clinic"
    )


def test_what_many_answers_say_word_for_word_names_the_theme() -> None:
    from themes.analysis.labels import label_candidates

    junk = ("zero", "notch", "opinion")  # 'everything' is a stop word: no keyword says it
    texts = ["Everything", "Everything.", "everything", "Top notch", "Zero complaints", "Ace"]
    assert label_candidates(junk, texts) == ["Everything"]
    assert label_candidates(junk, ["I loved it"] * 4 + ["Top notch"]) != ["I loved it"]
    assert label_candidates(junk, texts[2:] * 2) != ["Everything"]  # 2 of 8: not a quarter


def test_when_no_keyword_is_shared_an_answer_many_give_names_the_theme() -> None:
    from themes.analysis.labels import label_candidates

    junk = ("zero", "notch", "opinion")  # each in one answer of twenty
    others = [f"Answer {word}" for word in "one two three four five six seven eight".split()]
    texts = ["Everything"] * 3 + ["Zero complaints", "Top notch", "My opinion"] + others * 2
    found = label_candidates(junk, texts)  # 3 of 22: under a quarter
    assert found[0] == "Everything" and "Zero, notch" not in found  # in the keywords' place
    shared = ("answer", "notch")  # 'answer' is in most of them: the keywords speak
    assert "Everything" not in label_candidates(shared, texts)
    assert "Everything" not in label_candidates(junk, texts[1:])  # said twice: one respondent's


def test_an_answer_many_give_is_weighed_beside_the_phrases_the_answers_share() -> None:
    from themes.analysis.labels import label_candidates

    # fft_phase1: a theme of "Everything was very good" labelled 'Everything' (sixteenth session)
    said = ["Everything was very good", "Everything was good", "Everything was excellent"]
    texts = [*said, "Everything was good thanks"] * 2 + ["Everything"] * 4
    texts += ["Fine", "Perfect", "Ok", "Top notch", "Zero complaints"] * 2
    found = label_candidates(("fine", "good great", "perfect good"), texts)  # none in a tenth
    assert found[0] == "Everything" and "Everything was good" in found


def test_a_word_in_capitals_for_emphasis_does_not_set_its_spelling() -> None:
    from themes.analysis.labels import surface_forms

    forms = surface_forms(["EVERYTHING!!! was wrong", "Everything", "Everything.", "NHS staff"])
    assert forms.get("everything", "everything") == "everything"
    assert forms["nhs"] == "NHS"  # an acronym opening an answer keeps its capitals


def test_themes_gathered_around_names_are_dissolved() -> None:
    """Answers of a theme that formed around named people join the theme of what they say
    ('[name] was kind' with kindness); those left stay a theme only if they share a subject."""
    import numpy as np

    from themes.analysis.discover import dissolve_named_themes

    kind, parking, named_kind, named_other = np.eye(4, dtype=np.float32)
    near_kind = (0.8 * kind + 0.6 * named_kind).astype(np.float32)  # cosine 0.8 to 'kind'
    unit = np.vstack([[kind] * 4, [parking] * 4, [near_kind] * 3, [named_other] * 2])
    labels = np.array([0] * 4 + [1] * 4 + [2] * 5)
    texts = ["Kind nurses"] * 4 + ["Parking costs"] * 4
    named = [*texts, "[name] was kind", "XXXX was lovely", "[name] helped", "Thanks XXXX", "ok"]
    dissolved, placed = dissolve_named_themes(unit, labels, named, 0.45, min_size=2)
    assert dissolved.tolist() == [0] * 4 + [1] * 4 + [0] * 3 + [-1] * 2
    assert placed.tolist() == [False] * 8 + [True] * 3 + [False] * 2
    unplaced = dissolve_named_themes(unit, labels, named, None, min_size=2)[0]
    assert unplaced.tolist()[8:] == [-1] * 5
    # what is left shares a subject of its own: it stays a theme
    rude = [*named[:11], "Dr [name] was rude", "XXXX was rude to me"]
    kept = dissolve_named_themes(unit, labels, rude, 0.45, min_size=2)[0]
    assert kept.tolist() == [0] * 4 + [1] * 4 + [0] * 3 + [2] * 2
    assert dissolve_named_themes(unit, labels, rude, 0.45, min_size=3)[0].tolist()[11:] == [-1] * 2
    mostly_unnamed = [*texts, "[name] was kind", "Kind", "Lovely", "Good", "Fine"]
    unchanged, moved = dissolve_named_themes(unit, labels, mostly_unnamed, 0.45, min_size=2)
    assert unchanged.tolist() == labels.tolist() and not moved.any()


def test_a_theme_of_named_people_that_shares_a_subject_is_about_that_subject() -> None:
    from themes.analysis.labels import NAMED_LABEL, label_candidates, named_theme

    rude = [f"Dr [name] at the {p} surgery was rude" for p in ("Stroud", "Dursley", "Nailsworth")]
    assert not named_theme(rude)  # 'rude' in every answer: a theme about rudeness
    assert NAMED_LABEL not in label_candidates(("rude", "surgery"), rude)
    praise = ["Dr [name] was great", "Thanks Dr XXXX", "[name] listened", "Mr [name] was kind"]
    assert named_theme(praise)  # 'dr' comes with the name: no subject of its own


def test_answer_labels_are_looked_for_among_those_the_theme_shares() -> None:
    from themes.analysis.labels import answer_labels, shared_answer_labels

    keywords = ("prompt", "polite", "professional", "courteous", "polite helpful")
    texts = (
        [
            "Very prompt, professional and courteous",  # every keyword: one respondent's words
            "Prompt, professional and courteous staff",
            "Professional and courteous, prompt too",
            "Polite and helpful",
        ]
        + ["Very polite and helpful"] * 20
        + ["Polite, helpful"] * 10
    )
    assert "Polite and helpful" not in answer_labels(keywords, texts)  # three slots taken
    assert set(shared_answer_labels(keywords, texts)) == {
        "Polite, helpful",
        "Polite and helpful",
        "Very polite and helpful",
    }


def test_a_closing_please_or_thanks_is_not_part_of_the_label() -> None:
    texts = ["NHS dentist please", "NHS dentist please!", "An NHS dentist, thanks"]
    assert phrase_label(("nhs dentist",), texts) == "NHS dentist"


def test_a_keyword_label_puts_back_the_word_the_stop_list_hid() -> None:
    """'call' is in scikit-learn's stop list and 'up' is a small word: the keyword counting never
    sees them, but the answers write 'call handler' and 'pick up'."""
    handlers = ["The call handler was great", "Call handler very kind", "call handler helpful"]
    assert make_label(["handler", "kind"], handlers) == "Call handler, kind"
    pick = ["Time for pick up was late", "pick up was late", "pick up at 5", "return home late"]
    assert make_label(["pick", "home"], pick) == "Pick up, home"
    # written together only sometimes, or with a word that carries no meaning: left alone
    mixed = ["I pick apples", "pick up later", "we pick pears", "the handler", "a handler"]
    assert make_label(["pick", "handler"], mixed) == "Pick, handler"


def test_answers_are_weighed_by_common_words_when_the_keywords_are_rare() -> None:
    """c-TF-IDF keywords set a theme apart ('kindness', 'treated') and few of its answers use
    them; its short answers are then weighed by the words most of them use."""
    from themes.analysis.labels import common_words, shared_answer_labels

    texts = [
        "They were very helpful.",
        "Were very helpful and caring",
        "They were very helpful and friendly",
        "I can only say how helpful they were",
        "Treated me with kindness",
    ] * 4
    assert common_words(texts)[0] == "helpful"
    assert "they" not in common_words(texts) and "very" not in common_words(texts)
    found = shared_answer_labels(["kindness", "treated"], texts)
    assert found and all("helpful" in label for label in found)
    assert "They were very helpful" in found


def test_an_answer_label_may_say_which_person_was_met() -> None:
    """'The person I spoke to' names whom, it is not a personal statement; 'I spoke to a nurse'
    is."""
    texts = ["Person I spoke to was very helpful", "I spoke to a nurse and waited"] * 4
    found = answer_labels(["spoke", "person spoke", "helpful"], texts)
    assert found == ["Person I spoke to was very helpful"]


def test_a_keyword_label_completes_words_and_drops_clipped_forms() -> None:
    """'Therapist, mental' cut 'mental health' in two; 'Medication, meds' said one thing twice;
    'Tv, cold' wrote an acronym as the answers rarely do."""
    therapy = [
        "My therapist helped with my mental health",
        "The mental health team and therapist were great",
        "Good mental health support from the therapist",
        "therapist was kind",
    ]
    assert make_label(("therapist", "mental", "mental health"), therapy) == (
        "Therapist, mental health"
    )
    medicine = ["Medication on time", "meds were late", "tablets missing", "more medication"]
    assert make_label(("medication", "meds", "tablets"), medicine) == "Medication, tablets"
    assert make_label(("car", "care"), ["car park", "care was good"]) == "Car, care"
    ward = ["The TV was broken", "TV too loud", "no tv", "Cold ward", "tv remote", "TV and radio"]
    assert make_label(("tv", "cold"), ward) == "TV, cold"
    verdicts = ["Spot on", "spot on, perfect", "Perfect", "All spot on.", "perfect care"]
    assert make_label(("perfect", "spot"), verdicts) == "Perfect, spot on"
    informed = ["XXXX kept us informed"] * 5 + ["They kept me informed"]
    assert make_label(("informed", "kept"), informed) == "Informed, kept"  # not 'XXXX kept'
    sent = ["Sent home", "I was sent home on time", "sent a letter", "Sent on to the ward"]
    assert make_label(("sent",), sent) == "Sent"  # 'on' after it in one use of four
    fine = ["it was OK", "was ok", "food ok", "cold", "all ok", "ok really"]
    assert make_label(("ok", "cold"), fine) == "Ok, cold"  # capitals in 1 of its 4 counted uses
    app = ["book appointments on the NHS App", "the app shows hospital appointments", "NHS App"]
    assert make_label(("nhs app", "appointments"), app) == "NHS App, appointments"  # both written
    drugs = ["Help with drug and alcohol problems", "drug and alcohol services", "Stop smoking"]
    drugs += ["more drug and alcohol support", "smoking kills"]
    assert (
        make_label(("smoking", "stop smoking", "drug"), drugs) == "Stop smoking, drug and alcohol"
    )
    listed = ["blood tests, vaccinations", "tests, vaccinations", "Tests, vaccinations please"]
    assert make_label(("gps", "tests"), [*listed, "more GPs"]) == "GPs, tests"
