"""Redaction of text meant for publication: emails, UK phone numbers, NHS numbers, postcodes and
names (after a title or role, written alone where the named-entity model is installed, or from a
list the user supplies), replaced by typed placeholders, with a log of what was replaced and why,
and a list of numbers a person should check.

Everything runs locally on patterns, the ``phonenumbers`` package's UK metadata and spaCy's small
English pipeline (``themes.privacy.names``); no text leaves the machine. A person reviews the rest.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What was found; the value is the placeholder's text."""

    EMAIL = "email"
    NHS_NUMBER = "NHS number"
    PHONE = "phone"
    POSTCODE = "postcode"
    NAME = "name"


PRIORITY = [Kind.EMAIL, Kind.NHS_NUMBER, Kind.PHONE, Kind.POSTCODE, Kind.NAME]

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Ten digits, grouped by single spaces, hyphens or dots (3-3-4 or any other grouping).
_TEN_DIGITS = re.compile(r"(?<![\d.,/:-])\d(?:(?: {1,2}| ?[.-] ?)?\d){9}(?![\d/:]|[.,-]\d)")
UK_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)44\s?\(0\)\s?|(?:\+|00)44\s?|\(?0)(?:\d[\s).-]{0,2}){9,10}(?![\d])"
)
POSTCODE = re.compile(
    r"\b(GIR {0,2}0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9]"
    r"[ABEHMNPRVWXY]) {0,2}[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_OUTWARD = re.compile(r"\b[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPSTUW]?\b(?!\s?[0-9][A-Z]{2})")
_TITLES = (
    "dr|doctor|mr|mrs|ms|miss|mx|prof|professor|sir|dame|rev|reverend|father|nurse|sister|"
    "matron|midwife|consultant|surgeon|paramedic|receptionist|physio|physiotherapist|carer|"
    "therapist|pharmacist|gp|health visitor|social worker|dentist|optician|porter|cleaner|"
    "manager|sergeant|officer|staff nurse|charge nurse|ward sister|healthcare assistant|hca"
)
_NAME_WORD = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
_TITLED = re.compile(
    rf"\b(?P<title>(?i:{_TITLES}))(?P<sep>\.\s*|\s+)(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)"
)
# Only abbreviations take a full stop before the name; after 'nurse.' a new sentence starts.
_ABBREVIATIONS = frozenset("dr mr mrs ms mx prof rev".split())
_TITLED_LOWER = re.compile(rf"\b(?i:(?:{_TITLES}))(?:\.\s*|\s+)(?P<name>[a-z][a-z'’-]+)")
# Capitalised words after a title that are not names ("Nurse Practitioner", "Dr Foster" is kept
# by the keep list if a team wants it).
NOT_NAMES = frozenset(
    """practitioner practice surgery appointment appointments team unit ward wards station led
    who the and at in on of for was is said told from with but did has had were very also then
    there they she he it we i a an this that service services department clinic hospital centre
    nhs a&e gp gps men women on-call out-of-hours lead leads specialist associate assistant visitor worker
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today yesterday tomorrow""".split()
)


def common_words() -> frozenset[str]:
    """Words that are never names here: English stop words and common feedback words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | frozenset(
        """rude kind lovely great good helpful nice friendly amazing brilliant excellent
        fantastic caring busy late told said asked gave called came saw seen explained listened
        appointment appointments practitioner services service team staff really so just support
        group groups care home line lines information advice room rooms bay reception desk
        please thanks thank overall excellent outstanding visit visits day""".split()
    )


_COMMON = common_words()


@dataclass(frozen=True)
class Redaction:
    """One replaced piece of text."""

    kind: Kind
    start: int
    end: int
    original: str
    rule: str


@dataclass(frozen=True)
class Flag:
    """Something a person should look at before publishing (not replaced)."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class RedactionSettings:
    """What a team adds to the rules.

    Attributes:
        names: names of staff, patients, wards or practices to redact wherever they appear.
        keep: words or phrases never redacted (e.g. a charity called 'Dr Foster').
        outward_postcodes: also redact outward codes on their own ('GL1'): safer in small areas.
    """

    names: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    outward_postcodes: bool = False


@dataclass(frozen=True)
class Redacted:
    """A text after redaction, with the log and the flags."""

    original: str
    text: str
    redactions: tuple[Redaction, ...] = ()
    flags: tuple[Flag, ...] = field(default=())


def nhs_number_valid(digits: str) -> bool:
    """The NHS Data Dictionary's Modulus 11 check on a 10-digit string."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _phones(text: str) -> list[tuple[int, int, str]]:
    """UK phone numbers: the phonenumbers package's matcher for region GB, and a pattern for the
    forms it declines (e.g. numbers reserved for drama that are still someone's format)."""
    import phonenumbers

    found = [
        (match.start, match.end, "phone number (phonenumbers, region GB)")
        for match in phonenumbers.PhoneNumberMatcher(
            text, "GB", leniency=phonenumbers.Leniency.VALID
        )
    ]
    for match in UK_PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if match.group().startswith(("+44", "0044")):
            digits = digits[4:] if digits.startswith("0044") else digits[2:]
        digits = digits[1:] if digits.startswith("0") else digits
        if len(digits) in (9, 10):
            end = match.end()
            while end > match.start() and not text[end - 1].isdigit():
                end -= 1
            found.append((match.start(), end, "UK phone number pattern"))
    return found


def titled_names(text: str) -> list[tuple[int, int]]:
    """Spans of capitalised names after a title or role ("Dr [Patel]", "nurse [Sarah Jones]")."""
    found = []
    for match in _TITLED.finditer(text):
        sep = match.group("sep")
        if (
            sep.startswith(".")
            and sep != "."
            and match.group("title").lower() not in _ABBREVIATIONS
        ):
            continue
        words = match.group("name").split()
        while words and (words[-1].lower() in NOT_NAMES or words[-1].lower() in _COMMON):
            words.pop()
        if not words or words[0].lower() in NOT_NAMES or words[0].lower() in _COMMON:
            continue
        start = match.start("name")
        found.append((start, start + len(" ".join(words))))
    return found


def _model_names(text: str) -> list[tuple[int, int]]:
    """Names written alone, from the named-entity model when installed and the list of first
    names it reads them beside (``themes.privacy.names``)."""
    from themes.privacy.names import person_spans

    return [
        (start, end)
        for start, end in person_spans([text])[0]
        if text[start:end].lower() not in _COMMON
    ]


def _find(text: str, settings: RedactionSettings) -> tuple[list[Redaction], list[Flag]]:
    spans: list[Redaction] = []
    flags: list[Flag] = []
    for match in EMAIL.finditer(text):
        spans.append(Redaction(Kind.EMAIL, match.start(), match.end(), match.group(), "email"))
    for match in _TEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if digits.startswith("0"):
            continue  # a UK phone number's national form, handled below
        if nhs_number_valid(digits):
            spans.append(
                Redaction(
                    Kind.NHS_NUMBER,
                    match.start(),
                    match.end(),
                    match.group(),
                    "10 digits passing the NHS Modulus 11 check",
                )
            )
        else:
            flags.append(
                Flag(
                    match.start(),
                    match.end(),
                    match.group(),
                    "10-digit number that fails the NHS number check: could be a mistyped NHS number",
                )
            )
    for start, end, rule in _phones(text):
        spans.append(Redaction(Kind.PHONE, start, end, text[start:end], rule))
    for match in POSTCODE.finditer(text):
        spans.append(
            Redaction(Kind.POSTCODE, match.start(), match.end(), match.group(), "UK postcode")
        )
    if settings.outward_postcodes:
        for match in _OUTWARD.finditer(text):
            spans.append(
                Redaction(
                    Kind.POSTCODE, match.start(), match.end(), match.group(), "postcode district"
                )
            )
    for start, end in titled_names(text):
        spans.append(
            Redaction(Kind.NAME, start, end, text[start:end], "name after a title or role")
        )
    for match in _TITLED_LOWER.finditer(text):
        word = match.group("name")
        if word not in NOT_NAMES and word not in _COMMON:
            flags.append(
                Flag(
                    match.start("name"),
                    match.end("name"),
                    word,
                    "lower-case word after a title or role: could be a name",
                )
            )
    listed = _any_of(settings.names)
    if listed is not None:
        for match in listed.finditer(text):
            spans.append(
                Redaction(Kind.NAME, match.start(), match.end(), match.group(), "name list")
            )
    for start, end in _model_names(text):
        spans.append(
            Redaction(
                Kind.NAME,
                start,
                end,
                text[start:end],
                "person's name (named-entity model, list of first names)",
            )
        )
    return spans, flags


@functools.lru_cache(maxsize=32)
def _any_of(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for a whole list of names or phrases (longest first, whole words, any case):
    a team's list of thousands of names costs one scan of each text, not thousands."""
    words = sorted({" ".join(p.split()) for p in phrases if p.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )


def _kept(text: str, span: Redaction, keep: tuple[str, ...]) -> bool:
    pattern = _any_of(keep)
    if pattern is None:
        return False
    return any(m.start() <= span.start and span.end <= m.end() for m in pattern.finditer(text))


def redact(text: str, settings: RedactionSettings | None = None) -> Redacted:
    """Replace identifiers with typed placeholders ('[name]', '[NHS number]', ...)."""
    settings = settings or RedactionSettings()
    spans, flags = _find(text, settings)
    spans = [s for s in spans if not _kept(text, s, settings.keep)]
    # Keep the widest span where spans overlap; on equal width, the higher-priority kind.
    spans.sort(key=lambda s: (s.start, -(s.end - s.start), PRIORITY.index(s.kind)))
    chosen: list[Redaction] = []
    for span in spans:
        if chosen and span.start < chosen[-1].end:
            if span.end - span.start > chosen[-1].end - chosen[-1].start:
                chosen[-1] = span
            continue
        chosen.append(span)
    merged: list[Redaction] = []
    for span in chosen:  # 'Sarah' + 'Patel' from the list -> one name
        if (
            merged
            and span.kind is Kind.NAME
            and merged[-1].kind is Kind.NAME
            and not text[merged[-1].end : span.start].strip()
        ):
            last = merged[-1]
            merged[-1] = Redaction(
                Kind.NAME, last.start, span.end, text[last.start : span.end], last.rule
            )
        else:
            merged.append(span)
    chosen = merged
    out = []
    position = 0
    for span in chosen:
        out.append(text[position : span.start])
        out.append(f"[{span.kind.value}]")
        position = span.end
    out.append(text[position:])
    flags = [f for f in flags if not any(s.start <= f.start < s.end for s in chosen)]
    return Redacted(text, "".join(out), tuple(chosen), tuple(flags))
