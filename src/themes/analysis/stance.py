"""Whether a short text asks for something to change or praises what happened, so that a theme's
label never says the opposite of most of its answers.

The sentence model reads 'Arrived quicker' and 'They arrived very quickly' as nearly the same
text, so a theme of answers wishing the ambulance had come sooner could be labelled with praise,
and one praising patient transport 'More transport'. Word lists settle it where the model cannot:
a comparative ('quicker', 'more', 'better') or 'too long' asks for change, an unqualified word of
praise ('quickly', 'on time', 'helpful') praises, and a comparative after a negation praises
('could not have been better').
"""

from __future__ import annotations

import re
from collections.abc import Sequence

WISH = -1
PRAISE = 1
NEITHER = 0

_NEGATION = (
    r"(?:not|no|nothing|none|never|hardly|couldn't|can't|cannot|wouldn't|won't|don't|didn't)"
)
_PRAISING_COMPARATIVE = re.compile(
    rf"\b{_NEGATION}\b(?:\W+\w+){{0,5}}?\W+(?:more|better|bettered|quicker|faster|sooner"
    r"|happier)\b"
    r"|\bno\s+(?:complaints?|problems?|issues?|improvements?)\b|\bnothing\s+to\s+improve",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"\b(?:quicker|sooner|faster|earlier|more|better|less|fewer|shorter|improve\w*|wish"
    r"|(?:too|to|very|so)\s+(?:long|slow|late|busy)|long\s+wait\w*"
    r"|(?:could|should)\s+(?:have\s+)?(?:been|be)|would\s+(?:like|prefer)"
    r"|need(?:s|ed)?\s+to)\b",
    re.IGNORECASE,
)
_PRAISE_WORDS = (
    r"(?:good|great|excellent|helpful|friendly|kind|kindly|lovely|quick|quickly|prompt"
    r"|promptly|on\s+time|brilliant|fantastic|pleasant|polite|professional|caring|perfect"
    r"|wonderful|amazing|efficient|efficiently|superb|outstanding|reassuring|thank\w*"
    r"|nice|happy|pleased|satisfied|first\s+class)"
)
_PRAISING = re.compile(rf"\b{_PRAISE_WORDS}\b", re.IGNORECASE)
_COMPLAINING = re.compile(
    r"(?<!\bnot\s)\b(?:poor|poorly|terrible|awful|appalling|shocking|dreadful|horrendous"
    r"|disgusting|rubbish|useless|frustrat\w*|unhelpful|rude|hopeless|nightmare)\b",
    re.IGNORECASE,
)
"""A complaint asks for change as a wish does ('Poor', 'Frustrating', 'Communication is poor'):
a label that praises is refused over answers that mostly complain. Not after 'not' ('not
terrible')."""
_PRAISE_WITHHELD = re.compile(
    rf"(?:\bnot|n't|\bnever|\bmore|\bless|\bwould\s+(?:have\s+been|be))\s+"
    rf"(?:very\s+|so\s+|that\s+|as\s+|a\s+|an\s+|really\s+)?{_PRAISE_WORDS}\b",
    re.IGNORECASE,
)


_COMPARED = re.compile(
    r"\b(?:better|quicker|faster|easier|sooner|cheaper|nicer)\s+than\b", re.IGNORECASE
)
"""A comparison with something else ('Far better than going to A&E', 'Easier than phoning'):
praise, unless a wish comes before it in its sentence (``_WISHED_BEFORE``)."""
_WISHED_BEFORE = re.compile(
    r"\b(?:could|should|would|must|need\w*|wish\w*|hope\w*|want\w*|ought)\b[^.!?;]*$",
    re.IGNORECASE,
)


def _comparisons_as_praise(text: str) -> str:
    """``text`` with each comparison that praises written as 'good' ('It should be quicker than
    this' is left as it is)."""

    def praise(match: re.Match[str]) -> str:
        before = match.string[: match.start()]
        return match.group(0) if _WISHED_BEFORE.search(before) else "good"

    return _COMPARED.sub(praise, text)


def stance(text: str) -> int:
    """``WISH`` for a text that asks for change ('Arrived quicker', 'Waiting time was too long',
    'More transport', 'Staff could be more polite', 'Not very helpful', 'A cooked breakfast
    would be nice') or complains ('Frustrating', 'Communication is poor'), ``PRAISE`` for one
    that praises ('They arrived very quickly', 'Could not have been better', 'Nothing could
    have been done better', 'Far better than going to A&E'), ``NEITHER`` for one that does
    neither or both ('Patient transport', 'Good staff but the wait was too long')."""
    text = _comparisons_as_praise(text.replace("\u2019", "'"))
    if _PRAISING_COMPARATIVE.search(text):
        return PRAISE
    withheld = _PRAISE_WITHHELD.search(text)
    asking = bool(withheld or _ASKING.search(text) or _COMPLAINING.search(text))
    praising = bool(_PRAISING.search(_PRAISE_WITHHELD.sub(" ", text)))
    if asking == praising:
        return NEITHER
    return WISH if asking else PRAISE


OPPOSED_FROM = 0.15
"""A side (asking for change, praising) counts in a theme when at least this share of its short
answers take it."""
MIXED = 0.5
"""A theme is mixed when its smaller side is at least this share of its larger one."""
SHORT = 15
"""Answers of at most this many words are read for a theme's stance: longer ones often do both."""


def agreeing(candidates: Sequence[str], texts: Sequence[str]) -> list[str]:
    """The ``candidates`` (labels for the theme of ``texts``) whose stance does not go against
    what the theme's answers say: none that takes the side fewer answers take, and, where the
    answers are mixed ('Arrived quickly' beside 'Could have arrived sooner'), only those that
    take no side ('Response time') if there are any. All of them when none would be left."""
    short = [text for text in texts if len(text.split()) <= SHORT]
    if not short or len(candidates) < 2:
        return list(candidates)
    stances = [stance(text) for text in short]
    share = {side: stances.count(side) / len(stances) for side in (WISH, PRAISE)}
    smaller, larger = sorted(share.values())
    mixed = smaller >= OPPOSED_FROM and smaller >= MIXED * larger
    sides = {label: stance(label) for label in candidates}
    if mixed and any(side == NEITHER for side in sides.values()):
        return [label for label, side in sides.items() if side == NEITHER]
    kept = [
        label
        for label, side in sides.items()
        if side == NEITHER or not (share[-side] >= OPPOSED_FROM and share[-side] > share[side])
    ]
    return kept or list(candidates)
