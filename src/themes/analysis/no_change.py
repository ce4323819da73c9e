"""Answers that say nothing needs to change ("Nothing", "All good", "Can't think of anything",
"Keep doing what you're doing"): one recognised outcome, never split across themes.

Two tests, both guarded against complaints: a rule on the answer's opening words, and, for short
answers the rule misses, similarity to a few prototype answers. An answer that goes on to raise
something ("Nothing, but the parking is awful") or where "nothing" is the subject of a complaint
("Nothing was explained to me", "nothing to do all day") is never taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from themes.analysis.coherence import unit_rows
from themes.analysis.embedding import Embedder
from themes.analysis.theme_model import Theme

LABEL = "Nothing needs to change"
"""The name the group is given (reviewers can rename it)."""
NOTHING_TO_ADD = "Nothing to add"
"""Its name where the question does not ask what could change ("Tell us about your
experience": "None")."""

KIND = "no_change"
"""``Theme.kind`` of the group."""

SIMILAR = 0.72
"""Cosine similarity to the nearest prototype that makes a short answer a 'nothing to change'."""

MAX_WORDS_SIMILAR = 14
"""Only answers this short are judged by similarity: longer ones say something else too."""

MAX_WORDS_REST = 14
"""After an opening rule matches, the rest of the answer may have at most this many words."""

PROTOTYPES = (
    "Nothing",
    "Nothing to improve",
    "Nothing, everything was fine",
    "Nothing could be improved, it was all perfect",
    "I can't think of anything you could do better",
    "No improvements needed",
    "Keep doing what you are doing",
    "Could not have been better",
    "I don't think you could have done anything better",
    "Keep up the good work",
    "All good, no complaints",
    "I would not change anything",
    "Happy with everything as it is",
    "Can't fault anything",
)

_ENTIRE = frozenset(
    """nothing|none|nothing really|none really|nothing at all|none at all|not a thing|nowt|
    nothing much|no changes|no change|no improvements|no improvement|
    all good|all fine|all ok|all okay|all great|all was good|all was fine|all fine thanks|
    all good thanks|keep it up|keep going|carry on|keep it as it is|perfect as it is|
    perfect as is|fine as it is|fine as is|happy as it is|no complaints|can't fault|
    cannot fault|could not fault|couldn't fault|nothing comes to mind|
    nothing i can think of|none that i can think of|can't think of anything|
    cant think of anything|cannot think of anything|i can't think of anything|
    i cannot think of anything|nothing to improve|nothing to change|
    nothing springs to mind|no suggestions|no suggestion|nothing thanks|none thanks|
    nothing thank you|none thank you|nothing really thanks|no nothing|nope nothing|
    isn't any|there isn't any|don't think so|i don't think so|do not think so|
    not that i can think of|non that i can think of|not for the moment|not at the moment|
    not at this time|all ok|there's nothing|there is nothing|nothing for me|for me nothing|
    nothing in my case|no problem|no problems|no problems at all|i had no problems|
    never a problem|never any problems|nothingthank you|no issues|no issues at all|
    no concerns|no concerns at all|not a single thing""".replace("\n", "").split("|")
)
_ENTIRE = frozenset(" ".join(p.split()) for p in _ENTIRE)

_SAYS_NOTHING = re.compile(r"\b(?:nothing|none|non|nowt|not a thing|think of anything|isn't any)\b")
_NOTHING_TO_SAY = frozenset(p for p in _ENTIRE if _SAYS_NOTHING.search(p))
"""The whole answers that say there is nothing ("None", "Nothing really", "Can't think of
anything"), without praise ("All good", "No complaints", "Can't fault")."""

_BARE_NO = frozenset(
    """no|nope|nah|no thanks|no thank you|no thankyou|not really|no not really|not really no|
    no sorry|not much|not much really|no none|no nothing else|nothing else|no not at all|
    no not at the moment|no not that i can think of|not a lot|very little|not a great deal|
    not very much""".replace("\n", "").split("|")
)
_BARE_NO = frozenset(" ".join(p.split()) for p in _BARE_NO)
"""Answers that say no and nothing else: 'nothing needs to change' only where the question asks
what could change ("Is there anything we could do better?" "No"); after "Were you treated
with respect?" the same "No" is a complaint (``asks_for_change``)."""

ASKS_FOR_CHANGE = re.compile(
    r"\b(?:improv\w*|better|chang\w*|differently|suggest\w*|could we|should we)\b",
    re.IGNORECASE,
)
"""Question wording that asks what could change."""
ASKED_SHARE = 0.1
"""When at least this share of the answers say by rule that nothing needs to change, the
question asked what could change, whatever its wording (a column named 'text' or 'Q2'); "Any
other comments?" draws fewer ("No" there means no more to say, a non-answer)."""

_IMPROVE = (
    r"(?:improv\w*|chang\w*|better|different\w*|done differently|fault\w*|add\w*|criticis\w*|"
    r"complain\w*|suggest\w*)"
)
# Openings that say nothing needs to change; the rest of the answer is checked separately.
_OPENING = re.compile(
    r"^(?:"
    r"(?:no[,.!]*\s+|nope[,.!]*\s+|honestly\s+|really\s+|absolutely\s+|genuinely\s+|"
    r"truly\s+|literally\s+|to be honest\s+|um+\s+|erm+\s+|"
    r"(?:on|for) (?:this|my) (?:last )?(?:occasion|visit|trip|stay|admission)\s+|this time\s+|"
    r"at (?:this time|the moment)\s+|overall\s+|in my (?:opinion|view|situation)\s+|"
    r"(?:i'm |i am )?not sure\s+|(?:i )?(?:don't|do not) know\s+|probably\s+|"
    r"(?:given|in) the circumstances\s+){0,2}"
    r"(?:"
    r"(?:for me\s+|in my case\s+|personally\s+)?"
    r"nothing(?:\s+(?:really|at all|whatsoever|much|else|more|i can think of|comes to mind|"
    r"for me|in my case|personally|in my (?:opinion|view)|i could think of|"
    r"springs to mind|i would change|i'd change|to (?:be )?" + _IMPROVE + r"|"
    r"(?:could|can|would|should|needs? to|needed to)\s+(?:have\s+)?(?:be\s+|been\s+)?"
    r"(?:" + _IMPROVE + r"|improve|do(?:ne)? better))\b[\w\s]*?)?"
    r"|none(?:\s+(?:really|at all|that i can think of))?"
    r"|not a thing|nowt"
    r"|(?:i\s+)?(?:honestly\s+|really\s+|genuinely\s+)?"
    r"(?:can't|cant|cannot|can not|couldn't|could not)\s+think of (?:anything|any|a thing)"
    r"|(?:i\s+)?can think of nothing|(?:it's\s+|it is\s+)?(?:hard|difficult) to think of "
    r"(?:anything|a thing)"
    r"|(?:i\s+)?(?:can't|cant|cannot|could not|couldn't)\s+fault\b[\w\s]*?"
    r"|(?:there is|there's|there was)\s+nothing\s+(?:to|that|you|i|we)\b[\w\s]*?"
    r"|(?:i\s+)?(?:wouldn't|would not|won't|will not)\s+change\s+(?:a thing|anything)"
    r"|no\s+(?:improvements?|changes?|suggestions?)(?:\s+(?:needed|necessary|required))?"
    r"|all\s+(?:good|fine|ok|okay|great|was good|was fine|was great)"
    r"|no need (?:to|for) (?:any )?"
    + _IMPROVE
    + r"|keep\s+(?:it up|going|up the (?:good|great|excellent|fantastic|brilliant|amazing) work|"
    r"doing what you(?:'re| are)? doing|"
    r"doing (?:the same|what you do))"
    r"|(?:i am|i'm|very|completely|totally)?\s*happy with (?:everything|the way things are|"
    r"things as they are)"
    r")"
    r")(?=$|[\s,.!;:)\-])",
)
_ANYWHERE = re.compile(
    r"\b(?:could(?:n't| not) (?:be|have been) (?:improved|better|faulted)|"
    r"(?:could|can)(?:n't| not|not)(?: have)? (?:not )?(?:do|done|have done) (?:any(?:thing)? )?"
    r"(?:better|more)|could have not (?:do|done) (?:any(?:thing)? )?(?:better|more)|"
    r"can(?:'t|not|no) (?:be|have been) (?:improved|better|faulted)|"
    r"nothing (?:to improve|to change|could be improved|needs (?:to change|changing|improving))|"
    r"no (?:improvements?|changes?) (?:needed|necessary|required)|"
    r"keep up the good work|keep doing what you(?:'re| are) doing|"
    r"(?:would(?:n't| not)|won't) change (?:a thing|anything)|"
    r"(?:could(?:n't| not)|can(?:'t|not| not)) (?:find (?:any |a )?fault|fault "
    r"(?:any(?:thing|one|body)?|it|them|him|her|the (?:\w+ ){0,2}?(?:service|care|staff|crew|"
    r"team|paramedics?|driver|drivers|call handlers?|ambulance|treatment)))|"
    r"(?:could|can) find no faults?|(?:hard|difficult|impossible) to find (?:any |a )?faults?|"
    r"^(?:\w+ ){0,3}?no faults?$|without (?:a |any )?fault$|"
    r"^no problems? (?:with (?:the )?(?:service|anything|it)|at all|whatsoever)|"
    r"(?:could(?:n't| not)|can(?:'t|not| not)) (?:have )?ask(?:ed)? for (?:any(?:thing)? |a )?"
    r"(?:better|more)|ask for no better|"
    r"nothing but (?:praise|good|positive|compliments|admiration|thanks|gratitude|respect)|"
    r"(?:can't|cannot|can not|couldn't|could not) (?:improve (?:on )?|better )"
    r"(?:perfection|perfect|excellence)|"
    r"(?:had |have had |there were |there was )?(?:no|never (?:a|any)) problems?$|"
    # "I don't think they could have done any more", "... anything else you could have done"
    r"(?:\w+n't|not|never)\b[^.!?;]{0,45}?\b(?:could|can)(?:'t| not)?\s+(?:have\s+)?"
    r"(?:do|done|give|given|offer|offered)\s+(?:any(?:thing)?\s+)?(?:more|else)|"
    r"(?:\w+n't|not|never)\b[^.!?;]{0,30}?\banything (?:else|more)\b[^.!?;]{0,20}?\b"
    r"(?:could|can)\s+have\s+(?:been\s+)?(?:done|offered|given))\b"
)
# "Could not have been better", "I don't think you could have done any better", in one sentence.
_NOT_BETTER = re.compile(
    r"\b(?:(?:could|can|would|do|did|does)(?:n't| not|not)|cannot|nothing|no one|no thing|"
    r"never|not a thing)\b[^.!?;]{0,45}?\b(?:better(?:ed)?|improved?)\b"
)
# Where "nothing" is the subject or object of a complaint, not an answer to "what could change".
_COMPLAINT = re.compile(
    r"\bnothing\s+(?:was|is|has|had|got|gets|happened|happens|done|explained|seems|works|"
    r"worked|seemed|ever|helped|helps|changed|changes|gets|get|to do|to eat|to drink|for|"
    r"about|on|in(?! my (?:opinion|view|case))|from|else was)\b|"
    r"\b(?:did|does|do|do they|did they|could|can|would)\s+nothing\b|\bnothing but\b|"
    r"\bnothing (?:they|you|we|i|anyone) (?:do|did|say|said|tried)\b|"
    r"\bnothing\s+(?:could|can|would)\s+(?:be|have been)\s+done\b"
    r"(?!\s+(?:any\s+|much\s+)?(?:better|differently|more))"
)
# What turns an answer from "nothing" into a point: contrast, wishes, a problem.
_CONTRAST = re.compile(
    r"\b(?:but|except|apart from|other than|although|though|however|only thing|only issue|"
    r"only problem|only complaint|only suggestion|maybe|perhaps|possibly|would be nice|"
    r"prefer\w*|would like(?! to (?:thank|say))|"
    r"would have (?:been|liked)|wish|if only|should|shouldn't|need more|needs more|more|less|"
    r"too|wait\w*|delay\w*|late|long|rude|poor|bad|worse|problem\w*|issue\w*|parking|"
    r"not enough|lack\w*)\b"
)
_PUNCT = re.compile(r"[^\w\s']+")


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = re.sub(r"\bx+\b|[:;]-?[)(dp]", " ", text)  # kisses and smileys
    text = re.sub(r"\b(could|would|should|must) of\b", r"\1 have", text)  # "could of been"
    text = re.sub(r"\bo\.\s?k\b\.?", "ok", text)  # "All O.K."
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return _PUNCT.sub(" ", text).split()


@lru_cache(maxsize=65_536)  # asked twice per analysis: does the question ask, which say it
def said_no_change(text: str) -> bool:
    """True when the answer says nothing needs to change, by rule ("Nothing", "All good, thank
    you", "Can't think of anything, staff were lovely"); False for complaints that use "nothing"
    ("Nothing was explained to me") and for answers that go on to raise a point."""
    normal = _normal(text)
    bare = " ".join(_words(normal))
    if not bare:
        return False
    if bare in _ENTIRE:
        return True
    # A complaint is read sentence by sentence: "Nothing. They do an amazing job." is not
    # "nothing they do".
    sentences = (" ".join(_words(part)) for part in re.split(r"[.!?;]", normal))
    if any(_COMPLAINT.search(part) for part in sentences) and not _ANYWHERE.search(bare):
        return False
    match = _OPENING.match(bare)
    if match is not None:
        rest = bare[match.end() :]
    else:
        first = re.split(r"[.!?;]", normal, maxsplit=1)[0]
        found = _ANYWHERE.search(bare) or _NOT_BETTER.search(first)
        if found is None:
            return False
        source = bare if found.re is _ANYWHERE else normal
        rest = " ".join(_words(source[: found.start()] + " " + source[found.end() :]))
    return len(rest.split()) <= MAX_WORDS_REST and not _CONTRAST.search(rest)


def joins_by_rule(text: str, asked: bool) -> bool:
    """Whether an answer joins the group by rule. Where the question asks what could change
    (``asked``): whatever ``said_no_change`` finds, and a bare "No". Elsewhere only a whole
    answer that says there is nothing ("None", "Nothing at all"): praise such as "Couldn't have
    asked for more" or "Nothing but good care" is then someone's experience, for the themes."""
    if asked:
        return said_no_change(text) or said_no(text)
    return " ".join(_words(_normal(text))) in _NOTHING_TO_SAY


def could_be_no_change(text: str) -> bool:
    """Short, with nothing that turns it into a point or a complaint: may be judged by similarity."""
    bare = " ".join(_words(_normal(text)))
    return (
        0 < len(bare.split()) <= MAX_WORDS_SIMILAR
        and not _CONTRAST.search(bare)
        and not _COMPLAINT.search(bare)
        and not re.search(r"\b(?:not|no|never|didn't|don't|wasn't|isn't|couldn't)\b", bare)
    )


def said_no(text: str) -> bool:
    """True when the answer says no and nothing else ('No', 'Nope', 'Not really, thanks')."""
    return " ".join(_words(_normal(text))) in _BARE_NO


def asks_for_change(question: str, texts: Sequence[str], said: np.ndarray | None = None) -> bool:
    """Whether the question asks what could change: by its wording, or because at least
    ``ASKED_SHARE`` of its answers, bare "No"s left out, say by rule that nothing needs to
    (``said``: ``said_no_change`` of each text, when already known)."""
    if ASKS_FOR_CHANGE.search(question):
        return True
    if said is None:
        said = np.array([said_no_change(t) for t in texts], dtype=bool)
    others = ~np.array([said_no(t) for t in texts], dtype=bool)
    return bool(others.any()) and float(said[others].mean()) >= ASKED_SHARE


def find_no_change(
    texts: Sequence[str],
    embeddings: np.ndarray | None = None,
    embedder: Embedder | None = None,
    threshold: float = SIMILAR,
    takes_no: bool | None = None,
) -> np.ndarray:
    """A boolean mask over ``texts``: the answers that say nothing needs to change
    (``joins_by_rule``), where ``takes_no`` says whether the question asks what could change
    (``asks_for_change``; None decides from the answers alone). Where it does, with
    ``embeddings`` and ``embedder``, short answers the rules miss are also taken when they are
    at least ``threshold`` similar to a prototype ("Happy with the way things are")."""
    if takes_no is None:
        takes_no = asks_for_change("", texts, np.array([said_no_change(t) for t in texts]))
    mask = np.array([joins_by_rule(t, takes_no) for t in texts], dtype=bool)
    if not takes_no or embeddings is None or embedder is None or not len(texts):
        return mask
    candidates = np.flatnonzero(~mask & np.array([could_be_no_change(t) for t in texts]))
    if not len(candidates):
        return mask
    prototypes = unit_rows(embedder.embed(list(PROTOTYPES)))
    best = (unit_rows(embeddings[candidates]) @ prototypes.T).max(axis=1)
    mask[candidates[best >= threshold]] = True
    return mask


def group_theme(
    theme_id: int, texts: Sequence[str], members: Sequence[int], shown: int, label: str = LABEL
) -> Theme:
    """The 'nothing needs to change' group as a theme of ``kind`` KIND named ``label``:
    ``members`` are the positions of its answers in ``texts``; its representatives are the
    commonest ways of saying it ("Nothing", "Nothing at all", "All good")."""
    from collections import Counter

    first: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for position in members:
        key = " ".join(_words(_normal(texts[position])))
        counts[key] += 1
        first.setdefault(key, position)
    representatives = tuple(first[key] for key, _ in counts.most_common(shown))
    return Theme(theme_id, label, (), len(members), representatives, kind=KIND)
