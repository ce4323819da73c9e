"""Generate the synthetic sample survey ``gloucestershire_survey.csv``.

The output imitates a Microsoft Forms export (re-saved as UTF-8 CSV with a BOM)
of a public engagement survey about health and care in Gloucestershire. Every
free-text answer is drawn from hand-written pools of responses grouped by
topic (``answer_pools.json`` beside this script); no real person's data is used. The script is deterministic: the same
seed always produces byte-identical output.

Usage::

    python data/sample/make_sample.py [--seed 2026] [--n 680] [--out PATH]

Only the Python standard library is used.
"""

# The response pools are long natural-language strings; do not wrap them.
# ruff: noqa: E501

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

# ---------------------------------------------------------------------------
# Column headers
# ---------------------------------------------------------------------------

Q1 = "What are the top three things we could do to improve health and wellbeing in Gloucestershire?"
Q2 = (
    "Tell us about your experience of accessing health and care services "
    "(GP, hospital, community or social care)."
)
Q3 = (
    "How do you feel about using digital services such as online GP appointments, "
    "the NHS App or video consultations?"
)
Q_HEALTH = "How would you rate your overall health?"
Q_SERVICES = "Which services have you used in the last 12 months?"
Q_DISABILITY = "Do you consider yourself to have a disability or long-term condition?"
Q_CARER = "Are you an unpaid carer?"

HEADER: list[str] = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    Q1,
    Q2,
    Q3,
    Q_HEALTH,
    Q_SERVICES,
    "District",
    "Age band",
    "Gender",
    Q_DISABILITY,
    Q_CARER,
]

DEFAULT_SEED = 2026
DEFAULT_N = 680
DEFAULT_OUT = Path(__file__).resolve().parent / "gloucestershire_survey.csv"

PNTS = "Prefer not to say"

# ---------------------------------------------------------------------------
# Closed questions and demographics
# ---------------------------------------------------------------------------

DISTRICTS: list[tuple[str, float]] = [
    ("Gloucester", 0.21),
    ("Cheltenham", 0.20),
    ("Stroud", 0.19),
    ("Tewkesbury", 0.13),
    ("Forest of Dean", 0.13),
    ("Cotswold", 0.12),
    (PNTS, 0.02),
]
AGE_BANDS: list[tuple[str, float]] = [
    ("16-24", 0.05),
    ("25-34", 0.10),
    ("35-44", 0.14),
    ("45-54", 0.17),
    ("55-64", 0.21),
    ("65-74", 0.19),
    ("75+", 0.10),
    (PNTS, 0.04),
]
GENDERS: list[tuple[str, float]] = [
    ("Woman", 0.615),
    ("Man", 0.325),
    ("Non-binary", 0.012),
    ("Prefer to self-describe", 0.006),
    (PNTS, 0.042),
]
DISABILITY_YES_BY_AGE: dict[str, float] = {
    "16-24": 0.15,
    "25-34": 0.18,
    "35-44": 0.22,
    "45-54": 0.28,
    "55-64": 0.36,
    "65-74": 0.42,
    "75+": 0.58,
    PNTS: 0.30,
}
CARER_YES_BY_AGE: dict[str, float] = {
    "16-24": 0.08,
    "25-34": 0.10,
    "35-44": 0.15,
    "45-54": 0.22,
    "55-64": 0.26,
    "65-74": 0.20,
    "75+": 0.14,
    PNTS: 0.15,
}
HEALTH_OPTIONS: list[str] = ["Very good", "Good", "Fair", "Bad", "Very bad", PNTS]
SERVICE_OPTIONS: list[tuple[str, float]] = [
    ("GP practice", 0.76),
    ("Pharmacy", 0.66),
    ("NHS 111", 0.24),
    ("Emergency department (A&E)", 0.19),
    ("Minor injury unit", 0.12),
    ("Hospital outpatients", 0.36),
    ("Mental health services", 0.09),
    ("Social care", 0.06),
    ("Community nursing", 0.08),
    ("Dentist", 0.47),
]
# Q2 topic -> service that a respondent writing about it has very likely used.
Q2_TOPIC_SERVICE: dict[str, str] = {
    "ae_waits": "Emergency department (A&E)",
    "ambulance": "Emergency department (A&E)",
    "gp_phone": "GP practice",
    "reception": "GP practice",
    "continuity": "GP practice",
    "referral_waits": "Hospital outpatients",
    "social_care": "Social care",
    "community_nursing": "Community nursing",
    "mental_health": "Mental health services",
    "miu": "Minor injury unit",
    "pharmacy": "Pharmacy",
    "nhs111": "NHS 111",
    "dentist": "Dentist",
}

# ---------------------------------------------------------------------------
# Non-answers
# ---------------------------------------------------------------------------

# (text, weight). The empty string is a skipped question.
NON_ANSWERS: list[tuple[str, float]] = [
    ("", 30.0),
    ("n/a", 8.0),
    ("N/A", 8.0),
    ("N/a", 2.0),
    ("none", 4.0),
    ("None", 4.0),
    ("NA", 3.5),
    ("Nothing", 4.0),
    ("nothing", 2.0),
    ("nothing to add", 3.0),
    ("Nothing to add.", 1.0),
    ("No comment", 3.0),
    ("-", 3.0),
    (".", 2.0),
    ("not sure", 3.0),
    ("Not sure", 2.0),
    ("don't know", 2.0),
    ("Don't know", 2.0),
    ("no", 2.0),
    ("No", 1.0),
    ("x", 1.0),
]

# ---------------------------------------------------------------------------
# Free-text pools.
#
# Each item is either plain text or (text, tags). Tags restrict an item to
# plausible respondents (for example an answer that says "I am 81" only goes to
# someone in the 75+ band); see TAG_RULES.
# ---------------------------------------------------------------------------

Item = str | tuple[str, str]
POOLS = json.loads((Path(__file__).resolve().parent / "answer_pools.json").read_text("utf-8"))
"""The hand-written answers, by question and topic, and the words that vary them."""


def _items(pool: dict[str, list[str | list[str]]]) -> dict[str, list[Item]]:
    """A pool as the generator deals it: an answer, or (answer, respondent tags)."""
    return {
        topic: [item if isinstance(item, str) else (item[0], item[1]) for item in items]
        for topic, items in pool.items()
    }

Q1_POOL: dict[str, list[Item]] = _items(POOLS["q1_pool"])

# Short phrases people put in Q1 lists ("1. GP appointments 2. dentists 3. parks").
Q1_FRAGMENTS: dict[str, list[str]] = POOLS["q1_fragments"]

Q1_WEIGHTS: dict[str, float] = {
    "gp_access": 16,
    "waiting_lists": 9,
    "mental_health": 12,
    "carers": 5,
    "loneliness": 6,
    "active": 8,
    "food": 6,
    "cost_housing": 7,
    "transport_rural": 5,
    "dentists": 7,
    "smoking_vaping": 3,
    "prevention": 4,
    "staff": 6,
    "joined_up": 4,
    "community": 5,
    "drugs_alcohol": 3,
    "other": 4,
    "general": 2,
}

Q2_POOL: dict[str, list[Item]] = _items(POOLS["q2_pool"])

Q2_WEIGHTS: dict[str, float] = {
    "kind_staff": 11,
    "ae_waits": 9,
    "gp_phone": 15,
    "reception": 5,
    "referral_waits": 9,
    "social_care": 5,
    "community_nursing": 3,
    "mental_health": 6,
    "miu": 3,
    "pharmacy": 4,
    "parking": 4,
    "communication": 7,
    "continuity": 5,
    "ambulance": 3.5,
    "nhs111": 2.5,
    "dentist": 2.5,
    "maternity_children": 2.5,
    "mixed": 4,
    "not_used": 1.5,
}
Q2_POSITIVE = {"kind_staff", "miu", "community_nursing"}

Q3_POOL: dict[str, list[Item]] = _items(POOLS["q3_pool"])

Q3_WEIGHTS: dict[str, float] = {
    "app_happy": 15,
    "prefer_f2f": 12,
    "digital_exclusion": 8,
    "rural_broadband": 3,
    "video_convenient": 7,
    "privacy": 5,
    "online_forms": 6,
    "choice_both": 11,
    "family_help": 3,
    "accessibility": 4,
    "tech_issues": 4,
    "not_tried": 1.5,
}
Q3_POSITIVE = {"app_happy", "video_convenient"}

# ---------------------------------------------------------------------------
# Light variation: prefixes, suffixes, typos, texting style
# ---------------------------------------------------------------------------

PREFIXES: dict[str, list[str]] = POOLS["prefixes"]
SUFFIXES: dict[str, list[str]] = POOLS["suffixes"]

MISSPELLINGS: dict[str, list[str]] = POOLS["misspellings"]
EMPHASIS_WORDS: list[str] = POOLS["emphasis_words"]
PROPER_FIRST_WORDS = {
    "Gloucestershire",
    "Gloucester",
    "Cheltenham",
    "Stroud",
    "Tewkesbury",
    "Cotswold",
    "Cotswolds",
    "Forest",
    "Cinderford",
    "Lydney",
    "Cirencester",
    "Moreton-in-Marsh",
    "English",
    "Carer's",
    "Changing",
    "Pharmacy",
    "Macmillan",
    "Men's",
}
# Topics whose answers stand alone ("I haven't used any services") and are never combined.
NOT_COMBINED = {"not_used", "not_tried"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

# ---------------------------------------------------------------------------
# Respondents and tags
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    """Demographic answers of one synthetic respondent."""

    district: str
    age: str
    gender: str
    disability: str
    carer: str


def _age_in(r: Respondent, bands: Sequence[str]) -> bool:
    return r.age == PNTS or r.age in bands


def _district_in(r: Respondent, districts: Sequence[str]) -> bool:
    return r.district == PNTS or r.district in districts


TAG_RULES: dict[str, Callable[[Respondent], bool]] = {
    "16-24": lambda r: _age_in(r, ["16-24"]),
    "65-74": lambda r: _age_in(r, ["65-74"]),
    "75+": lambda r: _age_in(r, ["75+"]),
    "young": lambda r: _age_in(r, ["16-24", "25-34"]),
    "youngparent": lambda r: _age_in(r, ["25-34", "35-44"]),
    "parent": lambda r: _age_in(r, ["25-34", "35-44", "45-54", "55-64"]),
    "adultchild": lambda r: _age_in(r, ["35-44", "45-54", "55-64", "65-74"]),
    "working": lambda r: _age_in(r, ["16-24", "25-34", "35-44", "45-54", "55-64"]),
    "notold": lambda r: _age_in(r, ["16-24", "25-34", "35-44", "45-54", "55-64"]),
    "older": lambda r: _age_in(r, ["55-64", "65-74", "75+"]),
    "old": lambda r: _age_in(r, ["65-74", "75+"]),
    "carer": lambda r: r.carer == "Yes",
    "woman": lambda r: r.gender in ("Woman", PNTS),
    "man": lambda r: r.gender in ("Man", PNTS),
    "fod": lambda r: _district_in(r, ["Forest of Dean"]),
    "cots": lambda r: _district_in(r, ["Cotswold"]),
    "rural": lambda r: _district_in(r, ["Forest of Dean", "Cotswold", "Stroud", "Tewkesbury"]),
    "glos": lambda r: _district_in(r, ["Gloucester"]),
    "chelt": lambda r: _district_in(r, ["Cheltenham", "Tewkesbury"]),
}


def split_item(item: Item) -> tuple[str, str]:
    """Return (text, tags) for a pool item."""
    if isinstance(item, tuple):
        return item
    return item, ""


def tags_ok(tags: str, r: Respondent) -> bool:
    """True when every comma-separated tag fits the respondent."""
    return all(TAG_RULES[t](r) for t in tags.split(",") if t)


def weighted_choice(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    """Pick one option from (value, weight) pairs."""
    values = [v for v, _ in options]
    weights = [w for _, w in options]
    return rng.choices(values, weights=weights, k=1)[0]


def make_respondent(rng: random.Random) -> Respondent:
    """Draw correlated demographics for one respondent."""
    district = weighted_choice(rng, DISTRICTS)
    age = weighted_choice(rng, AGE_BANDS)
    gender = weighted_choice(rng, GENDERS)
    if rng.random() < 0.05:
        disability = PNTS
    else:
        disability = "Yes" if rng.random() < DISABILITY_YES_BY_AGE[age] else "No"
    if rng.random() < 0.04:
        carer = PNTS
    else:
        carer = "Yes" if rng.random() < CARER_YES_BY_AGE[age] else "No"
    return Respondent(district, age, gender, disability, carer)


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------


def lower_first(text: str) -> str:
    """Lower-case the first letter unless it starts an acronym, 'I' or a place name."""
    if not text:
        return text
    first = text.split(" ", 1)[0].rstrip(",.:;!?")
    if (
        first in PROPER_FIRST_WORDS
        or first == "I"
        or first.startswith(("I'", "I’"))
        or (len(first) > 1 and first[1].isupper())
        or first.isupper()
        or first[0].isdigit()
    ):
        return text
    return text[0].lower() + text[1:]


def capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def ensure_stop(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def inject_typo(text: str, rng: random.Random) -> str:
    """Introduce one realistic spelling mistake."""
    words = re.findall(r"[A-Za-z]+", text)
    known = [w for w in words if w in MISSPELLINGS or w.lower() in MISSPELLINGS]
    if rng.random() < 0.85:  # "teh" would otherwise dominate, "the" is in almost every answer
        known = [w for w in known if w.lower() != "the"]
    if known and rng.random() < 0.75:
        word = rng.choice(known)
        key = word if word in MISSPELLINGS else word.lower()
        wrong = rng.choice(MISSPELLINGS[key])
        if word[0].isupper() and not wrong[0].isupper():
            wrong = capitalise_first(wrong)
        return re.sub(rf"\b{re.escape(word)}\b", wrong, text, count=1)
    long_words = [w for w in words if len(w) >= 5]
    if not long_words:
        return text
    word = rng.choice(long_words)
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.45:  # swap two neighbouring letters
        wrong = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif kind < 0.8:  # drop a letter
        wrong = word[:i] + word[i + 1 :]
    else:  # double a letter
        wrong = word[:i] + word[i] + word[i:]
    return re.sub(rf"\b{re.escape(word)}\b", wrong, text, count=1)


def texting_style(text: str, rng: random.Random) -> str:
    """All lower case, no apostrophes, no final full stop, the odd abbreviation."""
    t = text.lower().replace("'", "").replace("’", "").rstrip(".")
    if rng.random() < 0.4:
        t = re.sub(r"\byou\b", "u", t)
    if rng.random() < 0.5:
        t = re.sub(r"\bbecause\b", "cos", t)
    if rng.random() < 0.3:
        t = t.replace(" and ", " & ")
    return t


def shout_word(text: str, rng: random.Random) -> str:
    """Put one emphatic word in capitals, if there is one."""
    present = [w for w in EMPHASIS_WORDS if re.search(rf"\b{w}\b", text)]
    if not present:
        return text
    w = rng.choice(present)
    return re.sub(rf"\b{w}\b", w.upper(), text, count=1)


def smart_quotes(text: str) -> str:
    return text.replace("'", "’")


# ---------------------------------------------------------------------------
# Drawing base responses
# ---------------------------------------------------------------------------


class Deck:
    """Shuffled base responses for one topic, dealt without replacement until exhausted."""

    def __init__(self, items: Sequence[Item], rng: random.Random) -> None:
        self._items = list(items)
        self._rng = rng
        self._cards: list[Item] = []

    def _refill(self) -> None:
        fresh = list(self._items)
        self._rng.shuffle(fresh)
        self._cards.extend(fresh)

    def draw(self, r: Respondent, max_len: int | None = None, min_len: int = 0) -> str | None:
        """Deal the next response that fits the respondent and length limits, or None."""
        for _ in range(2):
            for i, item in enumerate(self._cards):
                text, tags = split_item(item)
                if tags_ok(tags, r) and min_len <= len(text) <= (max_len or len(text)):
                    del self._cards[i]
                    return text
            self._refill()
        return None


class QuestionWriter:
    """Writes answers to one free-text question."""

    def __init__(
        self,
        key: str,
        pool: dict[str, list[Item]],
        base_weights: dict[str, float],
        weight_fn: Callable[[Respondent, dict[str, float]], dict[str, float]],
        rng: random.Random,
        p_nonanswer: float,
        p_combo: float,
        p_list: float = 0.0,
        fragments: dict[str, list[str]] | None = None,
        positive: set[str] | None = None,
    ) -> None:
        self.key = key
        self.rng = rng
        self.decks = {topic: Deck(items, rng) for topic, items in pool.items()}
        self.base_weights = base_weights
        self.weight_fn = weight_fn
        self.p_nonanswer = p_nonanswer
        self.p_combo = p_combo
        self.p_list = p_list
        self.fragments = fragments or {}
        self.positive = positive or set()
        self.seen: set[str] = set()

    # -- topic choice -------------------------------------------------------
    def _topics(self, r: Respondent, k: int, combining: bool = False) -> list[str]:
        weights = self.weight_fn(r, dict(self.base_weights))
        chosen: list[str] = []
        while len(chosen) < k:
            names = [
                t for t in weights if t not in chosen and not (combining and t in NOT_COMBINED)
            ]
            chosen.append(self.rng.choices(names, weights=[weights[t] for t in names], k=1)[0])
        return chosen

    def _draw(self, topic: str, r: Respondent, max_len: int | None = None, min_len: int = 0) -> str:
        text = self.decks[topic].draw(r, max_len, min_len)
        if text is None:  # nothing fits this respondent: fall back to any response of the topic
            text = self.decks[topic].draw(
                Respondent(PNTS, PNTS, PNTS, PNTS, "Yes"), max_len, min_len
            )
        assert text is not None
        return text

    # -- answer shapes ------------------------------------------------------
    def _single(self, r: Respondent) -> tuple[str, list[str]]:
        topic = self._topics(r, 1)[0]
        return self._draw(topic, r), [topic]

    def _combo(self, r: Respondent) -> tuple[str, list[str]]:
        k = 2 if self.rng.random() < 0.72 else 3
        topics = self._topics(r, k, combining=True)
        min_len = 12 if self.key == "q1" else 25
        parts = [ensure_stop(self._draw(t, r, max_len=170, min_len=min_len)) for t in topics]
        style = self.rng.random()
        if self.key == "q1" and k == 3 and style < 0.3:
            text = (
                f"Firstly {lower_first(parts[0])} Secondly {lower_first(parts[1])} "
                f"Thirdly {lower_first(parts[2])}"
            )
        elif style < 0.55:
            text = " ".join(parts)
        elif style < 0.75:
            text = "\n\n".join(parts) if self.key != "q1" else "\n".join(parts)
        else:
            text = parts[0]
            for topic, part in zip(topics[1:], parts[1:], strict=True):
                contrast = (topics[0] in self.positive) != (topic in self.positive)
                if contrast and self.key != "q1":
                    text += (
                        " "
                        + self.rng.choice(["However, ", "But ", "On the other hand, "])
                        + lower_first(part)
                    )
                elif self.key == "q3":
                    text += " " + part
                else:
                    joiner = self.rng.choice(
                        ["Also ", "And ", "Also, "] if self.key == "q1" else ["Also ", "Also, "]
                    )
                    text += " " + joiner + lower_first(part)
        return text, topics

    def _list(self, r: Respondent) -> tuple[str, list[str]]:
        k = self.rng.choices([2, 3, 4, 5], weights=[22, 66, 8, 4], k=1)[0]
        topics = self._topics(r, k)
        items: list[str] = []
        for topic in topics:
            if self.rng.random() < 0.25:
                items.append(self._draw(topic, r, max_len=90).rstrip("."))
            else:
                items.append(self.rng.choice(self.fragments[topic]))
        style = self.rng.randrange(9)
        cap = [capitalise_first(i) for i in items]
        if style == 0:
            return " ".join(f"{n}. {t}" for n, t in enumerate(cap, 1)), topics
        if style == 1:
            return "\n".join(f"{n}) {t}" for n, t in enumerate(items, 1)), topics
        if style == 2:
            return "\n".join(f"{n}. {t}" for n, t in enumerate(cap, 1)), topics
        if style == 3:
            return capitalise_first(", ".join(items)), topics
        if style == 4:
            return capitalise_first(", ".join(items[:-1]) + " and " + items[-1]), topics
        if style == 5:
            return "\n".join(cap), topics
        if style == 6:
            return "\n".join(f"- {t}" for t in items), topics
        if style == 7:
            return " ".join(ensure_stop(t) for t in cap), topics
        return " ".join(f"{n} {t.lower()}" for n, t in enumerate(items, 1)), topics

    # -- variation ------------------------------------------------------------
    def _vary(self, text: str, r: Respondent, topics: list[str]) -> str:
        rng = self.rng
        ops = ["lower", "stop", "prefix", "suffix", "first", "text", "extend"]
        if rng.random() < 0.35:
            ops.append("typo")
        for op in rng.sample(ops, k=rng.choice([1, 1, 2])):
            if op == "lower":
                text = lower_first(text)
            elif op == "stop":
                text = text.rstrip(".") if text.endswith(".") else text + "."
            elif op == "prefix":
                text = rng.choice(PREFIXES[self.key]) + lower_first(text)
            elif op == "suffix":
                sep = " " if text.endswith((".", "!", "?")) or rng.random() < 0.3 else ". "
                text = text + sep + rng.choice(SUFFIXES[self.key])
            elif op == "first":
                sentences = SENTENCE_END.split(text)
                if len(sentences) > 1:
                    text = sentences[0]
            elif op == "typo":
                text = inject_typo(text, rng)
            elif op == "text":
                text = texting_style(text, rng)
            else:
                other = self._topics(r, 1, combining=True)[0]
                if other not in topics and other not in NOT_COMBINED:
                    text = ensure_stop(text) + " " + self._draw(other, r, max_len=120, min_len=25)
        return text

    # -- public -------------------------------------------------------------------
    def non_answer(self) -> str:
        return weighted_choice(self.rng, NON_ANSWERS)

    def answer(self, r: Respondent) -> tuple[str, list[str]]:
        """Return (answer text, topics used); topics is empty for a non-answer."""
        rng = self.rng
        u = rng.random()
        if u < self.p_nonanswer:
            return self.non_answer(), []
        u = rng.random()
        if u < self.p_list:
            text, topics = self._list(r)
        elif u < self.p_list + self.p_combo:
            text, topics = self._combo(r)
        else:
            text, topics = self._single(r)

        # Surface noise, independent of reuse.
        if rng.random() < 0.07:
            text = inject_typo(text, rng)
            if rng.random() < 0.2:
                text = inject_typo(text, rng)
        if rng.random() < 0.035:
            text = texting_style(text, rng)
        if rng.random() < 0.025:
            text = shout_word(text, rng)
        if rng.random() < 0.01:
            text = smart_quotes(text)
        if rng.random() < 0.02:
            text = text + " "

        # Someone else already wrote exactly this: usually vary it a little.
        if text in self.seen and rng.random() > 0.04:
            for _ in range(8):
                text = self._vary(text, r, topics)
                if text not in self.seen:
                    break
        self.seen.add(text)
        return text, topics


# ---------------------------------------------------------------------------
# Demographic tilts on topic weights
# ---------------------------------------------------------------------------


def q1_tilt(r: Respondent, w: dict[str, float]) -> dict[str, float]:
    if r.carer == "Yes":
        w["carers"] *= 3.5
    if r.age in ("65-74", "75+"):
        w["loneliness"] *= 2.0
        w["waiting_lists"] *= 1.4
        w["mental_health"] *= 0.6
    if r.age in ("16-24", "25-34"):
        w["mental_health"] *= 1.7
        w["active"] *= 1.3
        w["cost_housing"] *= 1.4
    if r.district in ("Forest of Dean", "Cotswold"):
        w["transport_rural"] *= 3.0
        w["dentists"] *= 1.3
    if r.district == "Gloucester":
        w["drugs_alcohol"] *= 1.5
        w["cost_housing"] *= 1.2
    return w


def q2_tilt(r: Respondent, w: dict[str, float]) -> dict[str, float]:
    if r.carer == "Yes":
        w["social_care"] *= 2.5
        w["community_nursing"] *= 1.8
    if r.age in ("65-74", "75+"):
        w["social_care"] *= 1.6
        w["kind_staff"] *= 1.2
        w["mental_health"] *= 0.5
    if r.age in ("16-24", "25-34"):
        w["mental_health"] *= 1.8
    if r.age in ("35-44", "45-54", "55-64"):
        w["gp_phone"] *= 1.2
    if r.district in ("Forest of Dean", "Cotswold"):
        w["ambulance"] *= 1.8
        w["miu"] *= 1.4
    if r.district in ("Gloucester", "Cheltenham"):
        w["parking"] *= 1.3
    return w


def q3_tilt(r: Respondent, w: dict[str, float]) -> dict[str, float]:
    if r.age == "75+":
        w["digital_exclusion"] *= 4.0
        w["family_help"] *= 3.0
        w["video_convenient"] *= 0.3
        w["app_happy"] *= 0.5
    elif r.age == "65-74":
        w["digital_exclusion"] *= 2.5
        w["family_help"] *= 1.8
        w["prefer_f2f"] *= 1.4
        w["video_convenient"] *= 0.5
    elif r.age in ("16-24", "25-34", "35-44"):
        w["digital_exclusion"] *= 0.4
        w["app_happy"] *= 1.3
        w["video_convenient"] *= 1.6
    elif r.age in ("45-54", "55-64"):
        w["video_convenient"] *= 1.3
    if r.carer == "Yes":
        w["family_help"] *= 1.8
    if r.district in ("Forest of Dean", "Cotswold"):
        w["rural_broadband"] *= 3.5
    if r.disability == "Yes":
        w["accessibility"] *= 1.8
    return w


# ---------------------------------------------------------------------------
# Closed questions and timestamps
# ---------------------------------------------------------------------------


def health_rating(r: Respondent, rng: random.Random) -> str:
    """Self-rated health, worse with age and with a long-term condition."""
    if rng.random() < 0.006:
        return ""
    age_idx = {
        "16-24": 0,
        "25-34": 1,
        "35-44": 2,
        "45-54": 3,
        "55-64": 4,
        "65-74": 5,
        "75+": 6,
    }.get(r.age, 3)
    shift = age_idx * 0.25 + (1.3 if r.disability == "Yes" else 0.0)
    weights = [
        max(0.2, 3.0 - shift),  # Very good
        max(1.0, 5.0 - shift * 0.6),  # Good
        2.0 + shift * 0.8,  # Fair
        0.4 + shift * 0.4,  # Bad
        0.1 + shift * 0.12,  # Very bad
        0.25,  # Prefer not to say
    ]
    return rng.choices(HEALTH_OPTIONS, weights=weights, k=1)[0]


def services_used(r: Respondent, q2_topics: list[str], rng: random.Random) -> str:
    """Microsoft Forms multi-select: options in form order, each followed by ';'."""
    if rng.random() < 0.01:
        return ""
    forced = {Q2_TOPIC_SERVICE[t] for t in q2_topics if t in Q2_TOPIC_SERVICE}
    older = r.age in ("65-74", "75+")
    chosen: list[str] = []
    for option, p in SERVICE_OPTIONS:
        if option == "Social care" and (older or r.carer == "Yes"):
            p *= 2.5
        if option == "Community nursing" and older:
            p *= 2.0
        if option == "Mental health services" and r.age in ("16-24", "25-34"):
            p *= 2.0
        if option == "Hospital outpatients" and (older or r.disability == "Yes"):
            p *= 1.4
        if option in forced or rng.random() < p:
            chosen.append(option)
    return "".join(f"{c};" for c in chosen)


SURVEY_START = datetime(2026, 9, 1)
SURVEY_END = datetime(2026, 11, 30, 23, 59, 59)
HOUR_WEIGHTS: list[float] = [
    0.2,
    0.1,
    0.05,
    0.05,
    0.05,
    0.2,
    0.6,
    1.5,
    2.2,
    2.4,
    2.3,
    2.2,
    3.0,
    3.1,
    2.2,
    2.0,
    2.0,
    2.2,
    2.6,
    3.2,
    3.4,
    3.0,
    1.8,
    0.7,
]


def day_weight(day: int, start: datetime) -> float:
    """Launch burst, a mid-October reminder and a closing push."""
    w = 1.0 + 4.0 * math.exp(-day / 5.0)
    w += 2.5 * math.exp(-(((day - 44) / 3.0) ** 2))
    w += 1.8 * math.exp(-(((day - 85) / 2.5) ** 2))
    if (start + timedelta(days=day)).weekday() >= 5:
        w *= 0.75
    return w


def timestamps(n_chars: int, rng: random.Random) -> tuple[datetime, datetime]:
    """Start and completion times; longer answers take longer to write."""
    n_days = (SURVEY_END - SURVEY_START).days + 1
    day_weights = [day_weight(d, SURVEY_START) for d in range(n_days)]
    while True:
        day = rng.choices(range(n_days), weights=day_weights, k=1)[0]
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS, k=1)[0]
        start = SURVEY_START + timedelta(
            days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)
        )
        seconds = 180 + n_chars * rng.uniform(0.35, 0.9) + rng.expovariate(1 / 150)
        seconds = min(seconds, 1500 - rng.randrange(0, 120))
        end = start + timedelta(seconds=int(seconds))
        if end <= SURVEY_END:
            return start, end


def forms_time(dt: datetime) -> str:
    """Microsoft Forms export style: M/D/YYYY H:MM:SS."""
    return f"{dt.month}/{dt.day}/{dt.year} {dt.hour}:{dt.minute:02d}:{dt.second:02d}"


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def build_rows(n: int, seed: int) -> list[list[str]]:
    """Build the header and n data rows, sorted by completion time."""
    rng = random.Random(seed)
    q1 = QuestionWriter(
        "q1",
        Q1_POOL,
        Q1_WEIGHTS,
        q1_tilt,
        rng,
        p_nonanswer=0.065,
        p_combo=0.09,
        p_list=0.15,
        fragments=Q1_FRAGMENTS,
    )
    q2 = QuestionWriter(
        "q2",
        Q2_POOL,
        Q2_WEIGHTS,
        q2_tilt,
        rng,
        p_nonanswer=0.062,
        p_combo=0.22,
        positive=Q2_POSITIVE,
    )
    q3 = QuestionWriter(
        "q3",
        Q3_POOL,
        Q3_WEIGHTS,
        q3_tilt,
        rng,
        p_nonanswer=0.062,
        p_combo=0.19,
        positive=Q3_POSITIVE,
    )

    records: list[tuple[datetime, datetime, list[str]]] = []
    for _ in range(n):
        r = make_respondent(rng)
        if rng.random() < 0.02:  # answered only the closed questions
            a1, a2, a3 = "", "", ""
            t2: list[str] = []
        else:
            a1, _ = q1.answer(r)
            a2, t2 = q2.answer(r)
            a3, _ = q3.answer(r)
        start, end = timestamps(len(a1) + len(a2) + len(a3), rng)
        row = [
            "",  # ID, filled in after sorting
            forms_time(start),
            forms_time(end),
            "anonymous",
            "",
            a1,
            a2,
            a3,
            health_rating(r, rng),
            services_used(r, t2, rng),
            r.district,
            r.age,
            r.gender,
            r.disability,
            r.carer,
        ]
        records.append((end, start, row))

    records.sort(key=lambda rec: (rec[0], rec[1]))
    rows = [HEADER]
    for i, (_, _, row) in enumerate(records, 1):
        row[0] = str(i)
        rows.append(row)
    return rows


def write_csv(rows: list[list[str]], out: Path) -> None:
    """Write UTF-8 with BOM and CRLF line endings, as Excel does."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_MINIMAL).writerows(rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="number of respondents")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = build_rows(args.n, args.seed)
    write_csv(rows, args.out)
    print(f"wrote {len(rows) - 1} responses to {args.out}")


if __name__ == "__main__":
    main()
